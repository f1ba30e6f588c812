// Package telemetry turns firewall decisions into records an operator can
// search and alarm on, without turning the logs into a second copy of the
// traffic: one JSON line per inspected event on stdout (CloudWatch Logs picks
// it up), CloudWatch embedded-metric-format documents in the same stream,
// and optionally the same records shipped to a Firehose stream.
//
// Redaction is the default, not an option: headers are logged only from an
// allowlist (credentials never, whatever the configuration says), query and
// body values are masked, detector excerpts are cut and scrubbed, and source
// addresses and user identifiers are replaced by keyed pseudonyms so that
// events still correlate.
package telemetry

import (
	"time"

	"github.com/rs/zerolog"
)

// SchemaVersion is the version of Record. It changes only when a field
// changes meaning or type; adding a field does not change it.
const SchemaVersion = 1

// Record kinds.
const (
	// KindDecision is the record of one inspected event.
	KindDecision = "decision"
	// KindResponse is the record of a handler response in which outbound
	// inspection found sensitive data.
	KindResponse = "response"
)

// Decisions, as they appear in Record.Decision.
const (
	DecisionAllow = "allow"
	DecisionBlock = "block"
	DecisionLog   = "log" // would have blocked; mode or rule said log only
)

// Pseudonym key sources, as they appear in Record.PseudonymKey.
const (
	// KeySecret: pseudonyms made with the agent key from Secrets Manager;
	// they correlate across execution environments and functions that
	// share the secret.
	KeySecret = "secret"
	// KeyEphemeral: pseudonyms made with a random key of this execution
	// environment (no secret configured, the secret could not be read, or
	// it had not arrived in time); they correlate only within it.
	KeyEphemeral = "ephemeral"
)

// Record is one decision record: the documented, versioned schema of the
// lines lambdawaf writes (see SCHEMA.md). Downstream tables are derived from
// the JSON tags, so tags are never renamed; optional fields are omitted when
// empty.
type Record struct {
	Level         string `json:"level"`   // "info" for allow, "warn" for block and log
	Message       string `json:"message"` // always "lambdawaf decision" or "lambdawaf response"
	Kind          string `json:"kind"`    // KindDecision or KindResponse
	SchemaVersion int    `json:"schema_version"`
	// Time is when inspection started, UTC, RFC 3339 with nanoseconds.
	Time            time.Time `json:"time"`
	RequestID       string    `json:"request_id"`
	FunctionName    string    `json:"function_name"`
	FunctionVersion string    `json:"function_version"`
	AgentVersion    string    `json:"agent_version"`
	Trigger         string    `json:"trigger"`
	Method          string    `json:"method,omitempty"`
	// Route is the route template the platform matched ("GET /orders/{id}",
	// "/orders/{id}"); the concrete path is not logged because it often
	// carries identifiers.
	Route    string `json:"route,omitempty"`
	Decision string `json:"decision"` // DecisionAllow, DecisionBlock or DecisionLog
	Mode     string `json:"mode"`     // configured mode: "block", "log" or "off"
	// StatusCode is the status of the block response, when blocked.
	StatusCode int      `json:"status_code,omitempty"`
	Signals    []Signal `json:"signals,omitempty"`
	RuleIDs    []string `json:"rule_ids,omitempty"`
	Labels     []string `json:"labels,omitempty"`
	Reasons    []string `json:"reasons,omitempty"`
	// Shadow lists what shadow-mode rules would have done.
	Shadow []string `json:"shadow,omitempty"`
	// InspectionMicros is the time spent inspecting, in microseconds.
	InspectionMicros int64 `json:"inspection_us"`
	// Source is the pseudonym of the client address ("ip_" + 16 hex digits).
	Source string `json:"source,omitempty"`
	// User is the pseudonym of the authenticated user ("usr_" + 16 hex).
	User string `json:"user,omitempty"`
	// PseudonymKey says which key made Source and User: KeySecret or
	// KeyEphemeral.
	PseudonymKey string `json:"pseudonym_key,omitempty"`
	// Headers holds the allowlisted request headers, values cut and
	// scrubbed.
	Headers map[string]string `json:"headers,omitempty"`
	// Query holds the query parameter names with masked values ("[n bytes]").
	Query map[string]string `json:"query,omitempty"`
	// Records is the number of records in a batch event; BlockedRecords the
	// indexes of the records removed from it.
	Records        int   `json:"records,omitempty"`
	BlockedRecords []int `json:"blocked_records,omitempty"`
	// SampleRate is the fraction of allowed events recorded (1 when every
	// event is); divide counts of allowed records by it.
	SampleRate float64 `json:"sample_rate"`
	// Error is why inspection failed (the event was let through or blocked
	// by the failure policy).
	Error string `json:"error,omitempty"`
	// Skipped says why the event was not inspected ("mode-off",
	// "unknown-trigger", "malformed", "error").
	Skipped string `json:"skipped,omitempty"`
	// Config names the configuration that judged the event.
	Config string `json:"config,omitempty"`
	// Leaks are the findings of outbound inspection (KindResponse).
	Leaks []Leak `json:"leaks,omitempty"`
	// Action is what outbound inspection did: "mask", "block", "log" or
	// "pass" (could not mask).
	Action string `json:"action,omitempty"`
}

// Signal is one detection, as logged.
type Signal struct {
	Class    string `json:"class"`
	Location string `json:"location"`
	Rule     string `json:"rule"`
	// Excerpt is at most MaxExcerpt bytes around the match, scrubbed.
	Excerpt string `json:"excerpt,omitempty"`
	Score   int    `json:"score"`
}

// Leak is one kind of sensitive data found in a response.
type Leak struct {
	Kind  string `json:"kind"`  // leak.Kind name: "card", "ssn", "aws-access-key", ...
	Count int    `json:"count"` // occurrences
	// Where is "body" for buffered responses and "stream" for streamed ones.
	Where string `json:"where"`
}

const timeFormat = "2006-01-02T15:04:05.999999999Z07:00"

// MarshalZerologObject writes the record's fields, in the order and with
// the names of its JSON tags, without reflection.
func (r *Record) MarshalZerologObject(e *zerolog.Event) {
	e.Str("level", r.Level).
		Str("message", r.Message).
		Str("kind", r.Kind).
		Int("schema_version", r.SchemaVersion).
		Str("time", r.Time.Format(timeFormat)).
		Str("request_id", r.RequestID).
		Str("function_name", r.FunctionName).
		Str("function_version", r.FunctionVersion).
		Str("agent_version", r.AgentVersion).
		Str("trigger", r.Trigger)
	optStr(e, "method", r.Method)
	optStr(e, "route", r.Route)
	e.Str("decision", r.Decision).Str("mode", r.Mode)
	if r.StatusCode != 0 {
		e.Int("status_code", r.StatusCode)
	}
	if len(r.Signals) > 0 {
		e.Array("signals", signals(r.Signals))
	}
	if len(r.RuleIDs) > 0 {
		e.Strs("rule_ids", r.RuleIDs)
	}
	if len(r.Labels) > 0 {
		e.Strs("labels", r.Labels)
	}
	if len(r.Reasons) > 0 {
		e.Strs("reasons", r.Reasons)
	}
	if len(r.Shadow) > 0 {
		e.Strs("shadow", r.Shadow)
	}
	e.Int64("inspection_us", r.InspectionMicros)
	optStr(e, "source", r.Source)
	optStr(e, "user", r.User)
	optStr(e, "pseudonym_key", r.PseudonymKey)
	if len(r.Headers) > 0 {
		e.Dict("headers", stringMap(r.Headers))
	}
	if len(r.Query) > 0 {
		e.Dict("query", stringMap(r.Query))
	}
	if r.Records != 0 {
		e.Int("records", r.Records)
	}
	if len(r.BlockedRecords) > 0 {
		e.Ints("blocked_records", r.BlockedRecords)
	}
	e.Float64("sample_rate", r.SampleRate)
	optStr(e, "error", r.Error)
	optStr(e, "skipped", r.Skipped)
	optStr(e, "config", r.Config)
	if len(r.Leaks) > 0 {
		e.Array("leaks", leaks(r.Leaks))
	}
	optStr(e, "action", r.Action)
}

func optStr(e *zerolog.Event, k, v string) {
	if v != "" {
		e.Str(k, v)
	}
}

func stringMap(m map[string]string) *zerolog.Event {
	d := zerolog.Dict()
	for _, k := range sortedKeys(m) {
		d.Str(k, m[k])
	}
	return d
}

type signals []Signal

func (s signals) MarshalZerologArray(a *zerolog.Array) {
	for i := range s {
		a.Object(&s[i])
	}
}

// MarshalZerologObject writes the signal with the names of its JSON tags.
func (s *Signal) MarshalZerologObject(e *zerolog.Event) {
	e.Str("class", s.Class).Str("location", s.Location).Str("rule", s.Rule)
	optStr(e, "excerpt", s.Excerpt)
	e.Int("score", s.Score)
}

type leaks []Leak

func (l leaks) MarshalZerologArray(a *zerolog.Array) {
	for i := range l {
		a.Object(&l[i])
	}
}

// MarshalZerologObject writes the leak with the names of its JSON tags.
func (l *Leak) MarshalZerologObject(e *zerolog.Event) {
	e.Str("kind", l.Kind).Int("count", l.Count).Str("where", l.Where)
}
