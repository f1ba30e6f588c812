package contract

import "time"

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
// lines lambdawaf writes (see agent/telemetry/SCHEMA.md). Downstream tables are derived from
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
	// OmittedSignals counts the signals left out of Signals by the caps
	// (the decision's and the record's); OmittedReasons likewise for
	// Reasons; OmittedIssues counts the decoding anomalies and limits the
	// decoder's bookkeeping cap left out. A cap bounds the bookkeeping,
	// never the verdict: a limit reached is always among the signals.
	OmittedSignals int      `json:"omitted_signals,omitempty"`
	OmittedReasons int      `json:"omitted_reasons,omitempty"`
	OmittedIssues  int      `json:"omitted_issues,omitempty"`
	RuleIDs        []string `json:"rule_ids,omitempty"`
	Labels         []string `json:"labels,omitempty"`
	Reasons        []string `json:"reasons,omitempty"`
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
	// RecordsAction says what became of BlockedRecords: "fail" (reported
	// to the source as batch item failures) or "drop" (removed).
	RecordsAction string `json:"records_action,omitempty"`
	// EventKeys are the top-level keys of an event of an unknown trigger,
	// scrubbed.
	EventKeys []string `json:"event_keys,omitempty"`
	// SampleRate is the fraction of allowed events recorded (1 when every
	// event is); divide counts of allowed records by it.
	SampleRate float64 `json:"sample_rate"`
	// Error is why inspection failed (the event was let through or blocked
	// by the failure policy).
	Error string `json:"error,omitempty"`
	// Skipped says why the event was not inspected ("mode-off",
	// "unknown-trigger" under unknownTrigger: allow, "error"); a
	// malformed event is judged (signal malformed-event), not skipped.
	Skipped string `json:"skipped,omitempty"`
	// Config names the configuration that judged the event.
	Config string `json:"config,omitempty"`
	// Bundle is the version of the signed policy bundle that judged the
	// event (BundleVersionBaked before one has been fetched); omitted when
	// the agent runs without bundles.
	Bundle string `json:"bundle,omitempty"`
	// ShadowBundle, ShadowDecision and ShadowDiff are set when a shadow
	// bundle ran beside the active one (log only): its version, what it
	// would have decided, and where the two differ ("decision allow ->
	// block", "signal +sqli@query.id", "rule -r1"); ShadowDiff is empty
	// when they agree.
	ShadowBundle   string   `json:"shadow_bundle,omitempty"`
	ShadowDecision string   `json:"shadow_decision,omitempty"`
	ShadowDiff     []string `json:"shadow_diff,omitempty"`
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
