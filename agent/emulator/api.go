package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

const (
	runtimePrefix   = "/2018-06-01/runtime/"
	extensionPrefix = "/2020-01-01/extension/"
)

// routes serves the Runtime API and the Extensions API. Paths and methods
// are matched strictly: an unknown path is a 404, a known path with the
// wrong method a 405, as on Lambda's API server.
func (f *Function) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimePrefix+"invocation/next", f.runtimeNext)
	mux.HandleFunc("POST "+runtimePrefix+"invocation/{id}/response", f.runtimeResponse)
	mux.HandleFunc("POST "+runtimePrefix+"invocation/{id}/error", f.runtimeError)
	mux.HandleFunc("POST "+runtimePrefix+"init/error", f.runtimeInitError)
	mux.HandleFunc("GET "+runtimePrefix+"restore/next", f.runtimeRestoreNext)
	mux.HandleFunc("POST "+extensionPrefix+"register", f.extensionRegister)
	mux.HandleFunc("GET "+extensionPrefix+"event/next", f.extensionNext)
	mux.HandleFunc("POST "+extensionPrefix+"init/error", f.extensionError("init"))
	mux.HandleFunc("POST "+extensionPrefix+"exit/error", f.extensionError("exit"))
	return mux
}

// writeError renders Lambda's API error document.
func writeError(w http.ResponseWriter, status int, errType, format string, args ...any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorDocument{ErrorMessage: fmt.Sprintf(format, args...), ErrorType: errType})
}

func writeAccepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`+"\n")
}

func invalidStateTransition(w http.ResponseWriter, from, to string) {
	writeError(w, http.StatusForbidden, "InvalidStateTransition",
		"State transition from %s to %s failed for runtime. Error: State transition is not allowed", from, to)
}

// current returns the live environment, or nil.
func (f *Function) current() *environment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.env
}

func (f *Function) runtimeNext(w http.ResponseWriter, r *http.Request) {
	env := f.current()
	if env == nil || env.isDying() {
		writeError(w, http.StatusInternalServerError, "InternalServerError", "execution environment is shutting down")
		return
	}
	env.runtimeCalledNext()
	select {
	case inv := <-env.queue:
		for k, v := range inv.header {
			w.Header()[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-env.dying:
		writeError(w, http.StatusInternalServerError, "InternalServerError", "execution environment is shutting down")
	case <-r.Context().Done():
	}
}

func (f *Function) runtimeRestoreNext(w http.ResponseWriter, r *http.Request) {
	// Only SnapStart functions restore; for everything else Lambda refuses
	// the transition.
	invalidStateTransition(w, "RuntimeInitState", "RuntimeRestoreReadyState")
}

// claim finds the invocation a runtime POST answers and marks it as being
// answered. It renders the error itself and returns nil when the request
// must be refused.
func (f *Function) claim(w http.ResponseWriter, r *http.Request, to string) (*environment, *invocation) {
	env := f.current()
	if env == nil {
		invalidStateTransition(w, "RuntimeInitState", to)
		return nil, nil
	}
	id := r.PathValue("id")
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.phase != "ready" {
		invalidStateTransition(w, "RuntimeInitState", to)
		return nil, nil
	}
	inv, ok := env.invocations[id]
	switch {
	case ok && (inv.responding || inv.finished):
		invalidStateTransition(w, "RuntimeResponseSentState", to)
		return nil, nil
	case !ok && len(env.invocations) == 0:
		invalidStateTransition(w, "RuntimeReadyState", to)
		return nil, nil
	case !ok:
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return nil, nil
	}
	if !time.Now().Before(inv.deadline) {
		// Past the deadline the invocation has timed out, whatever the
		// runtime says now: the timeout answers it (complete).
		writeError(w, http.StatusGone, "InvocationTimedOut", "Invocation %s timed out", id)
		return nil, nil
	}
	inv.responding = true
	return env, inv
}

// finish records the runtime's answer unless the invocation already ended
// (timeout, crash); it reports whether the answer counted.
func (env *environment) finish(inv *invocation, res *Result) bool {
	env.mu.Lock()
	if inv.finished {
		env.mu.Unlock()
		return false
	}
	inv.finished = true
	inv.stream = nil
	inv.nextMark = env.nextCalls
	env.mu.Unlock()
	res.Duration = time.Since(inv.dispatched)
	inv.deliver(res)
	close(inv.responded)
	return true
}

func (f *Function) runtimeResponse(w http.ResponseWriter, r *http.Request) {
	mode := r.Header.Get("Lambda-Runtime-Function-Response-Mode")
	if mode != "" && !strings.EqualFold(mode, "streaming") {
		writeError(w, http.StatusBadRequest, "InvalidFunctionResponseMode", "Invalid function response mode")
		return
	}
	env, inv := f.claim(w, r, "RuntimeInvocationResponseState")
	if inv == nil {
		return
	}
	contentType := r.Header.Get("Content-Type")
	if inv.streaming {
		f.streamResponse(w, r, env, inv, contentType)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadSize+1))
	if err != nil {
		env.finish(inv, errorResult(inv.id, "Runtime.TruncatedResponse", fmt.Sprintf("RequestId: %s Error: response body could not be read: %v", inv.id, err)))
		writeError(w, http.StatusBadRequest, "TruncatedHTTPRequest", "HTTP request detected as truncated")
		return
	}
	if len(body) > MaxPayloadSize {
		_, _ = io.Copy(io.Discard, r.Body)
		env.finish(inv, errorResult(inv.id, "Function.ResponseSizeTooLarge",
			fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxPayloadSize)))
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Exceeded maximum allowed payload size (%d bytes).", MaxPayloadSize)
		return
	}
	var res *Result
	if errType := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); errType != "" {
		// The runtime failed while producing the body (aws-lambda-go
		// reports a failing response reader in trailers).
		se := newStreamError(errType, r.Trailer.Get("Lambda-Runtime-Function-Error-Body"))
		res = &Result{StatusCode: 200, Payload: se.Body, ContentType: "application/json", FunctionError: "Unhandled", ErrorType: errType}
	} else {
		res = &Result{StatusCode: 200, Payload: body, ContentType: contentType}
	}
	env.finish(inv, res)
	writeAccepted(w)
}

// streamResponse hands the caller a Stream as soon as the runtime starts
// answering and copies the body into it as it arrives; error trailers end
// the stream with a *StreamError.
func (f *Function) streamResponse(w http.ResponseWriter, r *http.Request, env *environment, inv *invocation, contentType string) {
	pr, pw := io.Pipe()
	env.mu.Lock()
	if inv.finished {
		env.mu.Unlock()
		invalidStateTransition(w, "RuntimeResponseSentState", "RuntimeInvocationResponseState")
		return
	}
	inv.stream = pw
	env.mu.Unlock()
	inv.deliver(&Result{StatusCode: 200, ContentType: contentType, Stream: &Stream{r: pr}, Duration: time.Since(inv.dispatched)})

	buf := make([]byte, 32*1024)
	var readErr error
	for {
		n, err := r.Body.Read(buf)
		if n > 0 {
			if _, werr := pw.Write(buf[:n]); werr != nil {
				// The caller closed the stream or the invocation ended:
				// discard the rest as Lambda does for a gone client.
				_, _ = io.Copy(io.Discard, r.Body)
				break
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
	}
	var end error
	switch {
	case readErr != nil:
		end = &StreamError{Type: "Runtime.TruncatedResponse", Body: []byte(readErr.Error())}
	case r.Trailer.Get("Lambda-Runtime-Function-Error-Type") != "":
		end = newStreamError(r.Trailer.Get("Lambda-Runtime-Function-Error-Type"), r.Trailer.Get("Lambda-Runtime-Function-Error-Body"))
	}
	env.mu.Lock()
	counted := !inv.finished
	inv.finished = true
	inv.stream = nil
	inv.nextMark = env.nextCalls
	env.mu.Unlock()
	if !counted {
		// Timed out or crashed meanwhile; the stream was already ended.
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	pw.CloseWithError(end)
	close(inv.responded)
	writeAccepted(w)
}

func (f *Function) runtimeError(w http.ResponseWriter, r *http.Request) {
	env, inv := f.claim(w, r, "RuntimeInvocationErrorResponseState")
	if inv == nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxPayloadSize))
	_, _ = io.Copy(io.Discard, r.Body)
	errType := errorTypeOf(r, body)
	res := &Result{StatusCode: 200, Payload: body, ContentType: r.Header.Get("Content-Type"), FunctionError: "Unhandled", ErrorType: errType}
	env.mu.Lock()
	stream := inv.stream
	env.mu.Unlock()
	if stream != nil {
		stream.CloseWithError(&StreamError{Type: errType, Body: body})
	}
	env.finish(inv, res)
	writeAccepted(w)
}

// errorTypeOf reads the error type of a runtime error report: the header,
// else a trailer, else the errorType field of the error document.
func errorTypeOf(r *http.Request, body []byte) string {
	if t := r.Header.Get("Lambda-Runtime-Function-Error-Type"); t != "" {
		return t
	}
	if t := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); t != "" {
		return t
	}
	var doc errorDocument
	if json.Unmarshal(body, &doc) == nil && doc.ErrorType != "" {
		return doc.ErrorType
	}
	return "Runtime.Unknown"
}

func (f *Function) runtimeInitError(w http.ResponseWriter, r *http.Request) {
	env := f.current()
	if env == nil {
		invalidStateTransition(w, "RuntimeReadyState", "RuntimeInitErrorState")
		return
	}
	env.mu.Lock()
	phase := env.phase
	env.mu.Unlock()
	if phase == "ready" {
		invalidStateTransition(w, "RuntimeReadyState", "RuntimeInitErrorState")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, MaxPayloadSize))
	errType := errorTypeOf(r, body)
	msg := string(body)
	var doc errorDocument
	if json.Unmarshal(body, &doc) == nil && doc.ErrorMessage != "" {
		msg = doc.ErrorMessage
	}
	env.failInit(&InitError{Type: errType, Message: msg})
	writeAccepted(w)
}

// Extensions API.

type registerRequest struct {
	Events            []string `json:"events"`
	ConfigurationKeys []string `json:"configurationKeys"`
}

func (f *Function) extensionRegister(w http.ResponseWriter, r *http.Request) {
	name := r.Header.Get("Lambda-Extension-Name")
	if name == "" {
		writeError(w, http.StatusForbidden, "Extension.InvalidExtensionName", "Empty extension name")
		return
	}
	var req registerRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64*1024)).Decode(&req); err != nil {
		writeError(w, http.StatusForbidden, "InvalidRequestFormat", "%v", err)
		return
	}
	if len(req.ConfigurationKeys) > 0 {
		writeError(w, http.StatusForbidden, "InvalidRequestFormat", "configurationKeys are deprecated; use environment variables instead")
		return
	}
	env := f.current()
	if env == nil || env.isDying() {
		writeError(w, http.StatusForbidden, "Extension.RegistrationClosed", "Extension registration closed already")
		return
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	var ext *extension
	for _, x := range env.extensions {
		if x.name == name {
			ext = x
		}
	}
	for _, ev := range req.Events {
		switch {
		case ev != "INVOKE" && ev != "SHUTDOWN":
			writeError(w, http.StatusForbidden, "Extension.InvalidEventType", "%s: EventTypeNotSupported", ev)
			return
		case ev == "SHUTDOWN" && (ext == nil || !ext.external):
			writeError(w, http.StatusForbidden, "Extension.InvalidEventType", "%s: ShutdownEventNotSupportedForInternalExtension", ev)
			return
		}
	}
	switch {
	case ext != nil && !ext.registered.IsZero():
		writeError(w, http.StatusForbidden, "Extension.InvalidExtensionState",
			"State transition from RegisteredState to RegisteredState failed for extension %s. Error: State transition is not allowed", name)
		return
	case !env.registrationOpen:
		writeError(w, http.StatusForbidden, "Extension.RegistrationClosed", "Extension registration closed already")
		return
	case ext == nil:
		// Lambda takes a name matching no file in /opt/extensions for an
		// internal extension (one the runtime process starts).
		ext = &extension{name: name, queue: env.newEventQueue()}
		env.extensions = append(env.extensions, ext)
		env.unknownNames = append(env.unknownNames, name)
	}
	ext.id = newID()
	ext.events = req.Events
	for _, ev := range req.Events {
		ext.invoke = ext.invoke || ev == "INVOKE"
		ext.shutdown = ext.shutdown || ev == "SHUTDOWN"
	}
	ext.registered = time.Now()
	env.byID[ext.id] = ext
	env.wake()

	resp := map[string]string{
		"functionName":    f.cfg.FunctionName,
		"functionVersion": f.cfg.Version,
		"handler":         f.cfg.HandlerName,
	}
	if strings.Contains(r.Header.Get("Lambda-Extension-Accept-Feature"), "accountId") {
		resp["accountId"] = accountID
	}
	w.Header().Set("Lambda-Extension-Identifier", ext.id)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(resp)
}

// identify resolves the Lambda-Extension-Identifier of a request.
func (f *Function) identify(w http.ResponseWriter, r *http.Request) (*environment, *extension) {
	id := r.Header.Get("Lambda-Extension-Identifier")
	if id == "" {
		writeError(w, http.StatusForbidden, "Extension.MissingExtensionIdentifier", "Missing Lambda-Extension-Identifier header")
		return nil, nil
	}
	env := f.current()
	if env == nil {
		writeError(w, http.StatusForbidden, "Extension.UnknownExtensionIdentifier", "Unknown extension %s", id)
		return nil, nil
	}
	env.mu.Lock()
	ext := env.byID[id]
	env.mu.Unlock()
	if ext == nil {
		writeError(w, http.StatusForbidden, "Extension.UnknownExtensionIdentifier", "Unknown extension %s", id)
		return nil, nil
	}
	return env, ext
}

func (f *Function) extensionNext(w http.ResponseWriter, r *http.Request) {
	env, ext := f.identify(w, r)
	if ext == nil {
		return
	}
	env.mu.Lock()
	if ext.firstNext.IsZero() {
		ext.firstNext = time.Now()
	}
	// Calling next again means the extension is done with the events it
	// was handed.
	var acked []*invocation
	for _, inv := range ext.handed {
		inv.extPending--
		if inv.extPending == 0 {
			acked = append(acked, inv)
		}
	}
	ext.handed = nil
	env.mu.Unlock()
	for _, inv := range acked {
		close(inv.extDone)
	}
	env.wake()

	var gone <-chan struct{}
	if ext.proc != nil {
		gone = ext.proc.done
	} else {
		gone = env.exited
	}
	select {
	case ev := <-ext.queue:
		env.mu.Lock()
		switch ev.kind {
		case "INVOKE":
			ext.handed = append(ext.handed, ev.inv)
		case "SHUTDOWN":
			ext.shutdownSent = time.Now()
		}
		env.mu.Unlock()
		w.Header().Set("Lambda-Extension-Event-Identifier", newID())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(ev.body)
	case <-gone:
		writeError(w, http.StatusInternalServerError, "InternalServerError", "execution environment is gone")
	case <-r.Context().Done():
	}
}

// extensionError serves /extension/init/error and /extension/exit/error.
func (f *Function) extensionError(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		env, ext := f.identify(w, r)
		if ext == nil {
			return
		}
		errType := r.Header.Get("Lambda-Extension-Function-Error-Type")
		if errType == "" {
			writeError(w, http.StatusForbidden, "Extension.MissingHeader", "Missing Lambda-Extension-Function-Error-Type header")
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64*1024))
		env.mu.Lock()
		ext.errorType = errType
		phase := env.phase
		env.mu.Unlock()
		if kind == "init" {
			if phase == "ready" {
				writeError(w, http.StatusForbidden, "Extension.InvalidExtensionState",
					"State transition from ReadyState to InitErrorState failed for extension %s. Error: State transition is not allowed", ext.name)
				return
			}
			env.failInit(&InitError{Type: errType, Message: fmt.Sprintf("extension %s reported an init error: %s", ext.name, body)})
		}
		// An exit error is recorded; the extension is expected to exit,
		// and its exit resets the environment with this error type.
		writeAccepted(w)
	}
}
