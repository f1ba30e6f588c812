package proxy

import (
	"context"
	"io"
	"net/http"
)

// Invocation is one event fetched from the upstream Runtime API, before the
// runtime sees it.
type Invocation struct {
	// RequestID is the Lambda-Runtime-Aws-Request-Id header.
	RequestID string
	// Header holds the upstream response headers (every Lambda-Runtime-*
	// header). Inspectors must not modify it.
	Header http.Header
	// Event is the raw event payload.
	Event []byte
}

// Verdict is an Inspector's answer for one invocation.
type Verdict struct {
	// Block, when true, makes the proxy answer the invocation itself: it
	// posts BlockResponse upstream to /invocation/{id}/response and the
	// runtime never sees the event.
	Block         bool
	BlockResponse []byte
	// BlockStreaming, when true, posts BlockResponse as a streamed
	// response: chunked, with Lambda-Runtime-Function-Response-Mode:
	// streaming, as a function answers an invocation made with response
	// streaming (a Function URL in RESPONSE_STREAM invoke mode). Such a
	// front door passes the function's bytes to the client as they are,
	// so a buffered JSON response object would reach the client as the
	// body of a 200. An empty BlockResponse then stands for
	// GenericStreamingBlockResponse.
	BlockStreaming bool
	// BlockContentType is the content type BlockResponse is posted with.
	// Empty means application/json, or, when BlockStreaming, the HTTP
	// integration streaming format
	// (application/vnd.awslambda.http-integration-response: a JSON
	// prelude with status and headers, eight NUL bytes, then the body).
	BlockContentType string
	// BlockErrorType, when set, answers the blocked invocation with a
	// function error instead of a response: BlockResponse (an
	// {"errorMessage","errorType"} document) is posted to
	// /invocation/{id}/error with Lambda-Runtime-Function-Error-Type set
	// to it. For triggers whose contract has no "rejected" response
	// (Cognito, AppSync, unknown callers).
	BlockErrorType string
	// Event, when non-nil, replaces the payload handed to the runtime (a
	// batch with malicious records removed, for example).
	Event []byte
	// Response, when non-nil, sees the handler's response for this
	// invocation before it goes upstream.
	Response ResponseFilter
}

// Inspector judges invocations. The proxy calls it between fetching an event
// and handing it to the runtime, possibly from several goroutines at once.
// An error or a panic lets the event through unchanged (fail open) unless
// the proxy is configured to fail closed.
type Inspector interface {
	InspectEvent(ctx context.Context, inv *Invocation) (Verdict, error)
}

// InspectorFunc adapts a function to the Inspector interface.
type InspectorFunc func(ctx context.Context, inv *Invocation) (Verdict, error)

// InspectEvent calls f(ctx, inv).
func (f InspectorFunc) InspectEvent(ctx context.Context, inv *Invocation) (Verdict, error) {
	return f(ctx, inv)
}

// ResponseFilter inspects, and may rewrite, the response a handler returns
// for one invocation.
type ResponseFilter interface {
	// FilterResponse gets a buffered response payload and returns the
	// payload to send upstream.
	FilterResponse(ctx context.Context, payload []byte) ([]byte, error)
	// FilterStream wraps the body of a streamed response
	// (Lambda-Runtime-Function-Response-Mode: streaming). It must not
	// buffer the whole stream.
	FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader
}
