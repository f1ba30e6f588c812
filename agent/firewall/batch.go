package firewall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"io"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// Signal rules the firewall raises itself, about the event as a whole.
const (
	// RuleMalformedEvent: the event is not what its trigger sends (invalid
	// JSON, a field of the wrong type). It is judged generically too.
	RuleMalformedEvent = "malformed-event"
	// RuleUnknownTrigger: an event of no recognised trigger, under
	// unknownTrigger: block.
	RuleUnknownTrigger = "unknown-trigger"
)

// Function error types of blocked invocations whose trigger has no
// rejected response (event.Trigger.FailsWithError).
const (
	ErrorTypeBlocked        = "LambdaWAF.Blocked"
	ErrorTypeUnknownTrigger = "LambdaWAF.UnknownTriggerBlocked"
)

func blockedErrorType(t event.Trigger) string {
	if t == event.Unknown {
		return ErrorTypeUnknownTrigger
	}
	return ErrorTypeBlocked
}

// errorDocument is the body of a function error, as runtimes post it. It
// never holds request input.
func errorDocument(errorType string) []byte {
	b, _ := json.Marshal(map[string]string{"errorMessage": "Request blocked by lambdawaf", "errorType": errorType})
	return b
}

// blockRecords carries out a decision that blocks some records of a batch
// (d.DropRecords), as blockedRecords says for the trigger:
//
//   - fail: each blocked record is reported as a batch item failure and
//     never reaches the handler. When every record is blocked the agent
//     answers the invocation itself with the list; otherwise the handler
//     gets the rest and the returned filter adds the blocked records to
//     its response (batchItemFailures merged, or the list alone when the
//     handler returns nothing). A record without an identifier
//     (FailureID) cannot be named and is dropped instead.
//   - drop: the blocked records are removed; when every record is
//     blocked, the invocation is answered with an empty success.
//
// d.RecordsAction records which one applied.
func blockRecords(pol *policy.Policy, req *event.Request, d *Decision, payload []byte) (proxy.Verdict, proxy.ResponseFilter, error) {
	action := pol.BlockedRecords(req.Trigger)
	var ids []string
	if action == document.RecordsFail {
		for _, i := range d.DropRecords {
			if id := req.Records[i].FailureID; id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			action = document.RecordsDrop
		}
	}
	d.RecordsAction = action
	if len(d.DropRecords) >= len(req.Records) {
		body := []byte(`{}`)
		if req.Trigger.ReportsBatchFailures() {
			body = batchFailures(ids)
		}
		return proxy.Verdict{Block: true, BlockResponse: body}, nil, nil
	}
	out, err := event.WithoutRecords(payload, req.Trigger, d.DropRecords)
	if err != nil {
		return proxy.Verdict{}, nil, fmt.Errorf("remove %d blocked records: %w", len(d.DropRecords), err)
	}
	var filter proxy.ResponseFilter
	if len(ids) > 0 {
		filter = failuresFilter(ids)
	}
	return proxy.Verdict{Event: out}, filter, nil
}

type itemFailure struct {
	ItemIdentifier string `json:"itemIdentifier"`
}

// batchFailures is a partial batch response naming ids.
func batchFailures(ids []string) []byte {
	list := make([]itemFailure, len(ids))
	for i, id := range ids {
		list[i] = itemFailure{id}
	}
	b, _ := json.Marshal(map[string][]itemFailure{"batchItemFailures": list})
	return b
}

// failuresFilter adds the blocked records to the handler's response.
type failuresFilter []string

// FilterResponse merges the blocked records into the handler's partial
// batch response. A handler that returns nothing (null, {}, an empty
// body) succeeded for every record it saw: the response becomes the
// blocked records alone. A response that is not an object is left as it
// is: Lambda reads it as a failure of the whole batch, which retries the
// blocked records too (they are blocked again).
func (ids failuresFilter) FilterResponse(_ context.Context, payload []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || string(trimmed) == "null" || string(trimmed) == `""` {
		return batchFailures(ids), nil
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &resp); err != nil {
		return payload, nil
	}
	var have []json.RawMessage
	if raw, ok := resp["batchItemFailures"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &have); err != nil {
			return payload, nil // not a list: Lambda fails the whole batch
		}
	}
	for _, id := range ids {
		b, _ := json.Marshal(itemFailure{id})
		have = append(have, b)
	}
	merged, err := json.Marshal(have)
	if err != nil {
		return nil, fmt.Errorf("merge batch item failures: %w", err)
	}
	resp["batchItemFailures"] = merged
	return json.Marshal(resp)
}

// FilterStream passes a streamed response through: batch triggers do not
// stream.
func (ids failuresFilter) FilterStream(_ context.Context, _ string, body io.Reader) io.Reader {
	return body
}

// chainFilters runs a, then b, on the response; either may be nil.
func chainFilters(a, b proxy.ResponseFilter) proxy.ResponseFilter {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return filterChain{a, b}
}

type filterChain [2]proxy.ResponseFilter

func (c filterChain) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	out, err := c[0].FilterResponse(ctx, payload)
	if err != nil {
		return nil, err
	}
	return c[1].FilterResponse(ctx, out)
}

func (c filterChain) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return c[1].FilterStream(ctx, contentType, c[0].FilterStream(ctx, contentType, body))
}
