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
	"context"
	"fmt"
	stdlog "log"
	"net"
	"net/http"
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
