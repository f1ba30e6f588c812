// Package lifecycle is a client of the Lambda Extensions API: it registers
// an external extension, waits for its lifecycle events (INVOKE, SHUTDOWN)
// and reports initialisation and exit errors.
//
// Lambda counts everything an extension does before its first Next call as
// cold start, and treats a process whose registered name does not match its
// file in /opt/extensions as an internal extension, so callers register with
// the executable's own file name and call Next as early as they can.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Version is the Extensions API version this client speaks.
const Version = "2020-01-01"

// Headers of the Extensions API.
const (
	HeaderName          = "Lambda-Extension-Name"
	HeaderIdentifier    = "Lambda-Extension-Identifier"
	HeaderAcceptFeature = "Lambda-Extension-Accept-Feature"
	HeaderErrorType     = "Lambda-Extension-Function-Error-Type"
)

// EventType is the kind of a lifecycle event.
type EventType string

// The lifecycle events an external extension can register for.
const (
	Invoke   EventType = "INVOKE"
	Shutdown EventType = "SHUTDOWN"
)

// ShutdownReason says why Lambda is shutting the environment down.
type ShutdownReason string

// The shutdown reasons Lambda sends.
const (
	Spindown ShutdownReason = "spindown"
	Timeout  ShutdownReason = "timeout"
	Failure  ShutdownReason = "failure"
)

// Event is one lifecycle event.
type Event struct {
	EventType EventType `json:"eventType"`
	// DeadlineMs is the Unix time in milliseconds by which the invocation
	// (INVOKE) or the extension's shutdown work (SHUTDOWN) must be done.
	DeadlineMs int64 `json:"deadlineMs"`
	// RequestID and InvokedFunctionArn are set on INVOKE.
	RequestID          string   `json:"requestId,omitempty"`
	InvokedFunctionArn string   `json:"invokedFunctionArn,omitempty"`
	Tracing            *Tracing `json:"tracing,omitempty"`
	// ShutdownReason is set on SHUTDOWN.
	ShutdownReason ShutdownReason `json:"shutdownReason,omitempty"`
}

// Tracing is the X-Ray tracing header of an INVOKE event.
type Tracing struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Deadline returns DeadlineMs as a time, or the zero time if it is unset.
func (e *Event) Deadline() time.Time {
	if e.DeadlineMs <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(e.DeadlineMs)
}

// Registration is what Lambda says about the function on register.
type Registration struct {
	FunctionName    string `json:"functionName"`
	FunctionVersion string `json:"functionVersion"`
	Handler         string `json:"handler"`
	AccountID       string `json:"accountId,omitempty"`
}

// Client talks to the Extensions API. Register once, then call Next in a
// loop; a Client is safe for concurrent use once registered.
type Client struct {
	base string
	http *http.Client
	id   string
}

// NewClient returns a client for the Extensions API at runtimeAPI, the
// host:port in the extension's AWS_LAMBDA_RUNTIME_API.
func NewClient(runtimeAPI string) (*Client, error) {
	if _, _, err := net.SplitHostPort(runtimeAPI); err != nil {
		return nil, fmt.Errorf("extensions API address %q: %w", runtimeAPI, err)
	}
	return &Client{
		base: "http://" + runtimeAPI + "/" + Version + "/extension",
		// No timeout: event/next blocks for as long as the environment
		// lives. Callers bound calls with their context instead.
		http: &http.Client{Transport: &http.Transport{
			Proxy:              nil,
			DialContext:        (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			DisableCompression: true,
			MaxIdleConns:       2,
		}},
	}, nil
}

// ID returns the extension identifier Lambda assigned on Register.
func (c *Client) ID() string { return c.id }

// Register registers the extension under name (the file name of the
// executable in /opt/extensions) for events.
func (c *Client) Register(ctx context.Context, name string, events ...EventType) (*Registration, error) {
	body, err := json.Marshal(struct {
		Events []EventType `json:"events"`
	}{events})
	if err != nil {
		return nil, fmt.Errorf("register extension: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/register", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("register extension: %w", err)
	}
	req.Header.Set(HeaderName, name)
	req.Header.Set(HeaderAcceptFeature, "accountId")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("register extension: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("register extension: %w", statusError(resp))
	}
	id := resp.Header.Get(HeaderIdentifier)
	if id == "" {
		return nil, fmt.Errorf("register extension: response has no %s header", HeaderIdentifier)
	}
	var reg Registration
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&reg); err != nil && err != io.EOF {
		return nil, fmt.Errorf("register extension: decode response: %w", err)
	}
	c.id = id
	return &reg, nil
}

// Next blocks until the next lifecycle event. Lambda freezes the
// environment while every extension waits here.
func (c *Client) Next(ctx context.Context) (*Event, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/event/next", nil)
	if err != nil {
		return nil, fmt.Errorf("next event: %w", err)
	}
	req.Header.Set(HeaderIdentifier, c.id)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("next event: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("next event: %w", statusError(resp))
	}
	var ev Event
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ev); err != nil {
		return nil, fmt.Errorf("next event: decode: %w", err)
	}
	return &ev, nil
}

// InitError reports that the extension failed to initialise; Lambda fails
// the init phase. errorType has the form Extension.Reason. The extension
// should exit after calling it.
func (c *Client) InitError(ctx context.Context, errorType string, cause error) error {
	return c.reportError(ctx, "/init/error", errorType, cause)
}

// ExitError reports that the extension is about to exit because of an
// error. errorType has the form Extension.Reason.
func (c *Client) ExitError(ctx context.Context, errorType string, cause error) error {
	return c.reportError(ctx, "/exit/error", errorType, cause)
}

func (c *Client) reportError(ctx context.Context, path, errorType string, cause error) error {
	msg := ""
	if cause != nil {
		msg = cause.Error()
	}
	body, err := json.Marshal(struct {
		ErrorMessage string   `json:"errorMessage"`
		ErrorType    string   `json:"errorType"`
		StackTrace   []string `json:"stackTrace"`
	}{msg, errorType, []string{}})
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	req.Header.Set(HeaderIdentifier, c.id)
	req.Header.Set(HeaderErrorType, errorType)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("report %s: %w", path, statusError(resp))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return nil
}

// StatusError is an unexpected answer from the Extensions API.
type StatusError struct {
	StatusCode int
	Body       string // the first KB of the body
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("extensions API answered %d: %s", e.StatusCode, e.Body)
}

func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	return &StatusError{StatusCode: resp.StatusCode, Body: string(bytes.TrimSpace(b))}
}
