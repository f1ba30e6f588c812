package catalog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// dimension sets the agent publishes, as in its EMF directives.
var (
	byTrigger = []string{contract.DimFunctionName, contract.DimTrigger}
	byClass   = []string{contract.DimFunctionName, contract.DimTrigger, contract.DimClass}
	byFunc    = []string{contract.DimFunctionName}
)

// schema is the Metrics Insights SCHEMA(...) clause for a dimension set.
func schema(dims []string) string {
	return fmt.Sprintf(`SCHEMA("%s", %s)`, contract.Namespace, strings.Join(dims, ","))
}

// search is a SEARCH expression over every series of one metric.
func search(metric string, dims []string, stat string, period int) string {
	return fmt.Sprintf(`SEARCH('{%s,%s} MetricName="%s"', '%s', %d)`,
		contract.Namespace, strings.Join(dims, ","), metric, stat, period)
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
func BlockedQuery() string { return InsightsQuery(contract.MetricBlocked, byTrigger, "") }

// DroppedQuery is the Metrics Insights query the dropped-records alarm
// watches: decision records the agents could not ship, across functions.
func DroppedQuery() string { return InsightsQuery(contract.MetricRecordsDropped, byFunc, "") }

// DashboardMetrics lists every agent metric the dashboard shows. A test
// checks it against what the agent actually emits.
func DashboardMetrics() []string {
	return []string{
		contract.MetricInspected, contract.MetricBlocked, contract.MetricLoggedOnly,
		contract.MetricSignals, contract.MetricInspectionLatency,
		contract.MetricResponseLeaks, contract.MetricRecordsDropped,
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
			expr("inspected", InsightsQuery(contract.MetricInspected, byTrigger, ""), contract.MetricInspected),
			expr("blocked", InsightsQuery(contract.MetricBlocked, byTrigger, ""), contract.MetricBlocked),
			expr("logged", InsightsQuery(contract.MetricLoggedOnly, byTrigger, ""), contract.MetricLoggedOnly),
		}, "Sum")},
		{Type: "metric", X: 12, Y: 0, Width: 12, Height: 6, Properties: metric("Blocked events by attack class", [][]any{
			expr("byclass", InsightsQuery(contract.MetricBlocked, byClass, contract.DimClass), ""),
		}, "Sum")},
		{Type: "metric", X: 0, Y: 6, Width: 12, Height: 6, Properties: metric("Inspection latency (µs), p50 and p99", [][]any{
			expr("p50", search(contract.MetricInspectionLatency, byTrigger, "p50", period), "p50"),
			expr("p99", search(contract.MetricInspectionLatency, byTrigger, "p99", period), "p99"),
		}, "p99")},
		{Type: "metric", X: 12, Y: 6, Width: 12, Height: 6, Properties: metric("Detection signals by class", [][]any{
			expr("signals", InsightsQuery(contract.MetricSignals, byClass, contract.DimClass), ""),
		}, "Sum")},
		{Type: "metric", X: 0, Y: 12, Width: 12, Height: 6, Properties: metric("Blocked events by function", [][]any{
			expr("byfunction", InsightsQuery(contract.MetricBlocked, byTrigger, contract.DimFunctionName), ""),
		}, "Sum")},
		{Type: "metric", X: 12, Y: 12, Width: 12, Height: 6, Properties: metric("Response leaks, dropped records and agent errors", [][]any{
			expr("leaks", InsightsQuery(contract.MetricResponseLeaks, byTrigger, ""), contract.MetricResponseLeaks),
			expr("dropped", DroppedQuery(), contract.MetricRecordsDropped),
			{contract.Namespace, contract.MetricAgentErrors, map[string]any{"stat": "Sum", "label": contract.MetricAgentErrors}},
		}, "Sum")},
	}
	body, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("dashboard body: %w", err)
	}
	return string(body), nil
}
