package emulator

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// InvokeOptions carries what a caller of the Invoke API can set besides the
// payload.
type InvokeOptions struct {
	// ClientContext is the client context JSON (what the Invoke API
	// receives base64-encoded); the runtime gets it in
	// Lambda-Runtime-Client-Context.
	ClientContext string
	// CognitoIdentity is the identity JSON for
	// Lambda-Runtime-Cognito-Identity.
	CognitoIdentity string
	// TenantID is the tenant of a multi-tenant function
	// (Lambda-Runtime-Aws-Tenant-Id).
	TenantID string
	// TraceID is the X-Ray trace header; one is generated when empty.
	TraceID string
	// Streaming asks for the response as a stream, like
	// InvokeWithResponseStream or a Function URL in RESPONSE_STREAM mode.
	Streaming bool
}

// Result is the outcome of one invocation as the Invoke API reports it.
type Result struct {
	RequestID  string
	StatusCode int
	// Payload is the buffered response, or the error document when
	// FunctionError is set. Empty for streamed responses.
	Payload     []byte
	ContentType string
	// FunctionError is "Unhandled" when the function failed (an error the
	// runtime reported, a timeout, a crash, an init failure), as in the
	// X-Amz-Function-Error header.
	FunctionError string
	// ErrorType is the error type: the runtime's
	// Lambda-Runtime-Function-Error-Type, the errorType of its error
	// document, or Lambda's own (Sandbox.Timedout, Runtime.ExitError,
	// Function.ResponseSizeTooLarge, ...).
	ErrorType string
	// Stream is the response body of a streamed invocation, readable while
	// the function is still writing it.
	Stream *Stream
	// Duration runs from handing the event to the runtime until the
	// response was complete (for streams: until the response started).
	Duration time.Duration
	// InitDuration is set when this invocation waited for an Init phase.
	InitDuration time.Duration
}

// errorDocument is Lambda's error JSON.
type errorDocument struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

func errorResult(requestID, errorType, message string) *Result {
	payload, _ := json.Marshal(errorDocument{ErrorMessage: message, ErrorType: errorType})
	return &Result{
		RequestID:     requestID,
		StatusCode:    200,
		Payload:       payload,
		ContentType:   "application/json",
		FunctionError: "Unhandled",
		ErrorType:     errorType,
	}
}

// APIError is an Invoke API error that never reached the function, such as
// a request over the payload limit.
type APIError struct {
	StatusCode int
	Type       string
	Message    string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (%d): %s", e.Type, e.StatusCode, e.Message)
}

// InitError is a failed Init phase: the runtime or an extension reported
// an init error, crashed, or Init ran out of time.
type InitError struct {
	Type    string
	Message string
}

func (e *InitError) Error() string { return e.Type + ": " + e.Message }

// StreamError ends a streamed response whose function failed mid-stream,
// carrying the Lambda-Runtime-Function-Error-Type and -Error-Body trailers.
type StreamError struct {
	Type string
	// Body is the error body, base64-decoded when the runtime encoded it
	// (aws-lambda-go does).
	Body []byte
}

func (e *StreamError) Error() string {
	return fmt.Sprintf("function error mid-stream: %s: %s", e.Type, e.Body)
}

func newStreamError(errType, body string) *StreamError {
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		b = []byte(body)
	}
	return &StreamError{Type: errType, Body: b}
}

// Stream is a streamed response body. Read returns data as the runtime
// sends it; a mid-stream function error ends the stream with a
// *StreamError instead of io.EOF.
type Stream struct {
	r *io.PipeReader
}

// Read reads the next bytes of the response.
func (s *Stream) Read(p []byte) (int, error) { return s.r.Read(p) }

// Close abandons the rest of the stream; the runtime's remaining output is
// discarded.
func (s *Stream) Close() error { return s.r.Close() }
