// Package proxy serves the Lambda Runtime API to a function's runtime and
// forwards every request to the real (upstream) Runtime API, so that each
// event can be inspected between the moment Lambda hands it out and the
// moment the handler sees it.
//
// It is modelled on net/http/httputil.ReverseProxy but specialised for the
// Runtime API: the long-poll on invocation/next is answered only once an
// event has been fetched and judged; blocked events are answered upstream by
// the proxy itself while the runtime keeps waiting; request trailers (the
// function error type and body) travel with their values; streamed responses
// are copied as they arrive, never buffered.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	stdlog "log"
	"mime"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Runtime API paths and headers the proxy understands. Everything else is
// passed through untouched.
const (
	pathPrefix     = "/2018-06-01/runtime/invocation/"
	pathNext       = pathPrefix + "next"
	suffixResponse = "/response"
	suffixError    = "/error"

	headerRequestID    = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline     = "Lambda-Runtime-Deadline-Ms"
	headerResponseMode = contract.ResponseModeHeader
	responseModeStream = "streaming"
	// headerFunctionErrorType names the error of a failed invocation.
	headerFunctionErrorType = "Lambda-Runtime-Function-Error-Type"

	// contentTypeStreamingPrelude is the content type of Function URL and
	// API Gateway streaming responses: a JSON prelude (status, headers,
	// cookies), eight NUL bytes, then the body.
	contentTypeStreamingPrelude = contract.StreamingContentType
)

// GenericBlockResponse is the response the proxy posts for an invocation it
// blocks without a response of the inspector's own: when an inspection fails
// and the proxy fails closed, or when a Verdict blocks with an empty
// BlockResponse. It is shaped like an API Gateway / Function URL proxy
// response so HTTP clients get a plain 403, and it never reflects input.
const GenericBlockResponse = `{"statusCode":403,"headers":{"Content-Type":"application/json"},"body":"{\"message\":\"Forbidden\"}"}`

// GenericStreamingBlockResponse is GenericBlockResponse in the streaming
// format of Function URLs (content type
// application/vnd.awslambda.http-integration-response): the JSON prelude
// with status and headers, eight NUL bytes, then the body. The proxy posts
// it for a Verdict that blocks with BlockStreaming and an empty
// BlockResponse.
const GenericStreamingBlockResponse = `{"statusCode":403,"headers":{"Content-Type":"application/json"}}` +
	"\x00\x00\x00\x00\x00\x00\x00\x00" + `{"message":"Forbidden"}`

// DefaultMaxFilteredResponse bounds how much of a buffered response is held
// in memory for a ResponseFilter. Lambda's own limit is 6 MB; a response
// larger than this bound is passed through unfiltered (and logged) rather
// than held.
const DefaultMaxFilteredResponse = 16 << 20

// recentIDs is how many fetched request ids the proxy remembers for Fetched.
const recentIDs = 4096

// Proxy is an http.Handler serving the Lambda Runtime API. Create one with
// New; it is safe for concurrent use by any number of runtime connections.
type Proxy struct {
	upstream    string
	transport   http.RoundTripper
	conns       *upstreamConns // nil with WithTransport: everything goes through transport
	inspector   Inspector
	failClosed  bool
	streamed    func(*Invocation) bool
	onAnswered  func(requestID string)
	maxFiltered int64
	log         zerolog.Logger

	// ctx is cancelled by Close: runtime next calls still waiting on the
	// upstream long poll give up, everything else drains normally.
	ctx    context.Context
	cancel context.CancelFunc

	prefetch *prefetcher // nil unless WithPrefetch

	filters filterTable
	seen    *idSet
	stats   counters
	bufs    sync.Pool // *[]byte copy buffers for relaying bodies
}

// Option configures a Proxy.
type Option func(*Proxy)

// WithInspector sets the Inspector that judges every event. Without one the
// proxy passes every event through.
func WithInspector(in Inspector) Option { return func(p *Proxy) { p.inspector = in } }

// WithFailClosed makes an inspection error or panic block the invocation
// with GenericBlockResponse (GenericStreamingBlockResponse for streamed
// invocations, see WithStreamedBlocks) instead of letting the event
// through.
func WithFailClosed(closed bool) Option { return func(p *Proxy) { p.failClosed = closed } }

// WithStreamedBlocks tells the proxy which invocations were made with
// response streaming, so that the blocks it decides itself (an inspection
// failing closed) are posted as streamed GenericStreamingBlockResponse
// rather than buffered GenericBlockResponse. Verdicts of the Inspector say
// so themselves (Verdict.BlockStreaming). streamed runs only on that
// failure path; a panic in it counts as false.
func WithStreamedBlocks(streamed func(*Invocation) bool) Option {
	return func(p *Proxy) { p.streamed = streamed }
}

// WithAnswered sets a function called once an invocation has been answered
// upstream: the handler's response or error has been relayed, or the proxy
// posted a block response itself. The agent starts background work then,
// never before the caller has its answer. It is called on the goroutine
// that relayed the answer, possibly on several at once, and must return at
// once (no I/O, no waiting): the runtime's next request on the same
// connection is read only once the handler of its response returns, and
// a blocked event's successor is fetched only once the block is done, so
// anything slow belongs on a goroutine the function starts itself. Why
// not always a goroutine of the proxy's own: on a loaded machine, starting
// one per invocation costs a wake-up of another thread each time, while
// the agent has work to start only now and then (a batch of records).
func WithAnswered(f func(requestID string)) Option { return func(p *Proxy) { p.onAnswered = f } }

// answered calls the WithAnswered function, if any.
func (p *Proxy) answered(id string) {
	if p.onAnswered != nil {
		p.onAnswered(id)
	}
}

// WithLogger sets the logger. The default discards everything.
func WithLogger(l zerolog.Logger) Option { return func(p *Proxy) { p.log = l } }

// WithTransport replaces the transport used to reach the upstream Runtime
// API. The default is NewTransport().
func WithTransport(rt http.RoundTripper) Option { return func(p *Proxy) { p.transport = rt } }

// WithMaxFilteredResponse sets the largest buffered response handed to a
// ResponseFilter (DefaultMaxFilteredResponse by default).
func WithMaxFilteredResponse(n int64) Option { return func(p *Proxy) { p.maxFiltered = n } }

// New returns a Proxy forwarding to the Runtime API at upstream, a host:port
// such as the original AWS_LAMBDA_RUNTIME_API.
func New(upstream string, opts ...Option) (*Proxy, error) {
	if _, _, err := net.SplitHostPort(upstream); err != nil {
		return nil, fmt.Errorf("upstream runtime API address %q: %w", upstream, err)
	}
	p := &Proxy{
		upstream:    upstream,
		maxFiltered: DefaultMaxFilteredResponse,
		log:         zerolog.Nop(),
		filters:     filterTable{m: make(map[string]ResponseFilter)},
		seen:        newIDSet(recentIDs),
	}
	for _, o := range opts {
		o(p)
	}
	if p.transport == nil {
		p.transport = NewTransport()
		p.conns = newUpstreamConns(upstream)
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p, nil
}

// NewTransport returns the transport the proxy uses by default: keep-alive
// connections, enough idle connections for many concurrent invocations, and
// no timeouts at all, because invocation/next is a long poll that can wait
// for minutes and response bodies can stream for as long as the function
// runs. It ignores HTTP_PROXY (the Runtime API is local) and never asks for
// compression, which would make it rewrite bodies.
func NewTransport() *http.Transport {
	return &http.Transport{
		Proxy: nil,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second, // connecting to a local socket; waiting happens after
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// NewServer returns an http.Server suited to serving h (a Proxy) to the
// runtime: no read, write or header timeouts, because the runtime's next is
// a long poll and because Lambda freezes the whole environment between
// invocations, which would make any timer fire spuriously.
func NewServer(h http.Handler, log zerolog.Logger) *http.Server {
	return &http.Server{
		Handler:  h,
		ErrorLog: stdlog.New(log.With().Str("source", "http.Server").Logger(), "", 0),
	}
}

// Close makes runtime next calls that are still waiting for an event give
// up, and makes the proxy stop fetching events. Responses in flight are not
// affected. Use it at SHUTDOWN, before http.Server.Shutdown.
func (p *Proxy) Close() {
	p.cancel()
	p.failQueued()
	if p.conns != nil {
		p.conns.closeIdle()
	}
}

// Fetched reports whether the proxy fetched the event with this request id
// from upstream (among the last few thousand). An invocation the proxy never
// fetched reached the runtime some other way: the runtime bypasses the proxy.
func (p *Proxy) Fetched(requestID string) bool { return p.seen.has(requestID) }

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case r.Method == http.MethodGet && path == pathNext && p.prefetch != nil:
		p.serveNextPrefetched(w, r)
	case r.Method == http.MethodGet && path == pathNext:
		p.serveNext(w, r)
	case r.Method == http.MethodPost && strings.HasPrefix(path, pathPrefix) && strings.HasSuffix(path, suffixResponse):
		id := strings.TrimSuffix(strings.TrimPrefix(path, pathPrefix), suffixResponse)
		p.responding(id)
		p.serveResponse(w, r, id)
		p.responded(id)
	case r.Method == http.MethodPost && strings.HasPrefix(path, pathPrefix) && strings.HasSuffix(path, suffixError):
		id := strings.TrimSuffix(strings.TrimPrefix(path, pathPrefix), suffixError)
		p.responding(id)
		p.filters.take(id)
		p.forward(w, r, r.Body, r.ContentLength, r.Trailer)
		p.responded(id)
		p.answered(id)
	default:
		p.forward(w, r, r.Body, r.ContentLength, r.Trailer)
	}
}

// serveNext answers the runtime's long poll. It fetches events from upstream
// until one is allowed, answering blocked ones itself, so the runtime only
// ever sees events that passed inspection.
func (p *Proxy) serveNext(w http.ResponseWriter, r *http.Request) {
	p.stats.runtimeNexts.Add(1)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(p.ctx, cancel)
	defer stop()

	for {
		resp, err := p.quick(p.upstreamRequest(ctx, r, nil, 0))
		if err != nil {
			if ctx.Err() != nil {
				// The runtime went away or the proxy is closing: no
				// event was taken, nothing is lost.
				p.log.Debug().Err(err).Msg("runtime next abandoned")
				p.closing(w)
				return
			}
			p.badGateway(w, "fetch next event", err)
			return
		}
		id := resp.Header.Get(headerRequestID)
		if resp.StatusCode != http.StatusOK || id == "" {
			// Not an event (an error status, or a malformed answer): the
			// runtime decides what to do with it.
			p.copyResponse(w, resp)
			return
		}
		payload, err := readBody(resp)
		resp.Body.Close()
		if err != nil {
			// Upstream handed the invocation out; fail it rather than
			// leave it to time out, and tell the runtime.
			p.undeliverable(r.Context(), id, fmt.Errorf("read event: %w", err))
			p.badGateway(w, "read event "+id, err)
			return
		}
		p.seen.add(id)
		p.stats.fetched.Add(1)

		inv := &Invocation{RequestID: id, Header: resp.Header, Event: payload}
		v := p.inspect(r.Context(), inv)
		if v.Block {
			p.block(r.Context(), id, v)
			if ctx.Err() != nil {
				p.closing(w)
				return
			}
			continue
		}
		if v.Event != nil {
			payload = v.Event
			p.stats.replaced.Add(1)
		}
		if v.Response != nil {
			p.filters.put(id, v.Response)
		}
		if err := r.Context().Err(); err != nil {
			p.undeliverable(r.Context(), id, err)
			return
		}
		h := w.Header()
		copyHeader(h, resp.Header)
		removeHopHeaders(h)
		h.Set("Content-Length", strconv.Itoa(len(payload)))
		w.WriteHeader(http.StatusOK)
		_, err = w.Write(payload)
		if err == nil {
			err = http.NewResponseController(w).Flush()
		}
		if err != nil {
			p.undeliverable(r.Context(), id, err)
		}
		return
	}
}

// undeliverable fails an invocation whose event was handed out by upstream
// but could not be handed to the runtime (the runtime went away, or the
// event could not be read): the caller gets an error now instead of a
// timeout later.
func (p *Proxy) undeliverable(parent context.Context, id string, cause error) {
	defer p.answered(id)
	p.filters.take(id)
	p.stats.undelivered.Add(1)
	p.log.Error().Err(cause).Str("request_id", id).Msg("event could not be delivered to the runtime; failing the invocation")
	const body = `{"errorMessage":"The event could not be delivered to the runtime","errorType":"LambdaWAF.Undeliverable"}`
	status, err := p.post(context.WithoutCancel(parent), pathPrefix+url.PathEscape(id)+suffixError, []byte(body))
	if err != nil || status != http.StatusAccepted {
		p.log.Error().Err(err).Int("status", status).Str("request_id", id).Msg("upstream did not accept the invocation error")
	}
}

// inspect runs the Inspector on one invocation, timed, shielded from its
// panics, and turns its failures into the configured failure policy.
func (p *Proxy) inspect(parent context.Context, inv *Invocation) Verdict {
	if p.inspector == nil {
		return Verdict{}
	}
	ctx := context.WithoutCancel(parent)
	if ms, err := strconv.ParseInt(inv.Header.Get(headerDeadline), 10, 64); err == nil && ms > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, time.UnixMilli(ms))
		defer cancel()
	}
	start := time.Now()
	v, err := p.safeInspect(ctx, inv)
	elapsed := time.Since(start)
	p.stats.observeInspection(elapsed)

	if err != nil {
		p.stats.inspectErrors.Add(1)
		if p.failClosed {
			p.log.Error().Err(err).Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).
				Msg("inspection failed; blocking the invocation (failure policy closed)")
			return Verdict{Block: true, BlockStreaming: p.isStreamed(inv)}
		}
		p.log.Error().Err(err).Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).
			Msg("inspection failed; letting the event through unchanged (failure policy open)")
		return Verdict{}
	}
	p.log.Debug().Str("request_id", inv.RequestID).Dur("inspect_ms", elapsed).Bool("block", v.Block).
		Msg("event inspected")
	return v
}

// isStreamed asks the WithStreamedBlocks function, shielded from its panics.
func (p *Proxy) isStreamed(inv *Invocation) (streamed bool) {
	if p.streamed == nil {
		return false
	}
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			p.log.Error().Err(&PanicError{Value: rec}).Str("request_id", inv.RequestID).
				Msg("streamed-invocation check panicked; blocking with a buffered response")
			streamed = false
		}
	}()
	return p.streamed(inv)
}

func (p *Proxy) safeInspect(ctx context.Context, inv *Invocation) (v Verdict, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			p.stats.panics.Add(1)
			err = &PanicError{Value: rec, Stack: debug.Stack()}
		}
	}()
	return p.inspector.InspectEvent(ctx, inv)
}

// PanicError is the error an Inspector or ResponseFilter panic turns into.
type PanicError struct {
	Value any
	Stack []byte
}

// Error describes the panic, cut short: a panic value can quote the data
// being inspected, and logs must not carry event contents.
func (e *PanicError) Error() string {
	msg := fmt.Sprint(e.Value)
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return "panic: " + msg
}

// block answers a blocked invocation upstream, buffered or, when the
// Verdict says so, streamed. If Lambda refuses the block response (it
// should not), the invocation is failed with a generic error instead, so it
// never waits for a runtime that will not see it.
func (p *Proxy) block(parent context.Context, id string, v Verdict) {
	p.stats.blocked.Add(1)
	defer p.answered(id)
	body, contentType := v.BlockResponse, v.BlockContentType
	if len(body) == 0 {
		body = []byte(GenericBlockResponse)
		if v.BlockStreaming {
			body = []byte(GenericStreamingBlockResponse)
		}
	}
	if contentType == "" {
		contentType = "application/json"
		if v.BlockStreaming {
			contentType = contentTypeStreamingPrelude
		}
	}
	ctx := context.WithoutCancel(parent)
	path := pathPrefix + url.PathEscape(id) + suffixResponse
	var status int
	var err error
	if v.BlockErrorType != "" {
		path = pathPrefix + url.PathEscape(id) + suffixError
		status, err = p.postError(ctx, path, body, v.BlockErrorType)
	} else if v.BlockStreaming {
		status, err = p.postStream(ctx, path, body, contentType)
	} else {
		status, err = p.post(ctx, path, body)
	}
	if err == nil && status == http.StatusAccepted {
		p.log.Info().Str("request_id", id).Bool("streamed", v.BlockStreaming).Msg("invocation blocked")
		return
	}
	p.stats.blockFailures.Add(1)
	p.log.Error().Err(err).Int("status", status).Str("request_id", id).Bool("streamed", v.BlockStreaming).
		Msg("upstream did not accept the block response; failing the invocation instead")
	const generic = `{"errorMessage":"Request blocked","errorType":"LambdaWAF.Blocked"}`
	status, err = p.post(ctx, pathPrefix+url.PathEscape(id)+suffixError, []byte(generic))
	if err != nil || status != http.StatusAccepted {
		p.log.Error().Err(err).Int("status", status).Str("request_id", id).
			Msg("upstream did not accept the invocation error either")
	}
}

// post sends a buffered JSON body upstream and returns the status.
func (p *Proxy) post(ctx context.Context, path string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return p.roundTrip(req, path)
}

// postError fails an invocation: body is the error document, errorType
// goes in Lambda-Runtime-Function-Error-Type, as runtimes send it.
func (p *Proxy) postError(ctx context.Context, path string, body []byte, errorType string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(headerFunctionErrorType, errorType)
	return p.roundTrip(req, path)
}

// postStream sends body upstream as a streamed response, the way runtimes
// stream: Lambda-Runtime-Function-Response-Mode: streaming and a chunked
// body of unknown length.
func (p *Proxy) postStream(ctx context.Context, path string, body []byte, contentType string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.ContentLength = -1
	req.TransferEncoding = []string{"chunked"}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(headerResponseMode, responseModeStream)
	return p.roundTrip(req, path)
}

func (p *Proxy) roundTrip(req *http.Request, path string) (int, error) {
	resp, err := p.quick(req)
	if err != nil {
		return 0, fmt.Errorf("post %s: %w", path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// serveResponse forwards a handler's response, through the invocation's
// ResponseFilter if its Verdict set one.
func (p *Proxy) serveResponse(w http.ResponseWriter, r *http.Request, id string) {
	defer p.answered(id)
	f := p.filters.take(id)
	if f == nil {
		p.forward(w, r, r.Body, r.ContentLength, r.Trailer)
		return
	}
	ctx := r.Context()
	if isStreamed(r) {
		body := p.filterStream(ctx, id, f, r)
		p.forward(w, r, body, -1, r.Trailer)
		return
	}

	buf, complete, err := readAtMost(r.Body, p.maxFiltered, r.ContentLength)
	if err != nil {
		p.badGateway(w, "read response "+id, err)
		return
	}
	if !complete {
		p.log.Warn().Str("request_id", id).Int64("limit_bytes", p.maxFiltered).
			Msg("response too large to filter; passing it through unfiltered")
		p.forward(w, r, io.MultiReader(bytes.NewReader(buf), r.Body), r.ContentLength, r.Trailer)
		return
	}
	out, err := p.safeFilter(ctx, f, buf)
	if err != nil {
		p.stats.inspectErrors.Add(1)
		if p.failClosed {
			p.log.Error().Err(err).Str("request_id", id).
				Msg("response filter failed; replacing the response (failure policy closed)")
			out = []byte(GenericBlockResponse)
		} else {
			p.log.Error().Err(err).Str("request_id", id).
				Msg("response filter failed; sending the response unchanged (failure policy open)")
			out = buf
		}
	}
	// The body was read to the end, so r.Trailer now holds the trailer
	// values. Only a chunked request can carry them; otherwise send a
	// plain Content-Length body.
	if hasTrailerValues(r.Trailer) {
		p.forward(w, r, bytes.NewReader(out), -1, r.Trailer)
		return
	}
	p.forward(w, r, bytes.NewReader(out), int64(len(out)), nil)
}

// isStreamed reports whether a runtime's response is a stream, to be
// filtered as it passes and never buffered. Runtimes do not all say so:
// Node.js and Rust send Lambda-Runtime-Function-Response-Mode: streaming,
// but aws-lambda-go streams without it, so the content types that only
// streamed responses carry count too: the Function URL / API Gateway
// streaming prelude, and the raw io.Reader body aws-lambda-go sends
// chunked as application/octet-stream.
func isStreamed(r *http.Request) bool {
	if strings.EqualFold(r.Header.Get(headerResponseMode), responseModeStream) {
		return true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case contentTypeStreamingPrelude:
		return true
	case "application/octet-stream":
		return r.ContentLength < 0
	}
	return false
}

// forward sends r upstream with the given body and relays the answer.
// trailer, when non-nil, is the map the transport reads trailer values from
// after the body's EOF: passing the incoming request's map forwards the
// values the runtime sent, which the server fills in as the body ends.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, body io.Reader, contentLength int64, trailer http.Header) {
	if p.conns != nil && contentLength <= maxBufferedForward && !isStreamed(r) {
		// A small body is read whole and sent on the proxy's own
		// connections (upstreamConns); a larger one streams below.
		buf, complete, err := readAtMost(body, maxBufferedForward, contentLength)
		if err != nil {
			p.badGateway(w, "read "+r.Method+" "+r.URL.Path, err)
			return
		}
		if complete {
			p.forwardBuffered(w, r, buf, trailer)
			return
		}
		body, contentLength = io.MultiReader(bytes.NewReader(buf), body), -1
	}
	// The upstream may answer before the runtime has finished sending (an
	// error status, say); full duplex keeps the request body readable.
	_ = http.NewResponseController(w).EnableFullDuplex()
	out := p.upstreamRequest(r.Context(), r, body, contentLength)
	out.Trailer = trailer
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		p.badGateway(w, r.Method+" "+r.URL.Path, err)
		return
	}
	p.copyResponse(w, resp)
}

// forwardBuffered sends the runtime's request r upstream with its whole
// body in hand (read to its end, so trailer holds the trailer values the
// runtime sent, if any), and relays the answer.
func (p *Proxy) forwardBuffered(w http.ResponseWriter, r *http.Request, buf []byte, trailer http.Header) {
	n := int64(len(buf))
	if hasTrailerValues(trailer) {
		n = -1 // chunked: trailers need it
	} else {
		trailer = nil
	}
	out := p.upstreamRequest(r.Context(), r, bytes.NewReader(buf), n)
	if len(buf) == 0 && n == 0 {
		out.Body = nil
	}
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	out.Trailer = trailer
	resp, err := p.quick(out)
	if err != nil {
		p.badGateway(w, r.Method+" "+r.URL.Path, err)
		return
	}
	p.copyResponse(w, resp)
}

// quick sends a request whose body is in hand (or absent) upstream, on the
// proxy's own connections unless WithTransport replaced them.
func (p *Proxy) quick(req *http.Request) (*http.Response, error) {
	if p.conns == nil {
		return p.transport.RoundTrip(req)
	}
	return p.conns.RoundTrip(req)
}

// upstreamRequest builds the request sent upstream for the runtime's r.
func (p *Proxy) upstreamRequest(ctx context.Context, r *http.Request, body io.Reader, contentLength int64) *http.Request {
	u := &url.URL{Scheme: "http", Host: p.upstream, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery, ForceQuery: r.URL.ForceQuery}
	out := &http.Request{
		Method:        r.Method,
		URL:           u,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, len(r.Header)),
		Host:          p.upstream,
		ContentLength: contentLength,
	}
	if body != nil && contentLength != 0 {
		out.Body = io.NopCloser(body)
		if rc, ok := body.(io.ReadCloser); ok {
			out.Body = rc
		}
	}
	copyHeader(out.Header, r.Header)
	removeHopHeaders(out.Header)
	if _, ok := out.Header["User-Agent"]; !ok {
		// Keep the transport from inventing one: the runtime sent none.
		out.Header.Set("User-Agent", "")
	}
	return out.WithContext(ctx)
}

// copyResponse relays an upstream response to the runtime, flushing as data
// arrives and passing trailers with their values.
func (p *Proxy) copyResponse(w http.ResponseWriter, resp *http.Response) {
	defer resp.Body.Close()
	h := w.Header()
	copyHeader(h, resp.Header)
	removeHopHeaders(h)
	if len(resp.Trailer) > 0 {
		names := make([]string, 0, len(resp.Trailer))
		for k := range resp.Trailer {
			names = append(names, k)
		}
		h.Set("Trailer", strings.Join(names, ", "))
	}
	w.WriteHeader(resp.StatusCode)
	bp, _ := p.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, 32<<10)
		bp = &b
	}
	err := copyFlushing(w, resp.Body, *bp)
	p.bufs.Put(bp)
	if err != nil {
		p.log.Warn().Err(err).Msg("relaying upstream response")
	}
	for k, vv := range resp.Trailer {
		for _, v := range vv {
			h.Add(http.TrailerPrefix+k, v)
		}
	}
}

func copyFlushing(w http.ResponseWriter, r io.Reader, buf []byte) error {
	rc := http.NewResponseController(w)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return fmt.Errorf("write to runtime: %w", werr)
			}
			_ = rc.Flush()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read from upstream: %w", err)
		}
	}
}

// closing answers a runtime next the proxy gave up on because it is
// shutting down (if the runtime is still there to read it): never a 200,
// which the runtime would take for an event.
func (p *Proxy) closing(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, `{"errorMessage":"lambdawaf: shutting down","errorType":"LambdaWAF.ShuttingDown"}`)
}

func (p *Proxy) badGateway(w http.ResponseWriter, what string, err error) {
	p.stats.upstreamErrors.Add(1)
	p.log.Error().Err(err).Str("upstream", p.upstream).Msg(what + ": upstream runtime API failed")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, `{"errorMessage":"lambdawaf: upstream runtime API unavailable","errorType":"LambdaWAF.UpstreamError"}`)
}

// readBody reads a whole upstream body, in one allocation when the length
// is declared (events are up to 6 MB; growing a buffer to that size would
// copy it several times).
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= maxPrealloc {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("read %d-byte body: %w", n, err)
		}
		return buf, nil
	}
	return io.ReadAll(resp.Body)
}

// maxPrealloc bounds the allocation readBody trusts a Content-Length for.
const maxPrealloc = 32 << 20

// readAtMost reads r to EOF if it holds at most limit bytes. Otherwise it
// returns what it read (limit+1 bytes) with complete false, and r holds the
// rest. size is the length the body declares (-1: unknown): a buffer of
// that size is allocated once instead of being grown from 512 bytes.
func readAtMost(r io.Reader, limit, size int64) (buf []byte, complete bool, err error) {
	if size < 0 || size > limit {
		buf, err = io.ReadAll(io.LimitReader(r, limit+1))
	} else {
		// one byte more than declared, so that a body longer than its
		// Content-Length is still read up to limit+1 without regrowing
		// for the common case, and EOF is seen in the same buffer
		buf = make([]byte, 0, size+1)
		for {
			n, rerr := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				return nil, false, rerr
			}
			if len(buf) == cap(buf) {
				more, rerr := io.ReadAll(io.LimitReader(r, limit+1-int64(len(buf))))
				if rerr != nil {
					return nil, false, rerr
				}
				buf = append(buf, more...)
				break
			}
		}
	}
	if err != nil {
		return nil, false, err
	}
	return buf, int64(len(buf)) <= limit, nil
}
