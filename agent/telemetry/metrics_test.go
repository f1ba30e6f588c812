package telemetry

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

type emfDoc map[string]any

func parseEMF(t *testing.T, out *syncBuffer) []emfDoc {
	t.Helper()
	var docs []emfDoc
	for _, l := range out.Lines() {
		var d emfDoc
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("bad EMF line %q: %v", l, err)
		}
		// Validate against the EMF specification: every declared
		// dimension and metric is a top-level member of the right type.
		aws, ok := d["_aws"].(map[string]any)
		if !ok {
			t.Fatalf("no _aws in %q", l)
		}
		if _, ok := aws["Timestamp"].(float64); !ok {
			t.Errorf("no Timestamp in %q", l)
		}
		for _, dir := range aws["CloudWatchMetrics"].([]any) {
			dir := dir.(map[string]any)
			if dir["Namespace"] != Namespace {
				t.Errorf("namespace %v", dir["Namespace"])
			}
			for _, set := range dir["Dimensions"].([]any) {
				for _, dim := range set.([]any) {
					if _, ok := d[dim.(string)].(string); !ok {
						t.Errorf("dimension %v missing in %q", dim, l)
					}
				}
			}
			for _, m := range dir["Metrics"].([]any) {
				name := m.(map[string]any)["Name"].(string)
				switch v := d[name].(type) {
				case float64:
				case []any:
					if len(v) > maxValues {
						t.Errorf("%s has %d values, EMF allows %d", name, len(v), maxValues)
					}
				default:
					t.Errorf("metric %s is %T in %q", name, d[name], l)
				}
			}
		}
		docs = append(docs, d)
	}
	return docs
}

func find(docs []emfDoc, dims map[string]string) emfDoc {
next:
	for _, d := range docs {
		for k, v := range dims {
			if d[k] != v {
				continue next
			}
		}
		if _, hasClass := d[DimClass]; hasClass != (dims[DimClass] != "") {
			continue
		}
		return d
	}
	return nil
}

func TestMetricsAggregate(t *testing.T) {
	var out syncBuffer
	m := NewMetrics(&out, "orders", time.Hour)
	m.AddDecision("apigateway-http", DecisionAllow, nil, 20*time.Microsecond)
	m.AddDecision("apigateway-http", DecisionBlock, []string{"sqli", "sqli", "xss"}, 40*time.Microsecond)
	m.AddDecision("apigateway-http", DecisionLog, nil, 30*time.Microsecond)
	m.AddDecision("sqs", DecisionAllow, nil, 10*time.Microsecond)
	m.AddResponseLeak("apigateway-http")
	m.AddDropped(3)
	if out.String() != "" {
		t.Fatal("metrics written before the interval")
	}
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	docs := parseEMF(t, &out)
	if len(docs) != 6 { // 2 triggers, sqli, xss, none, dropped
		t.Fatalf("%d documents: %s", len(docs), out.String())
	}
	http := find(docs, map[string]string{DimTrigger: "apigateway-http"})
	if http[MetricInspected] != 3.0 || http[MetricBlocked] != 1.0 || http[MetricLoggedOnly] != 1.0 || http[MetricResponseLeaks] != 1.0 {
		t.Errorf("http doc = %v", http)
	}
	if lat := http[MetricInspectionLatency].([]any); len(lat) != 3 || lat[1] != 40.0 {
		t.Errorf("latency = %v", lat)
	}
	sqli := find(docs, map[string]string{DimTrigger: "apigateway-http", DimClass: "sqli"})
	if sqli[MetricBlocked] != 1.0 || sqli[MetricSignals] != 2.0 {
		t.Errorf("sqli doc = %v", sqli)
	}
	none := find(docs, map[string]string{DimTrigger: "apigateway-http", DimClass: ClassNone})
	if none[MetricLoggedOnly] != 1.0 {
		t.Errorf("none doc = %v", none)
	}
	if d := find(docs, map[string]string{DimFunctionName: "orders"}); d == nil {
		t.Error("no document")
	}
	// A second flush with nothing new writes nothing.
	before := len(out.Lines())
	m.Flush()
	if len(out.Lines()) != before {
		t.Error("empty flush wrote documents")
	}
}

func TestMetricsFlushTriggers(t *testing.T) {
	var out syncBuffer
	m := NewMetrics(&out, "f", time.Minute)
	now := time.Unix(1_800_000_000, 0)
	m.now = func() time.Time { return now }
	m.last = now
	for range maxValues - 1 {
		m.AddDecision("alb", DecisionAllow, nil, time.Microsecond)
	}
	if out.String() != "" {
		t.Fatal("flushed early")
	}
	m.AddDecision("alb", DecisionAllow, nil, time.Microsecond) // the 100th value
	docs := parseEMF(t, &out)
	if len(docs) != 1 || docs[0][MetricInspected] != float64(maxValues) {
		t.Fatalf("after %d values: %v", maxValues, docs)
	}
	now = now.Add(61 * time.Second)
	m.AddDecision("alb", DecisionBlock, nil, time.Microsecond)
	if n := len(out.Lines()); n != 3 { // alb + alb/none after the interval
		t.Fatalf("after the interval: %d lines: %s", n, out.String())
	}
}

func TestCountFlushesFunctionLevelCounters(t *testing.T) {
	var buf bytes.Buffer
	m := NewMetrics(&buf, "orders", time.Hour)
	m.Count(contract.MetricBundleSwapped)
	m.Count(contract.MetricBundleRefused)
	m.Count(contract.MetricBundleRefused)
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &doc); err != nil {
		t.Fatalf("metrics document %q: %v", buf.String(), err)
	}
	if doc[contract.MetricBundleSwapped] != 1.0 || doc[contract.MetricBundleRefused] != 2.0 || doc[contract.DimFunctionName] != "orders" {
		t.Fatalf("document %v, want 1 swap and 2 refusals for orders", doc)
	}
	if !strings.Contains(buf.String(), `"Dimensions":[["FunctionName"]]`) {
		t.Fatalf("document %s lacks the FunctionName-only dimension set", buf.String())
	}
}
