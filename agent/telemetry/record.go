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
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package telemetry

import (
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// The decision record's schema is part of the contract between the agent
// and what reads its logs (the infra stack's table, the report): it is
// defined in package contract and named here for the agent's own code.
type (
	Record = contract.Record
	Signal = contract.Signal
	Leak   = contract.Leak
)

// SchemaVersion is contract.SchemaVersion.
const SchemaVersion = contract.SchemaVersion

// Record kinds, decisions and pseudonym key sources (see package contract).
const (
	KindDecision  = contract.KindDecision
	KindResponse  = contract.KindResponse
	DecisionAllow = contract.DecisionAllow
	DecisionBlock = contract.DecisionBlock
	DecisionLog   = contract.DecisionLog
	KeySecret     = contract.KeySecret
	KeyEphemeral  = contract.KeyEphemeral
)

const timeFormat = "2006-01-02T15:04:05.999999999Z07:00"

// RecordObject returns r as zerolog writes it into the log: the exact bytes
// of a decision record line. The agent's recorder writes records this way;
// tests of downstream readers use it to produce real lines.
func RecordObject(r *Record) zerolog.LogObjectMarshaler { return (*zrecord)(r) }

// zrecord writes a Record with zerolog, in the order and with the names of
// its JSON tags, without reflection.
type zrecord Record

// MarshalZerologObject writes the record's fields.
func (r *zrecord) MarshalZerologObject(e *zerolog.Event) {
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
	optInt(e, "omitted_signals", r.OmittedSignals)
	optInt(e, "omitted_reasons", r.OmittedReasons)
	optInt(e, "omitted_issues", r.OmittedIssues)
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
	optStr(e, "records_action", r.RecordsAction)
	if len(r.EventKeys) > 0 {
		e.Strs("event_keys", r.EventKeys)
	}
	e.Float64("sample_rate", r.SampleRate)
	optStr(e, "error", r.Error)
	optStr(e, "skipped", r.Skipped)
	optStr(e, "config", r.Config)
	optStr(e, "bundle", r.Bundle)
	optStr(e, "shadow_bundle", r.ShadowBundle)
	optStr(e, "shadow_decision", r.ShadowDecision)
	if len(r.ShadowDiff) > 0 {
		e.Strs("shadow_diff", r.ShadowDiff)
	}
	if len(r.Leaks) > 0 {
		e.Array("leaks", leaks(r.Leaks))
	}
	optStr(e, "action", r.Action)
}

func optInt(e *zerolog.Event, k string, v int) {
	if v != 0 {
		e.Int(k, v)
	}
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
		a.Object((*zsignal)(&s[i]))
	}
}

// zsignal writes a Signal with the names of its JSON tags.
type zsignal Signal

// MarshalZerologObject writes the signal's fields.
func (s *zsignal) MarshalZerologObject(e *zerolog.Event) {
	e.Str("class", s.Class).Str("location", s.Location).Str("rule", s.Rule)
	optStr(e, "excerpt", s.Excerpt)
	e.Int("score", s.Score)
}

type leaks []Leak

func (l leaks) MarshalZerologArray(a *zerolog.Array) {
	for i := range l {
		a.Object((*zleak)(&l[i]))
	}
}

// zleak writes a Leak with the names of its JSON tags.
type zleak Leak

// MarshalZerologObject writes the leak's fields.
func (l *zleak) MarshalZerologObject(e *zerolog.Event) {
	e.Str("kind", l.Kind).Int("count", l.Count).Str("where", l.Where)
}
