package gateway

import (
	"context"
	"errors"
	"io"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Invoker runs the function once for one event. The local Lambda emulation
// implements it; a Pool spreads invocations over several of them.
type Invoker interface {
	Invoke(ctx context.Context, event []byte) (*Result, error)
}

// InvokerFunc adapts a function to the Invoker interface.
type InvokerFunc func(ctx context.Context, event []byte) (*Result, error)

// Invoke calls f(ctx, event).
func (f InvokerFunc) Invoke(ctx context.Context, event []byte) (*Result, error) { return f(ctx, event) }

// Result is what an invocation returned, as the Lambda Invoke API reports it.
type Result struct {
	// RequestID is the Lambda request id of the invocation, when known.
	RequestID string
	// Payload is a buffered response (or the error document when
	// FunctionError is set).
	Payload []byte
	// FunctionError is the X-Amz-Function-Error value ("Unhandled" or the
	// handler's error type); non-empty means the function failed.
	FunctionError string
	// Stream, when non-nil, is a streamed response body
	// (Lambda-Runtime-Function-Response-Mode: streaming); Payload is then
	// unused. Reading it returns the stream's error if the function failed
	// mid-stream. The caller closes it.
	Stream io.ReadCloser
	// ContentType is the content type the runtime declared for the
	// response ("application/vnd.awslambda.http-integration-response" for
	// Function URL streaming responses with a prelude).
	ContentType string
}

// Errors an Invoker returns for conditions the front doors map to their own
// status codes. Wrap them; the translator uses errors.Is.
var (
	// ErrTimeout means the invocation exceeded the function's timeout.
	ErrTimeout = errors.New("function timed out")
	// ErrThrottled means no execution environment was free in time, like
	// Lambda throttling when concurrency is exhausted.
	ErrThrottled = errors.New("too many concurrent requests")
	// ErrPayloadTooLarge means the event or the response exceeded Lambda's
	// 6 MB synchronous payload limit.
	ErrPayloadTooLarge = errors.New("payload too large")
)

// MaxPayload is Lambda's limit on a synchronous invocation's event and on
// its response: 6 MB.
const MaxPayload = 6 * 1024 * 1024

// StreamingContentType is the content type of Function URL streaming
// responses that start with a JSON prelude (status, headers, cookies)
// followed by eight NUL bytes and the body.
const StreamingContentType = contract.StreamingContentType
