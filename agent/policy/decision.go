package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Outcome is what happens to an event.
type Outcome string

// The outcomes. Log means the event goes through and the decision is
// recorded as notable (something matched that was set to log, or the
// function runs in log mode and the event would have been blocked).
const (
	Allow Outcome = "allow"
	Block Outcome = "block"
	Log   Outcome = "log"
)

// ReasonKind says which part of the policy produced a reason.
type ReasonKind string

// The reason kinds.
const (
	ReasonSignal    ReasonKind = "signal"     // a detection signal
	ReasonRule      ReasonKind = "rule"       // a custom rule
	ReasonPositive  ReasonKind = "positive"   // the positive model
	ReasonRateLimit ReasonKind = "rate-limit" // a rate limit
	ReasonFlagged   ReasonKind = "flagged"    // a source flagged across the protection group
)

// AbuseControl reports whether reasons of kind k come from a control
// against abuse (floods, flagged sources, bots, account takeover) rather
// than from the detection of an attack: metrics count them apart, by kind.
func (k ReasonKind) AbuseControl() bool {
	switch k {
	case ReasonRateLimit, ReasonFlagged, ReasonBot, ReasonLogin, ReasonResponses, ReasonErrorRatio:
		return true
	}
	return false
}

// Reason is one thing that contributed to a decision. Its fields never hold
// request input, so a decision can be logged as is (signal excerpts are the
// detector's bounded, scrubbed excerpts, and live in Decision.Signals).
type Reason struct {
	Kind ReasonKind `json:"kind"`
	// ID is the rule, route, rate limit or detector rule name.
	ID string `json:"id"`
	// Action is what this reason asked for: block, log or allow.
	Action Outcome `json:"action"`
	// Class is the signal class, for signal reasons.
	Class detect.Class `json:"class,omitempty"`
	// Location is the value's location, when the reason is about one.
	Location string `json:"location,omitempty"`
	// Record is the batch record index, or -1 for the whole event.
	Record int `json:"record"`
	// Message is a fixed explanation ("expected integer").
	Message string `json:"message,omitempty"`
	// FleetCount is the protection group's count for a global rate
	// limit's window when it refused the request.
	FleetCount int64 `json:"fleetCount,omitempty"`
	// Count, Threshold and Window are an abuse counter's count for the
	// key's current window as last known, the threshold it was held at,
	// and the window's length (login and responses reasons, and flags
	// set by them); RetryAfter is how many seconds the hold has left.
	Count      int64  `json:"count,omitempty"`
	Threshold  int64  `json:"threshold,omitempty"`
	Window     string `json:"window,omitempty"`
	RetryAfter int64  `json:"retryAfter,omitempty"`
}

// Decision is the full story of one judged event: what was decided, and why.
type Decision struct {
	RequestID string        `json:"requestId,omitempty"`
	Trigger   event.Trigger `json:"trigger"`
	Method    string        `json:"method,omitempty"`
	Route     string        `json:"route,omitempty"`
	// Mode is the function-wide mode the decision was made in.
	Mode Mode `json:"mode"`
	// Outcome is the final decision.
	Outcome Outcome `json:"outcome"`
	// WouldBlock is set when the event would have been blocked but the
	// function (or the deciding rule) runs in log mode.
	WouldBlock bool `json:"wouldBlock,omitempty"`
	// Status, ContentType and Body describe the block response when
	// Outcome is Block (the body never contains request input).
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Body        []byte `json:"-"`
	// RetryAfter, when positive, is sent with the block response as
	// Retry-After, in seconds: how long a rate limit or hold has left.
	RetryAfter int64 `json:"retryAfter,omitempty"`
	// Reasons lists what matched and counted.
	Reasons []Reason `json:"reasons,omitempty"`
	// OmittedReasons and OmittedSignals count what was left out of
	// Reasons and Signals (at most MaxReasons and MaxSignals are listed).
	OmittedReasons int `json:"omittedReasons,omitempty"`
	OmittedSignals int `json:"omittedSignals,omitempty"`
	// OmittedIssues counts the decoding issues (anomalies, and limits
	// beyond one per kind and record) that the decoder's cap left out of
	// the signals (decode.Error.Omitted); the firewall sets it.
	OmittedIssues int `json:"omittedIssues,omitempty"`
	// Shadow lists what shadow-mode rules would have done.
	Shadow []Reason `json:"shadow,omitempty"`
	// Signals are the detection signals after exclusions and rule edits.
	Signals []detect.Signal `json:"signals,omitempty"`
	// RuleIDs are the custom rules that matched (not shadow ones).
	RuleIDs []string `json:"ruleIds,omitempty"`
	// Labels were set by matching rules.
	Labels []string `json:"labels,omitempty"`
	// DropRecords are batch record indexes removed from the event (record
	// triggers in block mode); the handler gets the rest.
	DropRecords []int `json:"dropRecords,omitempty"`
	// RecordsAction is what was done with DropRecords (blockedRecords):
	// RecordsFail (reported as batch item failures, never seen by the
	// handler) or RecordsDrop (removed). The firewall sets it.
	RecordsAction document.BlockedRecordsAction `json:"recordsAction,omitempty"`
	// EventKeys are the top-level keys of an event of an unknown trigger.
	EventKeys []string `json:"eventKeys,omitempty"`
	// Skipped says why the event was not inspected ("mode-off",
	// "unknown-trigger" under unknownTrigger: allow, "error"); "" when it was.
	// A malformed event is judged (signal malformed-event), not skipped.
	Skipped string `json:"skipped,omitempty"`
	// Error is the reason for a fail-open pass, e.g. a malformed event.
	Error string `json:"error,omitempty"`
	// Duration is the time spent judging the event.
	Duration time.Duration `json:"durationNs"`
	// Config names the configuration that judged the event.
	Config string `json:"config,omitempty"`
	// Bundle is the version of the signed policy bundle that judged the
	// event; "" when the agent runs without bundles.
	Bundle string `json:"bundle,omitempty"`
	// ShadowBundle, ShadowOutcome and ShadowDiff say what a shadow bundle
	// evaluated beside the active one would have done, and where it
	// differs; set only when one ran.
	ShadowBundle  string   `json:"shadowBundle,omitempty"`
	ShadowOutcome Outcome  `json:"shadowOutcome,omitempty"`
	ShadowDiff    []string `json:"shadowDiff,omitempty"`

	// watch is what the function's response is counted against (see
	// Watch); nil for most events.
	watch *Watch
}

// Blocked reports whether the event is answered with a block response.
func (d *Decision) Blocked() bool { return d.Outcome == Block }
