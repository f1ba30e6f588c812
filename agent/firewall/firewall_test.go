package firewall

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// fakeDetector flags two easy patterns, so these tests pin the firewall's
// behaviour, not the detectors'. It records what it was asked to inspect.
type fakeDetector struct {
	log *inspectLog
	off map[detect.Class]bool
}

// inspectLog records, across the detectors a firewall builds, which
// locations were inspected and which classes were off for each.
type inspectLog struct {
	mu   sync.Mutex
	seen []string
	off  map[string][]detect.Class
}

func (d *fakeDetector) InspectSite(v event.Value, _ *detect.Site, dst []detect.Signal) []detect.Signal {
	d.log.mu.Lock()
	d.log.seen = append(d.log.seen, v.Location)
	for c := range d.off {
		d.log.off[v.Location] = append(d.log.off[v.Location], c)
	}
	d.log.mu.Unlock()
	low := strings.ToLower(v.Text)
	if strings.Contains(low, "' or 1=1") && !d.off[detect.SQLi] {
		dst = append(dst, detect.Signal{Class: detect.SQLi, Location: v.Location, Record: v.Record, Rule: "sqli-libinjection", Score: 9})
	}
	if strings.Contains(low, "<script") && !d.off[detect.XSS] {
		dst = append(dst, detect.Signal{Class: detect.XSS, Location: v.Location, Record: v.Record, Rule: "xss-libinjection", Score: 8})
	}
	if v.Text == "panic-now" {
		panic("detector exploded")
	}
	return dst
}

func (l *inspectLog) inspected(loc string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.seen {
		if s == loc {
			return true
		}
	}
	return false
}

type recorder struct {
	mu   sync.Mutex
	ds   []*Decision
	reqs []*event.Request
}

func (r *recorder) Observe(_ context.Context, d *Decision) {
	panic("the firewall must prefer ObserveRequest")
}

func (r *recorder) ObserveRequest(_ context.Context, d *Decision, req *event.Request) {
	r.mu.Lock()
	r.ds = append(r.ds, d)
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
}

func newTestFirewall(t *testing.T, yamlDoc string, opts Options) (*Firewall, *inspectLog, *recorder) {
	t.Helper()
	p := policy.Default()
	if yamlDoc != "" {
		var err error
		p, err = policy.Parse([]byte(yamlDoc), filepath.Join(t.TempDir(), "c.yaml"))
		if err != nil {
			t.Fatalf("parse config: %v", err)
		}
	}
	log := &inspectLog{off: map[string][]detect.Class{}}
	rec := &recorder{}
	opts.NewDetector = func(o detect.Options) Detector {
		det := &fakeDetector{log: log, off: map[detect.Class]bool{}}
		for _, c := range o.DisableClasses {
			det.off[c] = true
		}
		return det
	}
	opts.Observer = rec
	return New(p, opts), log, rec
}

// fixture loads testdata/name and applies edits (dotted paths into the
// JSON object) so each test states only what differs.
func fixture(t testing.TB, name string, edits map[string]any) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) == 0 {
		return raw
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for path, v := range edits {
		parts := strings.Split(path, ".")
		m := doc
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func inspect(t *testing.T, f *Firewall, payload []byte) proxy.Verdict {
	t.Helper()
	v, err := f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "req-1", Event: payload})
	if err != nil {
		t.Fatalf("InspectEvent: %v", err)
	}
	return v
}

const sqli = "x' OR 1=1 --"

// v2Query edits an HTTP API event so its query parameter q is s.
func v2Query(s string) map[string]any {
	return map[string]any{"rawQueryString": "q=" + url.QueryEscape(s), "queryStringParameters": map[string]any{"q": s}}
}

func TestInspectHTTPTriggers(t *testing.T) {
	tests := []struct {
		name      string
		fixture   string
		edits     map[string]any
		wantBlock bool
		wantCode  string // a key the block response must have
	}{
		{"v2 benign", "apigw-v2.json", nil, false, ""},
		{"v2 sqli in query", "apigw-v2.json", v2Query(sqli), true, `"statusCode":403`},
		{"v1 benign with apostrophe", "apigw-v1.json", nil, false, ""},
		{"v1 xss in body", "apigw-v1.json", map[string]any{"body": `{"customer":"<script>alert(1)</script>"}`}, true, `"statusCode":403`},
		{"alb benign", "alb.json", nil, false, ""},
		{"alb sqli in header", "alb.json", map[string]any{"headers.x-search": sqli}, true, `"statusDescription"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, rec := newTestFirewall(t, "", Options{})
			payload := fixture(t, tt.fixture, tt.edits)
			v := inspect(t, f, payload)
			if v.Block != tt.wantBlock {
				t.Fatalf("Block = %v, want %v (decision %+v)", v.Block, tt.wantBlock, rec.ds[0])
			}
			if len(rec.ds) != 1 {
				t.Fatalf("observer saw %d decisions, want 1", len(rec.ds))
			}
			d := rec.ds[0]
			if rec.reqs[0] == nil || rec.reqs[0].SourceIP == "" {
				t.Errorf("observer did not get the request")
			}
			if d.RequestID != "req-1" {
				t.Errorf("RequestID = %q", d.RequestID)
			}
			if !tt.wantBlock {
				if d.Outcome != policy.Allow || v.Event != nil {
					t.Errorf("outcome %s, event replaced %v; want allow, untouched", d.Outcome, v.Event != nil)
				}
				return
			}
			if d.Outcome != policy.Block || len(d.Reasons) == 0 {
				t.Errorf("decision = %+v, want block with reasons", d)
			}
			if !bytes.Contains(v.BlockResponse, []byte(tt.wantCode)) {
				t.Errorf("block response %s lacks %s", v.BlockResponse, tt.wantCode)
			}
			for _, leak := range []string{"OR 1=1", "<script", "alert"} {
				if bytes.Contains(v.BlockResponse, []byte(leak)) {
					t.Errorf("block response reflects input %q: %s", leak, v.BlockResponse)
				}
			}
		})
	}
}

func TestModes(t *testing.T) {
	attack := fixture(t, "apigw-v2.json", v2Query(sqli))
	tests := []struct {
		name        string
		opts        Options
		doc         string
		wantBlock   bool
		wantOutcome policy.Outcome // "" = no decision observed
	}{
		{"block (default)", Options{}, "", true, policy.Block},
		{"log from env", Options{Mode: policy.ModeLog}, "", false, policy.Log},
		{"log from config", Options{}, "mode: log\n", false, policy.Log},
		{"env overrides config", Options{Mode: policy.ModeBlock}, "mode: log\n", true, policy.Block},
		{"off skips inspection", Options{Mode: policy.ModeOff}, "", false, ""},
		{"class set to log", Options{}, "detection:\n  classes:\n    sqli: log\n", false, policy.Log},
		{"class off", Options{}, "detection:\n  classes:\n    sqli: off\n", false, policy.Allow},
		{"detector rule off", Options{}, "detection:\n  rules:\n    sqli-libinjection: off\n", false, policy.Allow},
		{"threshold above score", Options{}, "detection:\n  threshold: 10\n", false, policy.Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, det, rec := newTestFirewall(t, tt.doc, tt.opts)
			v := inspect(t, f, attack)
			if v.Block != tt.wantBlock {
				t.Fatalf("Block = %v, want %v", v.Block, tt.wantBlock)
			}
			if tt.wantOutcome == "" {
				if len(rec.ds) != 0 || len(det.seen) != 0 {
					t.Fatalf("mode off inspected the event: %d decisions, %d values", len(rec.ds), len(det.seen))
				}
				return
			}
			if got := rec.ds[0].Outcome; got != tt.wantOutcome {
				t.Errorf("outcome = %s, want %s", got, tt.wantOutcome)
			}
			if tt.wantOutcome == policy.Log && tt.name != "class set to log" && !rec.ds[0].WouldBlock {
				t.Errorf("log mode decision should say WouldBlock")
			}
		})
	}
}

func TestRecordBatches(t *testing.T) {
	f, _, rec := newTestFirewall(t, "", Options{})
	payload := fixture(t, "sqs.json", nil)
	v := inspect(t, f, payload)
	if v.Block {
		t.Fatal("one bad record must not block the whole batch")
	}
	if v.Event == nil {
		t.Fatal("the bad record was not removed")
	}
	var batch struct {
		Records []struct {
			MessageID string `json:"messageId"`
		}
	}
	if err := json.Unmarshal(v.Event, &batch); err != nil {
		t.Fatalf("filtered batch is not JSON: %v", err)
	}
	var ids []string
	for _, r := range batch.Records {
		ids = append(ids, r.MessageID)
	}
	if strings.Join(ids, ",") != "m-0,m-2" {
		t.Errorf("records left = %v, want m-0,m-2", ids)
	}
	d := rec.ds[0]
	if len(d.DropRecords) != 1 || d.DropRecords[0] != 1 || d.Outcome != policy.Block {
		t.Errorf("decision = %+v, want record 1 dropped", d)
	}

	// Every record malicious: the invocation is answered, nothing reaches
	// the handler.
	all := bytes.ReplaceAll(payload, []byte("gift wrap"), []byte(sqli))
	all = bytes.ReplaceAll(all, []byte("leave at door"), []byte(sqli))
	v = inspect(t, f, all)
	if !v.Block || !bytes.Contains(v.BlockResponse, []byte("batchItemFailures")) {
		t.Errorf("all-bad batch: Block=%v response=%s", v.Block, v.BlockResponse)
	}

	// Log mode keeps the batch intact.
	flog, _, _ := newTestFirewall(t, "", Options{Mode: policy.ModeLog})
	if v := inspect(t, flog, payload); v.Event != nil || v.Block {
		t.Error("log mode altered the batch")
	}
}

// TestUnknownAndMalformedEvents: events of no known trigger and
// malformed events are judged generically, never passed unseen, and a
// block fails the invocation with its own error type.
func TestUnknownAndMalformedEvents(t *testing.T) {
	cases := []struct {
		name, config, payload string
		block                 bool
		skipped               string
	}{
		{"benign unknown event is inspected and allowed", "", `{"hello":"world"}`, false, ""},
		{"attack deep in an unknown event is blocked", "", `{"hello":{"list":[{"q":"` + sqli + `"}]}}`, true, ""},
		{"attack in a key of an unknown event is blocked", "", `{"hello":{"<script>alert(1)</script>":1}}`, true, ""},
		{"unknownTrigger allow passes unseen", "unknownTrigger: allow\n", `{"hello":"` + sqli + `"}`, false, "unknown-trigger"},
		{"unknownTrigger block blocks benign events", "unknownTrigger: block\n", `{"hello":"world"}`, true, ""},
		{"truncated event is blocked", "", `{"Records": [`, true, ""},
		{"a field of the wrong type does not hide the body", "", `{"version":"2.0","rawPath":"/","headers":{"a":1},"body":"` + sqli + `","requestContext":{"http":{"method":"POST"}}}`, true, ""},
		{"malformed is judged even when unknown triggers are allowed", "unknownTrigger: allow\n", `{"x":NaN,"q":"` + sqli + `"}`, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			lg := zerolog.New(&logs)
			f, _, rec := newTestFirewall(t, c.config, Options{Logger: &lg})
			v := inspect(t, f, []byte(c.payload))
			if v.Block != c.block {
				t.Fatalf("Block = %v, want %v (decision %+v)", v.Block, c.block, rec.ds[0])
			}
			if c.block && (v.BlockErrorType != ErrorTypeUnknownTrigger || !bytes.Contains(v.BlockResponse, []byte(ErrorTypeUnknownTrigger))) {
				t.Errorf("blocked with error type %q, response %s", v.BlockErrorType, v.BlockResponse)
			}
			d := rec.ds[0]
			if d.Skipped != c.skipped || d.Trigger != event.Unknown || len(d.EventKeys) == 0 {
				t.Errorf("decision %+v", d)
			}
			if strings.Contains(c.name, "malformed") || strings.Contains(c.name, "truncated") || strings.Contains(c.name, "wrong type") {
				if d.Error == "" || !strings.Contains(logs.String(), "malformed event") {
					t.Errorf("malformed event not recorded: %+v; log %s", d, logs.String())
				}
			}
		})
	}
	f, _, _ := newTestFirewall(t, "", Options{})
	for range 3 {
		inspect(t, f, []byte(`{"hello":"world"}`))
	}
	if f.UnknownTriggers() != 3 {
		t.Errorf("unknown triggers = %d, want 3", f.UnknownTriggers())
	}
	if _, err := f.Judge(context.Background(), []byte(`{`)); err == nil {
		t.Error("Judge of a malformed event returned no error")
	}
}

func TestPanicBecomesError(t *testing.T) {
	f, _, _ := newTestFirewall(t, "", Options{})
	payload := fixture(t, "apigw-v2.json", v2Query("panic-now"))
	_, err := f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r", Event: payload})
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("err = %v, want the panic as an error (the proxy's failure policy decides)", err)
	}
}

func TestExclusionSkipsLexing(t *testing.T) {
	doc := `
exclusions:
  - id: search-box
    locations: [query.q]
    routes: ["GET /items/{id}"]
  - id: notes-sql-only
    classes: [sqli]
    locations: ["body.note"]
`
	f, det, rec := newTestFirewall(t, doc, Options{})
	v := inspect(t, f, fixture(t, "apigw-v2.json", v2Query(sqli)))
	if v.Block {
		t.Fatalf("excluded location blocked: %+v", rec.ds[0])
	}
	if det.inspected("query.q") {
		t.Error("excluded value was inspected; exclusions must skip lexing")
	}
	if !det.inspected("header.user-agent") {
		t.Errorf("non-excluded values must still be inspected; inspected %v", det.seen)
	}
	// A class-limited exclusion runs the value through a detector without
	// that class: sqli is not run on body.note, xss still is.
	withNote := fixture(t, "apigw-v2.json", map[string]any{"body": `{"note":"x' OR 1=1 --","other":"fine"}`})
	if v := inspect(t, f, withNote); v.Block {
		t.Fatalf("excluded class blocked: %+v", rec.ds[len(rec.ds)-1])
	}
	// (The key and the value are both inspected, each without sqli.)
	if off := det.off["body.note"]; len(off) == 0 || slices.ContainsFunc(off, func(c detect.Class) bool { return c != detect.SQLi }) {
		t.Errorf("body.note inspected with classes off = %v, want only sqli", off)
	}
	if off := det.off["body.other"]; len(off) != 0 {
		t.Errorf("body.other inspected with classes off = %v, want none", off)
	}
	withXSS := fixture(t, "apigw-v2.json", map[string]any{"body": `{"note":"<script>alert(1)</script>"}`})
	if v := inspect(t, f, withXSS); !v.Block {
		t.Error("an sqli exclusion must not hide xss")
	}
	// The same value on another route is judged.
	other := fixture(t, "apigw-v2.json", map[string]any{"routeKey": "GET /other", "rawPath": "/other", "rawQueryString": "q=" + url.QueryEscape(sqli), "queryStringParameters": map[string]any{"q": sqli}})
	if v := inspect(t, f, other); !v.Block {
		t.Error("exclusion leaked to another route")
	}
}

func TestResponseFilterAskedWhenAllowed(t *testing.T) {
	called := 0
	f, _, _ := newTestFirewall(t, "", Options{ResponseFilters: ResponseFiltersFunc(func(ctx context.Context, inv *proxy.Invocation, d *Decision) proxy.ResponseFilter {
		called++
		return nopFilter{}
	})})
	if v := inspect(t, f, fixture(t, "apigw-v2.json", nil)); v.Response == nil {
		t.Error("allowed invocation got no response filter")
	}
	inspect(t, f, fixture(t, "apigw-v2.json", v2Query(sqli)))
	if called != 1 {
		t.Errorf("filter factory called %d times, want 1 (not for blocked events)", called)
	}
}

type nopFilter struct{}

func (nopFilter) FilterResponse(_ context.Context, p []byte) ([]byte, error) { return p, nil }
func (nopFilter) FilterStream(_ context.Context, _ string, r io.Reader) io.Reader {
	return r
}

func TestReloadKeepsLastGood(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte("rules:\n  - id: no-admin\n    when: {field: path, prefix: /admin}\n    action: block\n"), 0o644)
	os.WriteFile(bad, []byte("rules:\n  - id: broken\n    when: {field: path, regex: '(['}\n    action: block\n"), 0o644)

	var logs bytes.Buffer
	lg := zerolog.New(&logs)
	f, _, _ := newTestFirewall(t, "", Options{Logger: &lg})
	admin := fixture(t, "apigw-v2.json", map[string]any{"rawPath": "/admin/users", "routeKey": "$default"})

	if v := inspect(t, f, admin); v.Block {
		t.Fatal("defaults should not block /admin")
	}
	if err := f.Reload(good); err != nil {
		t.Fatalf("reload good: %v", err)
	}
	if v := inspect(t, f, admin); !v.Block {
		t.Fatal("good configuration not applied")
	}
	err := f.Reload(bad)
	if err == nil {
		t.Fatal("reloading an invalid configuration returned no error")
	}
	if f.Policy().Source() != good {
		t.Errorf("running configuration = %s, want the last good one", f.Policy().Source())
	}
	if v := inspect(t, f, admin); !v.Block {
		t.Fatal("after a bad reload the last good configuration must keep protecting")
	}
	if !strings.Contains(logs.String(), "INVALID lambdawaf configuration") || !strings.Contains(logs.String(), "line 3") {
		t.Errorf("bad configuration not reported loudly with its line: %s", logs.String())
	}

	// At first start, an invalid document leaves the defaults running.
	f2, err := Open(bad, Options{Logger: &lg})
	if err == nil || f2 == nil {
		t.Fatalf("Open(bad) = %v, %v; want a firewall and the error", f2, err)
	}
	if f2.Policy().Source() != "<defaults>" {
		t.Errorf("first start with a bad document runs %s, want the defaults", f2.Policy().Source())
	}
	if _, err := Open(filepath.Join(dir, "missing.yaml"), Options{}); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("unreadable configuration error = %v", err)
	}
}

// The request's Host and Referer reach the detectors: a session id in a
// link from the same site is the application's URL rewriting, from another
// site it is session fixation (CRS 943110).
func TestSiteReachesDetectors(t *testing.T) {
	tests := []struct {
		referer   string
		wantBlock bool
	}{
		{"https://api.example.com/login", false},
		{"https://evil.example/phish", true},
	}
	for _, tt := range tests {
		f := New(policy.Default(), Options{})
		edits := map[string]any{
			"rawQueryString":        "jsessionid=abc123",
			"queryStringParameters": map[string]any{"jsessionid": "abc123"},
			"headers":               map[string]any{"host": "api.example.com", "referer": tt.referer},
		}
		if v := inspect(t, f, fixture(t, "apigw-v2.json", edits)); v.Block != tt.wantBlock {
			t.Errorf("referer %s: Block = %v, want %v", tt.referer, v.Block, tt.wantBlock)
		}
	}
}

// The configured paranoia level reaches the detection engine; a
// configuration that leaves it out keeps the engine's default.
func TestParanoiaReachesEngine(t *testing.T) {
	tests := []struct {
		doc  string
		want int
	}{
		{"", 0},
		{"detection:\n  paranoia: 1\n", 1},
		{"detection:\n  paranoia: 2\n", 2},
	}
	for _, tt := range tests {
		p := policy.Default()
		if tt.doc != "" {
			var err error
			if p, err = policy.Parse([]byte(tt.doc), "c.yaml"); err != nil {
				t.Fatal(err)
			}
		}
		var got detect.Options
		New(p, Options{NewDetector: func(o detect.Options) Detector {
			got = o
			return detect.New(o)
		}})
		if got.Paranoia != tt.want {
			t.Errorf("%q: engine paranoia = %d, want %d", tt.doc, got.Paranoia, tt.want)
		}
	}
}

func TestConcurrentInspectAndSwap(t *testing.T) {
	f, _, _ := newTestFirewall(t, "", Options{})
	attack := fixture(t, "apigw-v2.json", v2Query(sqli))
	p2, err := policy.Parse([]byte("detection:\n  threshold: 2\n"), "two.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				v, err := f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r", Event: attack})
				if err != nil || !v.Block {
					t.Errorf("concurrent inspection: block=%v err=%v", v.Block, err)
					return
				}
				if i%10 == 0 {
					f.Swap(p2)
				}
			}
		}()
	}
	wg.Wait()
}

func TestPlainObserver(t *testing.T) {
	var got []*Decision
	f := New(nil, Options{NewDetector: func(detect.Options) Detector {
		return &fakeDetector{log: &inspectLog{off: map[string][]detect.Class{}}}
	},
		Observer: ObserverFunc(func(_ context.Context, d *Decision) { got = append(got, d) })})
	inspect(t, f, fixture(t, "apigw-v2.json", nil))
	if len(got) != 1 || got[0].Outcome != policy.Allow || got[0].Trigger != event.APIGatewayHTTP {
		t.Fatalf("observed %+v", got)
	}
}

// TestABlockEndsTheWalk: once a value blocks the event and nothing later
// could undo it, the rest of the event is not inspected (padding an
// attack with costly text then costs no more than the attack). Where
// something later could matter (log mode, whose record lists every
// finding; a rule after the walk; the other records of a batch), every
// value is still inspected.
func TestABlockEndsTheWalk(t *testing.T) {
	attack := fixture(t, "apigw-v2.json", map[string]any{
		"rawQueryString": "q=" + url.QueryEscape(sqli), "queryStringParameters": map[string]any{"q": sqli},
		"body": `{"later":"<script>alert(1)</script>"}`,
	})
	tests := []struct {
		name        string
		opts        Options
		doc         string
		wantBlock   bool
		wantSignals int
	}{
		{"block mode stops at the first blocking value", Options{}, "", true, 1},
		{"log mode inspects everything", Options{Mode: policy.ModeLog}, "", false, 2},
		{"a class in log mode does not end it", Options{}, "detection:\n  classes:\n    sqli: log\n", true, 2},
		{"a rule after the walk sees everything", Options{}, "rules:\n  - id: fp\n    when: {signal: {class: sqli}}\n    action: {type: continue, removeSignals: {class: sqli}}\n", true, 1},
		{"the offline tools walk everything", Options{CompleteWalk: true}, "", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, det, rec := newTestFirewall(t, tt.doc, tt.opts)
			if v := inspect(t, f, attack); v.Block != tt.wantBlock {
				t.Fatalf("Block = %v, want %v", v.Block, tt.wantBlock)
			}
			d := rec.ds[0]
			if len(d.Signals) != tt.wantSignals {
				t.Errorf("%d signals, want %d: %+v", len(d.Signals), tt.wantSignals, d.Signals)
			}
			if stopped := !det.inspected("body.later"); stopped != (tt.name == "block mode stops at the first blocking value") {
				t.Errorf("body.later inspected = %v", !stopped)
			}
		})
	}

	// A bad record of a batch drops that record; the records after it are
	// still judged.
	f, det, _ := newTestFirewall(t, "", Options{})
	inspect(t, f, fixture(t, "sqs.json", nil))
	if !det.inspected("records[2].body.note") {
		t.Error("the record after a blocked one was not inspected")
	}
}
