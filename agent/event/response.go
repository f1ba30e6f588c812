package event

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// ErrNotHTTP is returned when a response or a batch operation is asked of a
// trigger that has no such thing: a block response for an SQS batch, record
// removal from an HTTP event.
var ErrNotHTTP = errors.New("trigger has no HTTP response")

// BlockResponse returns the response object a handler would return to
// refuse an HTTP event of trigger t: the proxy response JSON of API Gateway
// REST and WebSocket, HTTP API and Function URL (payload v2), ALB (with its
// statusDescription) and VPC Lattice. body must be a fixed page chosen by
// the caller and must never contain request input; it is sent base64
// encoded when it is not UTF-8 text. The response also carries
// Cache-Control: no-store and X-Content-Type-Options: nosniff, so that no
// cache keeps a block page and no browser sniffs it into something active.
//
// For an ALB in multi-value headers mode use Request.BlockResponse, which
// knows the mode from the event.
func BlockResponse(t Trigger, status int, contentType string, body []byte) ([]byte, error) {
	return blockResponse(t, false, "", status, contentType, body, 0)
}

// BlockResponse is BlockResponse for the trigger of r, shaped for the
// header mode the event used.
func (r *Request) BlockResponse(status int, contentType string, body []byte) ([]byte, error) {
	return blockResponse(r.Trigger, r.MultiValueHeaders && r.Trigger == ALB, "", status, contentType, body, 0)
}

// BlockResponseFor is Request.BlockResponse that also names the blocked
// invocation's Lambda request id in contract.RequestIDHeader. requestID
// must come from the Runtime API, never from the event.
func (r *Request) BlockResponseFor(requestID string, status int, contentType string, body []byte) ([]byte, error) {
	return blockResponse(r.Trigger, r.MultiValueHeaders && r.Trigger == ALB, requestID, status, contentType, body, 0)
}

// BlockResponseRetry is BlockResponseFor with a Retry-After header of
// retryAfter seconds when it is positive: a rate limit or a hold tells the
// client when it may come back.
func (r *Request) BlockResponseRetry(requestID string, status int, contentType string, body []byte, retryAfter int64) ([]byte, error) {
	return blockResponse(r.Trigger, r.MultiValueHeaders && r.Trigger == ALB, requestID, status, contentType, body, retryAfter)
}

type proxyResponse struct {
	StatusCode        int                 `json:"statusCode"`
	StatusDescription string              `json:"statusDescription,omitempty"`
	Headers           map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders,omitempty"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

func blockResponse(t Trigger, multiValue bool, requestID string, status int, contentType string, body []byte, retryAfter int64) ([]byte, error) {
	if !t.IsHTTP() {
		return nil, fmt.Errorf("block response for %s: %w", t, ErrNotHTTP)
	}
	if status < 100 || status > 599 {
		return nil, fmt.Errorf("block response: invalid status %d", status)
	}
	resp := proxyResponse{StatusCode: status}
	if utf8.Valid(body) {
		resp.Body = string(body)
	} else {
		resp.Body = base64.StdEncoding.EncodeToString(body)
		resp.IsBase64Encoded = true
	}
	headers := blockHeaders(contentType, requestID, retryAfter)
	switch t {
	case ALB, VPCLatticeV1, VPCLatticeV2:
		// ALB requires statusDescription ("403 Forbidden"); Lattice accepts it.
		resp.StatusDescription = strconv.Itoa(status) + " " + http.StatusText(status)
	}
	if multiValue {
		resp.MultiValueHeaders = make(map[string][]string, len(headers))
		for k, v := range headers {
			resp.MultiValueHeaders[k] = []string{v}
		}
	} else {
		resp.Headers = headers
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("block response: %w", err)
	}
	return b, nil
}

// blockHeaders are the headers of every block response, with the request
// id when there is one.
func blockHeaders(contentType, requestID string, retryAfter int64) map[string]string {
	if contentType == "" {
		contentType = "text/plain; charset=utf-8"
	}
	h := map[string]string{
		"Content-Type":           contentType,
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
	if requestID != "" {
		h[contract.RequestIDHeader] = requestID
	}
	if retryAfter > 0 {
		h["Retry-After"] = strconv.FormatInt(retryAfter, 10)
	}
	return h
}

// StreamingContentType is the content type of a streamed HTTP integration
// response, the format StreamingBlockResponse produces.
const StreamingContentType = contract.StreamingContentType

// ErrNoStreaming is returned when a streamed response is asked of a trigger
// whose front door cannot invoke with response streaming.
var ErrNoStreaming = errors.New("trigger has no streamed HTTP response")

// StreamsResponses reports whether the front door of t can invoke the
// function with response streaming and read the HTTP integration streaming
// format: a Function URL in RESPONSE_STREAM invoke mode, an API Gateway
// REST API integration in STREAM transfer mode.
func (t Trigger) StreamsResponses() bool {
	return t == FunctionURL || t == APIGatewayREST
}

// StreamingBlockResponse is BlockResponse for an invocation made with
// response streaming. Such a front door hands the function's bytes to the
// client as they come, so a response object would reach the client as the
// body of a 200; the function must stream instead, in the HTTP integration
// format (StreamingContentType): a JSON prelude with the status and
// headers, eight NUL bytes, then the body as is. The headers are those of
// BlockResponse; body must be a fixed page chosen by the caller and must
// never contain request input. The result is to be posted as a streamed
// response (Lambda-Runtime-Function-Response-Mode: streaming).
func StreamingBlockResponse(t Trigger, status int, contentType string, body []byte) ([]byte, error) {
	return StreamingBlockResponseFor(t, "", status, contentType, body)
}

// StreamingBlockResponseFor is StreamingBlockResponse that also names the
// blocked invocation's Lambda request id in contract.RequestIDHeader.
func StreamingBlockResponseFor(t Trigger, requestID string, status int, contentType string, body []byte) ([]byte, error) {
	return StreamingBlockResponseRetry(t, requestID, status, contentType, body, 0)
}

// StreamingBlockResponseRetry is StreamingBlockResponseFor with a
// Retry-After header of retryAfter seconds when it is positive.
func StreamingBlockResponseRetry(t Trigger, requestID string, status int, contentType string, body []byte, retryAfter int64) ([]byte, error) {
	if !t.StreamsResponses() {
		return nil, fmt.Errorf("streaming block response for %s: %w", t, ErrNoStreaming)
	}
	if status < 100 || status > 599 {
		return nil, fmt.Errorf("streaming block response: invalid status %d", status)
	}
	prelude, err := json.Marshal(struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
	}{status, blockHeaders(contentType, requestID, retryAfter)})
	if err != nil {
		return nil, fmt.Errorf("streaming block response: %w", err)
	}
	out := make([]byte, 0, len(prelude)+len(streamSeparator)+len(body))
	out = append(out, prelude...)
	out = append(out, streamSeparator...)
	return append(out, body...), nil
}

// streamSeparator ends the prelude of a streamed HTTP integration response.
const streamSeparator = "\x00\x00\x00\x00\x00\x00\x00\x00"
