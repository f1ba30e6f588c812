package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultAddr is where Server listens unless told otherwise: loopback only.
const DefaultAddr = "127.0.0.1:8080"

// Server is the local front door: an http.Handler that translates each
// request into an event, invokes the function and writes back what the
// real front door would.
type Server struct {
	Translator *Translator
	Invoker    Invoker
	// MaxBody bounds the request body (MaxPayload when zero); larger
	// requests get 413 without invoking the function.
	MaxBody int64
	// Observe, when set, is told about every request after its response
	// was written (for logs and tests).
	Observe func(Exchange)
}

// Exchange summarises one request for Server.Observe.
type Exchange struct {
	Method, Path string
	// RequestID is the Lambda request id of the invocation ("" when the
	// front door answered without invoking): the key of the agent's
	// decision record for this request.
	RequestID string
	Status    int
	Duration  time.Duration
	Err       error // why the front door answered itself, if it did
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	x := Exchange{Method: r.Method, Path: r.URL.Path}
	x.Err = s.serve(sw, r, &x)
	if s.Observe != nil {
		x.Status, x.Duration = sw.status, time.Since(start)
		s.Observe(x)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, x *Exchange) error {
	t := s.Translator
	if t == nil {
		t = &Translator{}
	}
	limit := s.MaxBody
	if limit <= 0 {
		limit = MaxPayload
	}
	if r.ContentLength > limit {
		t.WriteFailure(w, FailTooLarge)
		return fmt.Errorf("%w: request body of %d bytes", ErrPayloadTooLarge, r.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		t.WriteFailure(w, FailFunction)
		return fmt.Errorf("read request body: %w", err)
	}
	if int64(len(body)) > limit {
		t.WriteFailure(w, FailTooLarge)
		return fmt.Errorf("%w: request body over %d bytes", ErrPayloadTooLarge, limit)
	}
	event, err := t.Event(NewRequest(r, body))
	if err != nil {
		t.WriteFailure(w, FailFunction)
		return err
	}
	if len(event) > MaxPayload {
		// Base64 inflates binary bodies by a third: the event, not the
		// body, is what Lambda limits.
		t.WriteFailure(w, FailTooLarge)
		return fmt.Errorf("%w: event of %d bytes", ErrPayloadTooLarge, len(event))
	}
	res, err := s.Invoker.Invoke(r.Context(), event)
	if err != nil {
		t.WriteFailure(w, FailureFor(err))
		return fmt.Errorf("invoke: %w", err)
	}
	x.RequestID = res.RequestID
	if res.Stream != nil {
		defer res.Stream.Close()
		if t.shape() != FunctionURL {
			// Only Function URLs stream; the others wait for the whole
			// response, bounded like Lambda's buffered responses.
			payload, err := io.ReadAll(io.LimitReader(res.Stream, MaxPayload+1))
			if err != nil {
				t.WriteFailure(w, FailFunction)
				return fmt.Errorf("read streamed response: %w", err)
			}
			res = &Result{RequestID: res.RequestID, Payload: payload, FunctionError: res.FunctionError}
		} else {
			return t.WriteStream(w, res.ContentType, res.Stream)
		}
	}
	if res.FunctionError != "" {
		t.WriteFailure(w, FailFunction)
		return fmt.Errorf("function error %q", res.FunctionError)
	}
	resp, err := t.Response(res.Payload, r.Header.Get("Accept"))
	if err != nil {
		t.WriteFailure(w, FailFunction)
		return err
	}
	resp.Write(w)
	return nil
}

// Serve accepts connections on ln until ctx is done, then shuts down
// gracefully (bounded by five seconds): requests in flight finish,
// connections that have not sent a request are closed at once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var fresh freshConns
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ConnState:         fresh.track,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	// Go's server counts a connection that has sent nothing (a browser's
	// preconnect) idle only after five seconds, so Shutdown would wait
	// that long for it. Closed once the listener is, it holds nothing up.
	go func() {
		for tick := time.NewTicker(10 * time.Millisecond); ; {
			fresh.closeAll()
			select {
			case <-sctx.Done():
				tick.Stop()
				return
			case <-tick.C:
			}
		}
	}()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down %s: %w", ln.Addr(), err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// statusWriter remembers the status code written, for Observe.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// freshConns are the connections that have not sent a request yet.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// track is the server's ConnState hook.
func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateNew {
		if f.conns == nil {
			f.conns = make(map[net.Conn]struct{})
		}
		f.conns[c] = struct{}{}
		return
	}
	delete(f.conns, c)
}

// closeAll closes the connections that have sent nothing.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.Close()
		delete(f.conns, c)
	}
}
