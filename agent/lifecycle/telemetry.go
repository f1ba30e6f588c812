package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// The Telemetry API (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api.html)
// pushes platform events to an extension's HTTP listener. The agent uses
// it where INVOKE events are not offered (Lambda Managed Instances): its
// platform.start event names every invocation, which is what bypass
// detection needs.
const (
	// TelemetryVersion is the Telemetry API's path version.
	TelemetryVersion = "2022-07-01"
	// TelemetryHost is the host a subscription's destination must name;
	// Lambda resolves it to the sandbox.
	TelemetryHost = "sandbox.localdomain"
	// PlatformStart is the event type Lambda sends as each invocation
	// starts.
	PlatformStart = "platform.start"
)

// telemetrySchemas are the subscription schema versions tried in turn:
// Lambda Managed Instances (and AWS's emulator in that mode) accepts only
// the newest; older environments only the earlier one.
var telemetrySchemas = []string{"2025-01-29", "2022-12-13"}

// Batching of a platform subscription: the largest batches the Telemetry
// API allows, at most a second old. Few batches matter more than fresh
// ones. AWS's emulator in Managed Instances mode drops a batch that is
// ready while the previous one is still being delivered, and reports the
// drop (platform.logsDropped, itself a platform event) from the loop that
// would have to receive it, holding the lock every later event needs:
// from then on every invocation's platform.start waits forever and the
// environment stalls (its telemetry/internal subscriber.go and relay.go).
// With 25 ms batches that race was lost within seconds of 16-in-flight
// load; with these, a batch is ready about once a second at the most,
// and the listener answers each as soon as it has read it.
const (
	telemetryMaxItems  = 10000
	telemetryMaxBytes  = 1 << 20
	telemetryTimeoutMs = 1000
)

// SubscribePlatform subscribes the registered extension to platform
// events, delivered by HTTP POST to destination (a URI on TelemetryHost),
// in batches at most a second old.
func (c *Client) SubscribePlatform(ctx context.Context, destination string) error {
	var last error
	for _, schema := range telemetrySchemas {
		body, err := json.Marshal(map[string]any{
			"schemaVersion": schema,
			"types":         []string{"platform"},
			"destination":   map[string]string{"protocol": "HTTP", "URI": destination},
			"buffering":     map[string]int{"maxItems": telemetryMaxItems, "maxBytes": telemetryMaxBytes, "timeoutMs": telemetryTimeoutMs},
		})
		if err != nil {
			return fmt.Errorf("subscribe to telemetry: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, "http://"+c.api+"/"+TelemetryVersion+"/telemetry", bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("subscribe to telemetry: %w", err)
		}
		req.Header.Set(HeaderIdentifier, c.id)
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("subscribe to telemetry: %w", err)
		}
		if resp.StatusCode == http.StatusOK {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			return nil
		}
		last = statusError(resp)
		resp.Body.Close()
		var se *StatusError
		if !errors.As(last, &se) || se.StatusCode != http.StatusBadRequest {
			break // only a schema refusal is worth another schema version
		}
	}
	return fmt.Errorf("subscribe to telemetry: %w", last)
}

// TelemetryEvent is one event of a Telemetry API batch.
type TelemetryEvent struct {
	Time   string          `json:"time"`
	Type   string          `json:"type"`
	Record json.RawMessage `json:"record"`
}

// RequestID is the invocation a platform event is about, or "".
func (e TelemetryEvent) RequestID() string {
	var r struct {
		RequestID string `json:"requestId"`
	}
	if json.Unmarshal(e.Record, &r) != nil {
		return ""
	}
	return r.RequestID
}

// ParseTelemetry decodes one batch as the Telemetry API posts it: a JSON
// array of events.
func ParseTelemetry(r io.Reader) ([]TelemetryEvent, error) {
	var evs []TelemetryEvent
	if err := json.NewDecoder(r).Decode(&evs); err != nil {
		return nil, fmt.Errorf("decode telemetry batch: %w", err)
	}
	return evs, nil
}
