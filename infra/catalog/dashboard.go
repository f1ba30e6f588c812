package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// dimension sets the agent publishes, as in its EMF directives.
var (
	byTrigger = []string{contract.DimFunctionName, contract.DimTrigger}
	byClass   = []string{contract.DimFunctionName, contract.DimTrigger, contract.DimClass}
	byFunc    = []string{contract.DimFunctionName}
	byControl = []string{contract.DimFunctionName, contract.DimControl}
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
// in region: traffic and decisions, blocks by attack class and by
// function, inspection latency p50/p99, signals by class, what the abuse
// controls (rate limits, flagged sources, bots, login protection, response
// counters and error ratios: one line per control) blocked
// and logged, response leaks, dropped records and agent errors.
//
// CloudWatch runs one Metrics Insights query per graph, so every query has
// a widget of its own; the body is checked with CheckDashboard before it is
// returned.
func Dashboard(region string) (string, error) {
	const period = 300
	metric := func(title string, stat string, lines ...[]any) map[string]any {
		return map[string]any{
			"title": title, "region": region, "view": "timeSeries", "stacked": false,
			"period": period, "stat": stat, "metrics": lines,
		}
	}
	insights := func(title, id, query, label string) map[string]any {
		return metric(title, "Sum", expr(id, query, label))
	}
	panels := []map[string]any{
		insights("Events inspected", "inspected", InsightsQuery(contract.MetricInspected, byTrigger, ""), contract.MetricInspected),
		insights("Events blocked", "blocked", InsightsQuery(contract.MetricBlocked, byTrigger, ""), contract.MetricBlocked),
		insights("Events logged only", "logged", InsightsQuery(contract.MetricLoggedOnly, byTrigger, ""), contract.MetricLoggedOnly),
		insights("Blocked events by attack class", "byclass", InsightsQuery(contract.MetricBlocked, byClass, contract.DimClass), ""),
		insights("Blocked events by function", "byfunction", InsightsQuery(contract.MetricBlocked, byTrigger, contract.DimFunctionName), ""),
		insights("Detection signals by class", "signals", InsightsQuery(contract.MetricSignals, byClass, contract.DimClass), ""),
		metric("Inspection latency (µs), p50 and p99", "p99",
			expr("p50", search(contract.MetricInspectionLatency, byTrigger, "p50", period), "p50"),
			expr("p99", search(contract.MetricInspectionLatency, byTrigger, "p99", period), "p99")),
		insights("Abuse controls: blocked by control", "controlblocked", InsightsQuery(contract.MetricBlocked, byControl, contract.DimControl), ""),
		insights("Abuse controls: logged only by control", "controllogged", InsightsQuery(contract.MetricLoggedOnly, byControl, contract.DimControl), ""),
		insights("Response leaks", "leaks", InsightsQuery(contract.MetricResponseLeaks, byTrigger, ""), contract.MetricResponseLeaks),
		insights("Decision records dropped", "dropped", DroppedQuery(), contract.MetricRecordsDropped),
		metric("Agent errors", "Sum",
			[]any{contract.Namespace, contract.MetricAgentErrors, map[string]any{"stat": "Sum", "label": contract.MetricAgentErrors}}),
	}
	const perRow, width, height = 3, 8, 6
	widgets := make([]widget, len(panels))
	for i, p := range panels {
		widgets[i] = widget{Type: "metric", X: i % perRow * width, Y: i / perRow * height, Width: width, Height: height, Properties: p}
	}
	body, err := json.Marshal(map[string]any{"widgets": widgets})
	if err != nil {
		return "", fmt.Errorf("dashboard body: %w", err)
	}
	if err := CheckDashboard(string(body)); err != nil {
		return "", err
	}
	return string(body), nil
}

// expressionID is what CloudWatch accepts as a metric expression id.
var expressionID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// CheckDashboard parses a dashboard body the way CloudWatch reads its
// metric widgets and refuses what CloudWatch would not run: a widget whose
// metrics array holds more than one Metrics Insights query, or a query
// beside other metrics; an expression holding more than one query; an
// expression id CloudWatch rejects or repeated within a widget; a metric
// widget without a region or metrics.
func CheckDashboard(body string) error {
	var d struct {
		Widgets []struct {
			Type       string
			Properties struct {
				Title   string
				Region  string
				Metrics []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return fmt.Errorf("dashboard body is not JSON: %w", err)
	}
	if len(d.Widgets) == 0 {
		return errors.New("dashboard has no widgets")
	}
	for i, w := range d.Widgets {
		if w.Type != "metric" {
			continue
		}
		name := fmt.Sprintf("widget %d (%s)", i, w.Properties.Title)
		if w.Properties.Region == "" || len(w.Properties.Metrics) == 0 {
			return fmt.Errorf("%s: a metric widget needs a region and metrics", name)
		}
		queries := 0
		ids := map[string]bool{}
		for _, raw := range w.Properties.Metrics {
			var line []any
			if err := json.Unmarshal(raw, &line); err != nil || len(line) == 0 {
				return fmt.Errorf("%s: metrics line %s is not a non-empty array", name, raw)
			}
			opts, isExpr := line[0].(map[string]any)
			if !isExpr {
				if _, ok := line[0].(string); !ok {
					return fmt.Errorf("%s: metrics line %s is neither a metric nor an expression", name, raw)
				}
				continue
			}
			e, _ := opts["expression"].(string)
			id, _ := opts["id"].(string)
			if e == "" || !expressionID.MatchString(id) || ids[id] {
				return fmt.Errorf("%s: expression %q has a missing, invalid or repeated id %q", name, e, id)
			}
			ids[id] = true
			n := strings.Count(strings.ToUpper(e), "SELECT ")
			if n > 1 || strings.ContainsAny(e, ";\n") {
				return fmt.Errorf("%s: expression %q holds more than one query", name, e)
			}
			queries += n
		}
		if queries > 1 || queries == 1 && len(w.Properties.Metrics) > 1 {
			return fmt.Errorf("%s: CloudWatch runs one Metrics Insights query per graph, and this one has %d queries among %d metrics", name, queries, len(w.Properties.Metrics))
		}
	}
	return nil
}
