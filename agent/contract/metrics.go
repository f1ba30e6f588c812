package contract

// Namespace is the CloudWatch namespace of every lambdawaf metric.
const Namespace = "lambdawaf"

// Metric names. Dashboards and alarms are derived from these constants.
const (
	// MetricInspected counts inspected events (dimensions FunctionName, Trigger).
	MetricInspected = "Inspected"
	// MetricBlocked counts blocked events (FunctionName, Trigger),
	// blocked events carrying a signal of each class (FunctionName,
	// Trigger, Class), and blocked events an abuse control decided
	// (FunctionName, Control).
	MetricBlocked = "Blocked"
	// MetricLoggedOnly counts events that would have been blocked but were
	// only logged (log mode or a log rule), with the same dimensions as
	// MetricBlocked.
	MetricLoggedOnly = "LoggedOnly"
	// MetricSignals counts detection signals (FunctionName, Trigger, Class).
	MetricSignals = "Signals"
	// MetricInspectionLatency is the inspection time of each event, in
	// microseconds (FunctionName, Trigger).
	MetricInspectionLatency = "InspectionLatency"
	// MetricResponseLeaks counts responses in which outbound inspection
	// found sensitive data (FunctionName, Trigger).
	MetricResponseLeaks = "ResponseLeaks"
	// MetricRecordsDropped counts decision records that could not be shipped
	// to Firehose (FunctionName).
	MetricRecordsDropped = "RecordsDropped"
	// MetricBundleSwapped counts signed policy bundles (or pointer moves)
	// the agent verified and started running (FunctionName).
	MetricBundleSwapped = "BundleSwapped"
	// MetricBundleRefused counts bundles or pointers the agent refused
	// (bad signature, replayed sequence, schema or compile error,
	// unsupported agent version); the running bundle stayed (FunctionName).
	MetricBundleRefused = "BundleRefused"
	// MetricShadowDiffers counts events on which the shadow bundle decided
	// differently from the active one (FunctionName).
	MetricShadowDiffers = "ShadowDiffers"
	// MetricCounterEvictions counts keys the fleet state's counter store
	// evicted at its key cap, and events of new keys it could not track
	// (FunctionName): an attacker spraying keys shows here.
	MetricCounterEvictions = "CounterEvictions"
)

// MetricAgentErrors counts the agent's own error log lines. The agent does
// not emit it: a CloudWatch Logs metric filter with AgentErrorPattern on
// each protected function's log group does (the Pulumi component creates
// it), publishing it in Namespace without dimensions.
const MetricAgentErrors = "AgentErrors"

// AgentErrorPattern is the CloudWatch Logs filter pattern matching the
// agent's own error lines: the agent tags every line it logs about itself
// with "agent":"lambdawaf" (decision records carry no such field).
const AgentErrorPattern = `{ ($.agent = "lambdawaf") && ($.level = "error") }`

// Dimension names.
const (
	DimFunctionName = "FunctionName"
	DimTrigger      = "Trigger"
	DimClass        = "Class"
	// DimControl names the abuse control that decided an event: the kind
	// of its reason (rate-limit, flagged, bot, ...), as records spell it.
	DimControl = "Control"
)

// ClassNone is the Class dimension of blocked or logged events without a
// detection signal (rules, positive model, rate limits).
const ClassNone = "none"
