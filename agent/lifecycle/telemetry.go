package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
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

// PlatformStarts returns the request ids of a batch's platform.start
// events, in order. The batch is what the Telemetry API posts: a JSON
// array of events, {"time", "type", "record"}, the request id in the
// record. It is read once, token by token, and nothing but the ids is
// kept: a batch carries every platform event of up to a second of
// invocations (start, runtimeDone, report and their metrics, spans),
// and decoding them all with encoding/json cost 3-5 % of the agent's CPU
// under Managed Instances load, for one string per invocation. Member
// names match as encoding/json matches them (case-insensitively, the
// last of a repeated one winning); an event whose type or record is of
// another kind is no start. Anything but an array of objects (or null)
// is an error.
func PlatformStarts(batch []byte) ([]string, error) {
	var s jsonscan.Scanner
	s.Reset(batch, telemetryMaxDepth)
	t, err := s.Next()
	if err != nil {
		return nil, fmt.Errorf("decode telemetry batch: %w", err)
	}
	if t.Kind == jsonscan.Null { // as encoding/json reads it: no events
		if t, err = s.Next(); err != nil || t.Kind != jsonscan.EOF {
			return nil, fmt.Errorf("decode telemetry batch: %v after null", err)
		}
		return nil, nil
	}
	if t.Kind != jsonscan.ArrayStart {
		return nil, fmt.Errorf("decode telemetry batch: a %s, not an array of events", t.Kind)
	}
	var ids []string
	for {
		if t, err = s.Next(); err != nil {
			return nil, fmt.Errorf("decode telemetry batch: %w", err)
		}
		if t.Kind == jsonscan.ArrayEnd {
			break
		}
		if t.Kind == jsonscan.Null {
			continue // no event
		}
		if t.Kind != jsonscan.ObjectStart {
			return nil, fmt.Errorf("decode telemetry batch: an event is a %s, not an object", t.Kind)
		}
		start, id, err := readPlatformEvent(&s, batch)
		if err != nil {
			return nil, fmt.Errorf("decode telemetry batch: %w", err)
		}
		if start && id != "" {
			ids = append(ids, id)
		}
	}
	if t, err = s.Next(); err != nil || t.Kind != jsonscan.EOF {
		return nil, fmt.Errorf("decode telemetry batch: %v after the array", err)
	}
	return ids, nil
}

// telemetryMaxDepth bounds the nesting of a batch: events are a few
// levels deep (a report's spans and metrics).
const telemetryMaxDepth = 64

// readPlatformEvent reads one event's members, its opening brace read,
// through its closing one: whether it is a platform.start, and its
// record's request id.
func readPlatformEvent(s *jsonscan.Scanner, data []byte) (start bool, id string, err error) {
	for {
		k, err := s.Next()
		if err != nil || k.Kind == jsonscan.ObjectEnd {
			return start, id, err
		}
		v, err := s.Next()
		if err != nil {
			return false, "", err
		}
		switch {
		case memberIs(data, k, "type"):
			start = v.Kind == jsonscan.String && stringIs(data, v, PlatformStart)
		case memberIs(data, k, "record"):
			id = ""
			if v.Kind != jsonscan.ObjectStart {
				break
			}
			if id, err = readRequestID(s, data); err != nil {
				return false, "", err
			}
			continue
		}
		if err := s.Skip(v); err != nil {
			return false, "", err
		}
	}
}

// readRequestID reads a record's members, its opening brace read,
// through its closing one, and returns its requestId.
func readRequestID(s *jsonscan.Scanner, data []byte) (id string, err error) {
	for {
		k, err := s.Next()
		if err != nil || k.Kind == jsonscan.ObjectEnd {
			return id, err
		}
		v, err := s.Next()
		if err != nil {
			return "", err
		}
		if memberIs(data, k, "requestId") {
			id = ""
			if v.Kind == jsonscan.String {
				id = jsonscan.UnquoteString(data[v.Start:v.End])
			}
		}
		if err := s.Skip(v); err != nil {
			return "", err
		}
	}
}

// memberIs reports whether key token k names name as encoding/json
// matches a member to a field: case-insensitively.
func memberIs(data []byte, k jsonscan.Token, name string) bool {
	raw := data[k.Start:k.End]
	if k.Escaped {
		raw = jsonscan.AppendUnquote(nil, raw)
	}
	return bytes.EqualFold(raw, []byte(name))
}

// stringIs reports whether string token v is s.
func stringIs(data []byte, v jsonscan.Token, s string) bool {
	raw := data[v.Start:v.End]
	if v.Escaped {
		raw = jsonscan.AppendUnquote(nil, raw)
	}
	return string(raw) == s
}
