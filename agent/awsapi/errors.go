package awsapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an AWS error document: the answer to a call that AWS refused
// or could not serve. Its message is AWS's, which names resources (a
// table, a secret ARN) but never carries request data.
type APIError struct {
	Service    string // dynamodb
	Operation  string // UpdateItem
	StatusCode int
	// Code is the error's shape name without its namespace
	// (ConditionalCheckFailedException), from the document's __type or
	// the X-Amzn-ErrorType header.
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s %s: %s (HTTP %d)", e.Service, e.Operation, e.Code, e.StatusCode)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request id " + e.RequestID + ")"
	}
	return msg
}

// The error kinds callers act on; each wraps the *APIError it came from,
// so errors.As finds either.
type (
	// ThrottlingError: the service asks the caller to slow down.
	ThrottlingError struct{ *APIError }
	// ConditionalCheckFailedError: a write's condition was false.
	ConditionalCheckFailedError struct{ *APIError }
	// ResourceNotFoundError: the table, stream or secret does not exist
	// (or is not visible to the role).
	ResourceNotFoundError struct{ *APIError }
	// AccessDeniedError: the role may not do this.
	AccessDeniedError struct{ *APIError }
)

func (e *ThrottlingError) Unwrap() error             { return e.APIError }
func (e *ConditionalCheckFailedError) Unwrap() error { return e.APIError }
func (e *ResourceNotFoundError) Unwrap() error       { return e.APIError }
func (e *AccessDeniedError) Unwrap() error           { return e.APIError }

// throttlingCodes are the codes AWS services use to ask for backoff (the
// AWS SDKs' list, less those no service of ours sends).
var throttlingCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"RequestThrottledException": true, "TooManyRequestsException": true,
	"ProvisionedThroughputExceededException": true, "RequestLimitExceeded": true,
	"LimitExceededException": true, "RequestThrottled": true,
	"TransactionInProgressException": true, "BandwidthLimitExceeded": true,
}

func (e *APIError) throttling() bool {
	return throttlingCodes[e.Code] || e.StatusCode == http.StatusTooManyRequests
}

// classify wraps e in its kind, or returns it as is.
func classify(e *APIError) error {
	switch {
	case e.throttling():
		return &ThrottlingError{e}
	case e.Code == "ConditionalCheckFailedException":
		return &ConditionalCheckFailedError{e}
	case e.Code == "ResourceNotFoundException":
		return &ResourceNotFoundError{e}
	case e.Code == "AccessDeniedException" || e.Code == "AccessDenied":
		return &AccessDeniedError{e}
	}
	return e
}

// newAPIError reads an error answer: the JSON document's __type (or code)
// and message (or Message), else the X-Amzn-ErrorType header.
func newAPIError(service, operation string, resp *http.Response, doc []byte) *APIError {
	var d struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	_ = json.Unmarshal(doc, &d) // not JSON: the header and status still say what happened
	code := firstNonEmpty(d.Type, firstNonEmpty(d.Code, resp.Header.Get(headerErrorType)))
	return &APIError{
		Service:    service,
		Operation:  operation,
		StatusCode: resp.StatusCode,
		Code:       shapeName(firstNonEmpty(code, http.StatusText(resp.StatusCode))),
		Message:    firstNonEmpty(d.Message, d.MessageU),
		RequestID:  resp.Header.Get(headerRequestID),
	}
}

// shapeName strips the namespace (com.amazonaws.dynamodb.v20120810#X) and
// any URI suffix (X:http://internal.amazon.com/...) from an error code.
func shapeName(code string) string {
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	return code
}

// TransportError is a call that got no answer: connection refused, reset,
// timed out. It is retried.
type TransportError struct {
	Service, Operation string
	Err                error
}

func (e *TransportError) Error() string { return e.Service + " " + e.Operation + ": " + e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }
