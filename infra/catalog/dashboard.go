package catalog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// dimension sets the agent publishes, as in its EMF directives.
var (
	byTrigger = []string{telemetry.DimFunctionName, telemetry.DimTrigger}
	byClass   = []string{telemetry.DimFunctionName, telemetry.DimTrigger, telemetry.DimClass}
	byFunc    = []string{telemetry.DimFunctionName}
)

// schema is the Metrics Insights SCHEMA(...) clause for a dimension set.
func schema(dims []string) string {
	return fmt.Sprintf(`SCHEMA("%s", %s)`, telemetry.Namespace, strings.Join(dims, ","))
}

// search is a SEARCH expression over every series of one metric.
func search(metric string, dims []string, stat string, period int) string {
	return fmt.Sprintf(`SEARCH('{%s,%s} MetricName="%s"', '%s', %d)`,
		telemetry.Namespace, strings.Join(dims, ","), metric, stat, period)
}

// InsightsQuery is a Metrics Insights query summing one metric over every
// function, grouped by groupBy when it is not empty.
func InsightsQuery(metric string, dims []string, groupBy string) string {
	q := fmt.Sprintf("SELECT SUM(%s) FROM %s", metric, schema(dims))
	if groupBy != "" {
		q += " GROUP BY " + groupBy
	}
	return q
}

// BlockedQuery is the Metrics Insights query the block-rate alarm watches:
// blocked events across every protected function.
func BlockedQuery() string { return InsightsQuery(telemetry.MetricBlocked, byTrigger, "") }

// DroppedQuery is the Metrics Insights query the dropped-records alarm
// watches: decision records the agents could not ship, across functions.
func DroppedQuery() string { return InsightsQuery(telemetry.MetricRecordsDropped, byFunc, "") }

// DashboardMetrics lists every agent metric the dashboard shows. A test
// checks it against what the agent actually emits.
func DashboardMetrics() []string {
	return []string{
		telemetry.MetricInspected, telemetry.MetricBlocked, telemetry.MetricLoggedOnly,
		telemetry.MetricSignals, telemetry.MetricInspectionLatency,
		telemetry.MetricResponseLeaks, telemetry.MetricRecordsDropped,
	}
}

type widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// expr is one metric expression line of a metric widget.
func expr(id, expression, label string) []any {
	return []any{map[string]any{"expression": expression, "id": id, "label": label}}
}

// Dashboard returns the CloudWatch dashboard body over the agent's metrics
// in region: traffic and decisions, blocks by attack class, inspection
// latency p50/p99, signals by class, response leaks and dropped records.
func Dashboard(region string) (string, error) {
	const period = 300
	metric := func(title string, lines [][]any, stat string) map[string]any {
		return map[string]any{
			"title": title, "region": region, "view": "timeSeries", "stacked": false,
			"period": period, "stat": stat, "metrics": lines,
		}
	}
	widgets := []widget{
		{Type: "metric", X: 0, Y: 0, Width: 12, Height: 6, Properties: metric("Events inspected, blocked and logged only", [][]any{
			expr("inspected", InsightsQuery(telemetry.MetricInspected, byTrigger, ""), telemetry.MetricInspected),
			expr("blocked", InsightsQuery(telemetry.MetricBlocked, byTrigger, ""), telemetry.MetricBlocked),
			expr("logged", InsightsQuery(telemetry.MetricLoggedOnly, byTrigger, ""), telemetry.MetricLoggedOnly),
		}, "Sum")},
		{Type: "metric", X: 12, Y: 0, Width: 12, Height: 6, Properties: metric("Blocked events by attack class", [][]any{
			expr("byclass", InsightsQuery(telemetry.MetricBlocked, byClass, telemetry.DimClass), ""),
		}, "Sum")},
		{Type: "metric", X: 0, Y: 6, Width: 12, Height: 6, Properties: metric("Inspection latency (µs), p50 and p99", [][]any{
			expr("p50", search(telemetry.MetricInspectionLatency, byTrigger, "p50", period), "p50"),
			expr("p99", search(telemetry.MetricInspectionLatency, byTrigger, "p99", period), "p99"),
		}, "p99")},
		{Type: "metric", X: 12, Y: 6, Width: 12, Height: 6, Properties: metric("Detection signals by class", [][]any{
			expr("signals", InsightsQuery(telemetry.MetricSignals, byClass, telemetry.DimClass), ""),
		}, "Sum")},
		{Type: "metric", X: 0, Y: 12, Width: 12, Height: 6, Properties: metric("Blocked events by function", [][]any{
			expr("byfunction", InsightsQuery(telemetry.MetricBlocked, byTrigger, telemetry.DimFunctionName), ""),
		}, "Sum")},
		{Type: "metric", X: 12, Y: 12, Width: 12, Height: 6, Properties: metric("Response leaks, dropped records and agent errors", [][]any{
			expr("leaks", InsightsQuery(telemetry.MetricResponseLeaks, byTrigger, ""), telemetry.MetricResponseLeaks),
			expr("dropped", DroppedQuery(), telemetry.MetricRecordsDropped),
			{telemetry.Namespace, telemetry.MetricAgentErrors, map[string]any{"stat": "Sum", "label": telemetry.MetricAgentErrors}},
		}, "Sum")},
	}
	body, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("dashboard body: %w", err)
	}
	return string(body), nil
}
