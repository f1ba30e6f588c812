// Package outbound inspects what a handler returns before it leaves the
// execution environment, and masks, withholds or reports sensitive data in
// it: payment card numbers, national identifiers, cloud credentials, private
// keys, stack traces and database error messages (the detection itself is
// package leak).
//
// A Filter is made per invocation (the firewall asks for one when it lets
// an event through) and implements proxy.ResponseFilter: FilterResponse for
// buffered responses, FilterStream for streamed ones.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package outbound

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// Action is what a filter does with a response holding sensitive data.
type Action string

// The actions.
const (
	// Mask replaces the sensitive data in place (JSON stays valid, lengths
	// are fixed) and lets the response through.
	Mask Action = "mask"
	// Block replaces the response with a generic 500 of the right shape.
	// Streamed responses cannot be recalled once started: they are masked.
	Block Action = "block"
	// Log reports the finding and lets the response through unchanged.
	Log Action = "log"
	// Pass is reported when the response could not be inspected or masked
	// (an encoding it cannot read, a malformed response object) and went
	// through unchanged.
	Pass Action = "pass"
)

// ParseAction parses "mask", "block" or "log".
func ParseAction(s string) (Action, error) {
	switch a := Action(strings.ToLower(strings.TrimSpace(s))); a {
	case Mask, Block, Log:
		return a, nil
	}
	return "", fmt.Errorf("outbound action %q: want mask, block or log", s)
}

// Defaults for Config.
const (
	DefaultMaxBody    = 6<<20 + 1<<20 // a 6 MB response, base64 overhead aside
	DefaultMaxPrelude = 64 << 10
)

// Config configures outbound inspection.
type Config struct {
	// Action is what to do with a finding; default Mask.
	Action Action
	// Kinds is what to look for; default leak.Outbound.
	Kinds leak.Kind
	// MaxBody bounds the decoded body inspected; larger bodies pass
	// unchanged and are reported as such.
	MaxBody int
}

// Report is what a filter found in one response.
type Report struct {
	RequestID string
	Trigger   event.Trigger
	// Action is what was done: Mask, Block, Log or Pass.
	Action Action
	// Where is "body" or "stream".
	Where string
	// Counts holds the number of findings of each kind.
	Counts map[leak.Kind]int
	// Reason says why the action is Pass, or why a stream was masked
	// instead of blocked.
	Reason string
}

// Reporter receives reports; telemetry implements it. It must not block.
type Reporter interface {
	ReportResponse(ctx context.Context, r *Report)
}

// Inspector makes per-invocation filters. It implements
// firewall.ResponseFilters.
type Inspector struct {
	cfg      Config
	reporter Reporter
	log      zerolog.Logger
}

// New returns an Inspector. reporter may be nil; logger receives problems
// (responses that could not be inspected), never response content.
func New(cfg Config, reporter Reporter, logger zerolog.Logger) *Inspector {
	if cfg.Action == "" {
		cfg.Action = Mask
	}
	if cfg.Kinds == 0 {
		cfg.Kinds = leak.Outbound
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	return &Inspector{cfg: cfg, reporter: reporter, log: logger}
}

// ResponseFilter returns the filter for the invocation the firewall let
// through.
func (in *Inspector) ResponseFilter(ctx context.Context, inv *proxy.Invocation, d *policy.Decision) proxy.ResponseFilter {
	f := &Filter{in: in, requestID: inv.RequestID}
	if d != nil {
		f.trigger = d.Trigger
	}
	f.multiValue = f.trigger == event.ALB && bytes.Contains(inv.Event, []byte(`"multiValueHeaders"`))
	return f
}

// Filter inspects the response of one invocation.
type Filter struct {
	in        *Inspector
	requestID string
	trigger   event.Trigger
	// multiValue: the event came from an ALB in multi-value headers mode,
	// whose responses must use multiValueHeaders. (The event itself is not
	// kept: it can be 6 MB, and the filter lives as long as the handler
	// runs.)
	multiValue bool
}

// NewFilter returns a filter for a response to an event of the given
// trigger; eventPayload (may be nil) lets block responses follow the
// event's header mode (ALB multi-value headers).
func (in *Inspector) NewFilter(requestID string, trigger event.Trigger, eventPayload []byte) *Filter {
	return in.ResponseFilter(context.Background(), &proxy.Invocation{RequestID: requestID, Event: eventPayload},
		&policy.Decision{Trigger: trigger}).(*Filter)
}

func (f *Filter) report(ctx context.Context, action Action, where string, counts map[leak.Kind]int, reason string) {
	if action == Pass {
		f.in.log.Warn().Str("request_id", f.requestID).Str("trigger", string(f.trigger)).Str("reason", reason).
			Msg("outbound inspection: response passed uninspected")
	}
	if f.in.reporter != nil {
		f.in.reporter.ReportResponse(ctx, &Report{
			RequestID: f.requestID, Trigger: f.trigger, Action: action, Where: where, Counts: counts, Reason: reason,
		})
	}
}

func count(findings []leak.Finding, into map[leak.Kind]int) map[leak.Kind]int {
	if len(findings) == 0 {
		return into
	}
	if into == nil {
		into = make(map[leak.Kind]int)
	}
	for _, x := range findings {
		into[x.Kind]++
	}
	return into
}
