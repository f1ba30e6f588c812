package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// populate sets every field reachable from v to a non-zero value, so that
// no omitempty field is left out when the record is written.
func populate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		populate(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		populate(e)
		m.SetMapIndex(reflect.ValueOf("k"), e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Unix(1700000000, 0).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				populate(v.Field(i))
			}
		}
	}
}

// TestColumnsMatchWrittenRecords writes a fully populated decision record
// the way the agent does and checks that the Glue columns are exactly the
// JSON keys of that line, with types matching the JSON values.
func TestColumnsMatchWrittenRecords(t *testing.T) {
	var rec telemetry.Record
	populate(reflect.ValueOf(&rec).Elem())
	var buf bytes.Buffer
	w := zerolog.New(&buf)
	w.Log().EmbedObject(telemetry.RecordObject(&rec)).Send()
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("agent record is not JSON: %v\n%s", err, buf.String())
	}
	cols := DecisionColumns()
	byName := map[string]Column{}
	for _, c := range cols {
		if _, dup := byName[c.Name]; dup {
			t.Errorf("duplicate column %q", c.Name)
		}
		byName[c.Name] = c
	}
	for key, val := range line {
		c, ok := byName[key]
		if !ok {
			t.Errorf("the agent writes %q but the Glue table has no such column", key)
			continue
		}
		if want := jsonKind(val); !strings.HasPrefix(c.Type, want) && !(want == "number" && isNumeric(c.Type)) {
			t.Errorf("column %s is %s but the agent writes a JSON %s", key, c.Type, want)
		}
	}
	for _, c := range cols {
		if _, ok := line[c.Name]; !ok {
			t.Errorf("column %q is never written by the agent", c.Name)
		}
	}
	for _, p := range PartitionKeys {
		if _, clash := byName[p.Name]; clash {
			t.Errorf("partition key %q clashes with a record column", p.Name)
		}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array<"
	case map[string]any:
		return "map<"
	}
	return "null"
}

func isNumeric(hive string) bool {
	return hive == "bigint" || hive == "int" || hive == "double"
}

func TestHiveTypes(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B int    `json:"b,omitempty"`
	}
	type sample struct {
		S     string            `json:"s"`
		N     int64             `json:"n"`
		F     float64           `json:"f"`
		T     time.Time         `json:"t"`
		L     []int             `json:"l"`
		M     map[string]string `json:"m"`
		I     []inner           `json:"i"`
		Skip  string            `json:"-"`
		NoTag bool
		priv  int
	}
	_ = sample{}.priv
	got, err := Columns(reflect.TypeOf(sample{}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"s string", "n bigint", "f double", "t string", "l array<bigint>",
		"m map<string,string>", "i array<struct<a:string,b:bigint>>", "NoTag boolean"}
	var have []string
	for _, c := range got {
		have = append(have, c.Name+" "+c.Type)
	}
	if !slices.Equal(have, want) {
		t.Errorf("columns\n got %q\nwant %q", have, want)
	}
	if _, err := Columns(reflect.TypeOf(struct{ C chan int }{})); err == nil {
		t.Error("a channel field has no Hive type; want an error")
	}
}

// emitted runs the agent's metrics writer over every kind of event and
// returns the metric names and dimension sets it wrote.
func emitted(t *testing.T) (metrics []string, dims map[string]bool) {
	var buf bytes.Buffer
	m := telemetry.NewMetrics(&buf, "orders", time.Hour)
	m.AddDecision("apigateway-http", telemetry.DecisionBlock, []string{"sqli"}, 120*time.Microsecond)
	m.AddDecision("apigateway-http", telemetry.DecisionLog, []string{"xss"}, 80*time.Microsecond)
	m.AddDecision("sqs", telemetry.DecisionAllow, nil, 20*time.Microsecond)
	m.AddControl("rate-limit", telemetry.DecisionBlock)
	m.AddResponseLeak("apigateway-http")
	m.AddDropped(3)
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	dims = map[string]bool{}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var doc struct {
			AWS struct {
				CloudWatchMetrics []struct {
					Namespace  string
					Dimensions [][]string
					Metrics    []struct{ Name string }
				}
			} `json:"_aws"`
		}
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("EMF document: %v", err)
		}
		for _, d := range doc.AWS.CloudWatchMetrics {
			if d.Namespace != telemetry.Namespace {
				t.Errorf("namespace %q, want %q", d.Namespace, telemetry.Namespace)
			}
			for _, set := range d.Dimensions {
				dims[strings.Join(set, ",")] = true
			}
			for _, mm := range d.Metrics {
				seen[mm.Name] = true
			}
		}
	}
	for name := range seen {
		metrics = append(metrics, name)
	}
	sort.Strings(metrics)
	return metrics, dims
}

// TestDashboardCoversEmittedMetrics fails when the agent emits a metric the
// dashboard does not show, or the dashboard shows one the agent never emits,
// or queries a dimension set the agent does not publish.
func TestDashboardCoversEmittedMetrics(t *testing.T) {
	got, dims := emitted(t)
	want := slices.Clone(DashboardMetrics())
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("agent emits %v; dashboard shows %v", got, want)
	}
	for _, set := range [][]string{byTrigger, byClass, byFunc, byControl} {
		if !dims[strings.Join(set, ",")] {
			t.Errorf("dashboard queries dimensions %v, which the agent does not publish (it publishes %v)", set, dims)
		}
	}
	body, err := Dashboard("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Widgets []struct {
			Type       string
			Properties struct {
				Region  string
				Metrics [][]any
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &parsed); err != nil {
		t.Fatalf("dashboard body is not JSON: %v", err)
	}
	if len(parsed.Widgets) == 0 {
		t.Fatal("dashboard has no widgets")
	}
	for _, name := range DashboardMetrics() {
		if !strings.Contains(body, name) {
			t.Errorf("dashboard body never mentions %s", name)
		}
	}
	for _, w := range parsed.Widgets {
		if w.Properties.Region != "eu-west-1" || len(w.Properties.Metrics) == 0 {
			t.Errorf("widget %+v has no region or metrics", w)
		}
	}
}

func TestQueries(t *testing.T) {
	if got, want := BlockedQuery(), `SELECT SUM(Blocked) FROM SCHEMA("lambdawaf", FunctionName,Trigger)`; got != want {
		t.Errorf("BlockedQuery() = %s, want %s", got, want)
	}
	if got := InsightsQuery(telemetry.MetricSignals, byClass, telemetry.DimClass); !strings.HasSuffix(got, "GROUP BY Class") {
		t.Errorf("grouped query %s", got)
	}
}

func TestCheckDashboardRefusesWhatCloudWatchWouldNotRun(t *testing.T) {
	q := BlockedQuery()
	widget := func(lines ...string) string {
		return `{"widgets":[{"type":"metric","properties":{"title":"t","region":"eu-west-1","metrics":[` + strings.Join(lines, ",") + `]}}]}`
	}
	line := func(id, e string) string {
		b, _ := json.Marshal([]any{map[string]any{"id": id, "expression": e}})
		return string(b)
	}
	for _, tc := range []struct {
		name, body, want string
	}{
		{"two Metrics Insights queries in one graph", widget(line("a", q), line("b", DroppedQuery())), "one Metrics Insights query per graph"},
		{"a query beside a metric", widget(line("a", q), `["lambdawaf","AgentErrors"]`), "one Metrics Insights query per graph"},
		{"two queries in one expression", widget(line("a", q+"; "+DroppedQuery())), "more than one query"},
		{"an id CloudWatch rejects", widget(line("Blocked", q)), "invalid or repeated id"},
		{"a repeated id", widget(line("a", search("Latency", byTrigger, "p50", 300)), line("a", search("Latency", byTrigger, "p99", 300))), "invalid or repeated id"},
		{"a widget without region", `{"widgets":[{"type":"metric","properties":{"metrics":[["lambdawaf","AgentErrors"]]}}]}`, "needs a region"},
		{"not JSON", `{"widgets":`, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckDashboard(tc.body); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckDashboard = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	body, err := Dashboard("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckDashboard(body); err != nil {
		t.Errorf("the dashboard itself: %v", err)
	}
}
