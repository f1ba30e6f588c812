package telemetry

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/outbound"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

var testKey = []byte("0123456789abcdef0123456789abcdef-test-key")

func plantedRequest() *event.Request {
	return &event.Request{
		Trigger: event.APIGatewayHTTP,
		Method:  "POST",
		Path:    "/orders/" + plantedCard,
		Route:   "POST /orders/{id}",
		Query:   map[string][]string{"q": {plantedQuery}, "card": {plantedCard}},
		Headers: map[string][]string{
			"authorization":   {plantedAuth},
			"cookie":          {plantedCookie},
			"x-api-key":       {plantedAPIKey},
			"x-forwarded-for": {plantedIP},
			"user-agent":      {"sqlmap/1.7 " + plantedAWSKey},
			"content-type":    {"application/json"},
		},
		Cookies:  map[string][]string{"session": {"s3ss10n-c00k1e-v4lue"}},
		SourceIP: plantedIP,
		Claims:   map[string]string{"jwt.sub": plantedUser, "jwt.email": plantedUser, "jwt.scope": "orders:write"},
		Body:     []byte(`{"card":"` + plantedCard + `"}`),
	}
}

func blockDecision() *policy.Decision {
	return &policy.Decision{
		RequestID: "req-block", Trigger: event.APIGatewayHTTP, Method: "POST", Route: "POST /orders/{id}",
		Mode: policy.ModeBlock, Outcome: policy.Block, Status: 403, Duration: 37 * time.Microsecond,
		Signals: []detect.Signal{{
			Class: detect.SQLi, Location: "query.q", Rule: "libinjection-sqli", Score: 9,
			// A detector that forgot to scrub: telemetry scrubs again.
			Excerpt: "1' OR 1=1 -- " + plantedCard + " " + plantedAWSKey + strings.Repeat("x", 300),
		}},
		Reasons: []policy.Reason{{Kind: policy.ReasonSignal, ID: "libinjection-sqli", Action: policy.Block, Class: detect.SQLi, Location: "query.q", Record: -1}},
		RuleIDs: []string{"block-sqli"},
		Labels:  []string{"attack"},
	}
}

func decode(t *testing.T, line string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, line)
	}
	return m
}

func TestObserveRedacts(t *testing.T) {
	var out syncBuffer
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{FunctionName: "orders", AgentVersion: "test", SampleAllowed: 1})
	r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	lines := out.Lines()
	if len(lines) != 1 {
		t.Fatalf("want 1 line, got %d: %q", len(lines), out.String())
	}
	m := decode(t, lines[0])
	for k, want := range map[string]any{
		"kind": "decision", "decision": "block", "mode": "block", "level": "warn", "request_id": "req-block",
		"function_name": "orders", "trigger": "apigateway-http", "route": "POST /orders/{id}", "status_code": 403.0,
		"schema_version": 1.0, "pseudonym_key": "secret", "inspection_us": 37.0,
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
	if src, _ := m["source"].(string); src != Pseudonym(testKey, SourcePrefix, plantedIP) || !strings.HasPrefix(src, "ip_") || len(src) != 3+16 {
		t.Errorf("source = %q", src)
	}
	if usr, _ := m["user"].(string); usr != Pseudonym(testKey, UserPrefix, plantedUser) || len(usr) != 4+16 {
		t.Errorf("user = %q", usr)
	}
	headers, _ := m["headers"].(map[string]any)
	for _, h := range []string{"authorization", "cookie", "x-api-key", "x-forwarded-for"} {
		if _, ok := headers[h]; ok {
			t.Errorf("header %s logged", h)
		}
	}
	if ua, _ := headers["user-agent"].(string); !strings.HasPrefix(ua, "sqlmap/1.7 AKIA****") {
		t.Errorf("user-agent = %q, want kept and scrubbed", ua)
	}
	query, _ := m["query"].(map[string]any)
	if query["q"] != "[19 bytes]" || query["card"] != "[16 bytes]" {
		t.Errorf("query = %v", query)
	}
	sig := m["signals"].([]any)[0].(map[string]any)
	ex, _ := sig["excerpt"].(string)
	if len(ex) > MaxExcerpt+len("…")+32 || !strings.Contains(ex, "1' OR 1=1") {
		t.Errorf("excerpt = %q (%d bytes)", ex, len(ex))
	}
	for _, s := range planted {
		if strings.Contains(lines[0], s) {
			t.Errorf("record contains planted %q", s)
		}
	}
}

func TestPseudonymsCorrelate(t *testing.T) {
	a := Pseudonym(testKey, SourcePrefix, plantedIP)
	if a != Pseudonym(testKey, SourcePrefix, plantedIP) {
		t.Error("pseudonym not stable")
	}
	if a == Pseudonym([]byte("another-key-another-key-another-key"), SourcePrefix, plantedIP) {
		t.Error("pseudonym independent of the key")
	}
	if strings.TrimPrefix(a, SourcePrefix) == strings.TrimPrefix(Pseudonym(testKey, UserPrefix, plantedIP), UserPrefix) {
		t.Error("an address and a user name share a pseudonym")
	}
	if Pseudonym(testKey, SourcePrefix, "") != "" {
		t.Error("empty value pseudonymised")
	}
}

func TestSamplingAndLevel(t *testing.T) {
	allow := func(id string) *policy.Decision {
		return &policy.Decision{RequestID: id, Trigger: event.APIGatewayHTTP, Mode: policy.ModeBlock, Outcome: policy.Allow}
	}
	logged := &policy.Decision{RequestID: "l", Trigger: event.SQS, Mode: policy.ModeLog, Outcome: policy.Log, WouldBlock: true}
	tests := []struct {
		name       string
		cfg        Config
		wantAllows int // of 1000
		slack      int
	}{
		{"everything", Config{Level: zerolog.InfoLevel, SampleAllowed: 1}, 1000, 0},
		{"none", Config{Level: zerolog.InfoLevel, SampleAllowed: 0}, 0, 0},
		{"ten percent", Config{Level: zerolog.InfoLevel, SampleAllowed: 0.1}, 100, 40},
		{"level warn", Config{Level: zerolog.WarnLevel, SampleAllowed: 1}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			r := NewRecorder(capture(&out), agentkey.Static(testKey), tt.cfg)
			for i := range 1000 {
				r.Observe(context.Background(), allow("req-"+strconv.Itoa(i)))
			}
			r.Observe(context.Background(), blockDecision())
			r.Observe(context.Background(), logged)
			lines := out.Lines()
			allows := len(lines) - 2
			if allows < tt.wantAllows-tt.slack || allows > tt.wantAllows+tt.slack {
				t.Errorf("allowed records = %d, want %d±%d", allows, tt.wantAllows, tt.slack)
			}
			if !strings.Contains(out.String(), `"decision":"block"`) || !strings.Contains(out.String(), `"decision":"log"`) {
				t.Error("blocked/logged events must always be recorded")
			}
			if allows > 0 {
				m := decode(t, lines[0])
				if m["sample_rate"] != tt.cfg.SampleAllowed {
					t.Errorf("sample_rate = %v", m["sample_rate"])
				}
			}
		})
	}
}

// slowKey returns a Key whose fetch completes when release is closed.
func slowKey(t *testing.T, release <-chan struct{}, fail bool) *agentkey.Key {
	t.Helper()
	return agentkey.Load(context.Background(), agentkey.Options{
		SecretARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k",
		Client:    blockingClient{release: release, fail: fail},
		MaxWait:   time.Minute,
		Logger:    zerolog.New(capture(&syncBuffer{})),
	})
}

func TestRecordsWaitForKey(t *testing.T) {
	release := make(chan struct{})
	var out syncBuffer
	r := NewRecorder(capture(&out), slowKey(t, release, false), Config{KeyWait: time.Minute, SampleAllowed: 1})
	defer r.Close(context.Background())
	start := time.Now()
	r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	if d := time.Since(start); d > 20*time.Millisecond {
		t.Errorf("Observe blocked %v waiting for the key", d)
	}
	if out.String() != "" {
		t.Fatalf("record written before the key arrived: %s", out.String())
	}
	close(release)
	waitFor(t, func() bool { return len(out.Lines()) == 1 })
	m := decode(t, out.Lines()[0])
	if m["pseudonym_key"] != "secret" || m["source"] != Pseudonym([]byte(slowKeyBytes), SourcePrefix, plantedIP) {
		t.Errorf("record after key arrival: %v", m)
	}
}

func TestRecordsFallBackAfterKeyWait(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var out syncBuffer
	key := slowKey(t, release, false)
	r := NewRecorder(capture(&out), key, Config{KeyWait: 50 * time.Millisecond, SampleAllowed: 1})
	defer r.Close(context.Background())
	r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	waitFor(t, func() bool { return len(out.Lines()) == 1 })
	m := decode(t, out.Lines()[0])
	if m["pseudonym_key"] != "ephemeral" || m["source"] != Pseudonym(key.Fallback(), SourcePrefix, plantedIP) {
		t.Errorf("record after KeyWait: %v", m)
	}
	// Later records do not queue again.
	r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	if len(out.Lines()) != 2 {
		t.Errorf("record after the deadline was queued")
	}
}

func TestPendingBounded(t *testing.T) {
	release := make(chan struct{})
	var out syncBuffer
	r := NewRecorder(capture(&out), slowKey(t, release, false), Config{KeyWait: time.Minute, MaxPending: 2, SampleAllowed: 1})
	for range 3 {
		r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
	}
	if n := len(out.Lines()); n != 1 {
		t.Fatalf("with 3 records and room for 2, %d written early", n)
	}
	if m := decode(t, out.Lines()[0]); m["pseudonym_key"] != "ephemeral" {
		t.Errorf("overflowed record: %v", m)
	}
	// Shutdown flushes the rest even though the key never came.
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(out.Lines()); n != 3 {
		t.Errorf("after Close, %d records written, want 3", n)
	}
	close(release)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Allowlisting a credential header does not log it.
func TestAllowlistedCredentialHeaderIsNotLogged(t *testing.T) {
	red := NewRedactor([]string{"user-agent", "authorization"})
	got := red.ForRequest(nil).Headers(map[string][]string{"authorization": {"x"}, "user-agent": {"ua"}})
	if len(got) != 1 || got["user-agent"] != "ua" {
		t.Errorf("allowlisting authorization must not log it: %v", got)
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"line1\nline2\x1b[31m", "line1�line2�[31m"},
		{strings.Repeat("é", 100), strings.Repeat("é", 64) + "…"},
		{"card 4111-1111-1111-1111", "card ****-****-****-1111"},
	}
	for _, tt := range tests {
		if got := Excerpt(tt.in, MaxExcerpt); got != tt.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The recorder is what the firewall and outbound inspection report to.
var (
	_ firewall.RequestObserver = (*Recorder)(nil)
	_ outbound.Reporter        = (*Recorder)(nil)
)

func TestUserIDPrefersTheSubject(t *testing.T) {
	tests := []struct {
		claims map[string]string
		want   string
	}{
		{map[string]string{"jwt.email": "a@example.com", "jwt.sub": "sub-1", "jwt.scope": "x"}, "sub-1"},
		{map[string]string{"claims.email": "a@example.com", "claims.cognito:username": "alice"}, "alice"},
		{map[string]string{"authorizer.principalId": "user|42", "authorizer.tenant": "t"}, "user|42"},
		{map[string]string{"iam.userArn": "arn:aws:iam::123456789012:user/bob", "iam.accountId": "123456789012"}, "arn:aws:iam::123456789012:user/bob"},
		{map[string]string{"jwt.scope": "read"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := userID(tt.claims); got != tt.want {
			t.Errorf("userID(%v) = %q, want %q", tt.claims, got, tt.want)
		}
	}
}

// BenchmarkObserve is the cost on the invocation path of recording one
// blocked decision (redaction, two HMAC pseudonyms, encoding, one write).
//
//	go test ./agent/telemetry -run '^$' -bench BenchmarkObserve
func BenchmarkObserve(b *testing.B) {
	m := NewMetrics(discard{}, "orders", time.Hour)
	r := NewRecorder(discard{}, agentkey.Static(testKey), Config{SampleAllowed: 1, Metrics: m})
	d, req := blockDecision(), plantedRequest()
	b.ReportAllocs()
	for b.Loop() {
		r.ObserveRequest(context.Background(), d, req)
	}
}

// TestConcurrentObserve records from many goroutines while the key
// arrives, as Lambda Managed Instances do; run with -race.
func TestConcurrentObserve(t *testing.T) {
	release := make(chan struct{})
	var out syncBuffer
	m := NewMetrics(&out, "orders", time.Hour)
	r := NewRecorder(capture(&out), slowKey(t, release, false), Config{KeyWait: time.Minute, MaxPending: 50, SampleAllowed: 1, Metrics: m})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if g == 0 && i == 50 {
					close(release)
				}
				r.ObserveRequest(context.Background(), blockDecision(), plantedRequest())
			}
		}()
	}
	wg.Wait()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, inspected := 0, 0.0
	for _, l := range out.Lines() {
		m := decode(t, l) // every line whole, none interleaved
		if m["kind"] == KindDecision {
			n++
		}
		if v, ok := m[MetricInspected].(float64); ok {
			inspected += v
		}
	}
	if n != 800 || inspected != 800 {
		t.Errorf("%d records and %v inspected for 800 decisions", n, inspected)
	}
}

// TestSchemaExample checks that the example in SCHEMA.md is a Record.
func TestSchemaExample(t *testing.T) {
	doc := readSchemaDoc(t)
	start := strings.Index(doc, "```json\n")
	end := strings.Index(doc[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("no JSON example in SCHEMA.md")
	}
	dec := json.NewDecoder(strings.NewReader(doc[start+8 : start+8+end]))
	dec.DisallowUnknownFields()
	var r Record
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("SCHEMA.md example: %v", err)
	}
	if r.SchemaVersion != SchemaVersion || r.Kind != KindDecision || len(r.Signals) != 1 {
		t.Errorf("example = %+v", r)
	}
}

// TestStatusCodeOnlyForHTTPBlocks: a batch whose records were dropped has
// no HTTP response, so its record carries no status code.
func TestStatusCodeOnlyForHTTPBlocks(t *testing.T) {
	var out syncBuffer
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{SampleAllowed: 1})
	batch := &policy.Decision{RequestID: "sqs", Trigger: event.SQS, Mode: policy.ModeBlock, Outcome: policy.Block, Status: 403, DropRecords: []int{1}}
	r.Observe(context.Background(), blockDecision())
	r.Observe(context.Background(), batch)
	lines := out.Lines()
	if len(lines) != 2 {
		t.Fatalf("want 2 records, got %d", len(lines))
	}
	if got := decode(t, lines[0])["status_code"]; got != 403.0 {
		t.Errorf("HTTP block status_code = %v, want 403", got)
	}
	if got, ok := decode(t, lines[1])["status_code"]; ok {
		t.Errorf("batch block carries status_code %v", got)
	}
}

// allowDecision is a benign event's decision.
func allowDecision(id string) *policy.Decision {
	return &policy.Decision{
		RequestID: id, Trigger: event.APIGatewayHTTP, Method: "GET", Route: "GET /orders",
		Mode: policy.ModeBlock, Outcome: policy.Allow, Duration: 21 * time.Microsecond,
		RuleIDs: []string{"allow-health"},
	}
}

// writeCounter counts the writes it receives.
type writeCounter struct {
	syncBuffer
	writes atomic.Int32
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes.Add(1)
	return w.syncBuffer.Write(p)
}

// A Deferred recorder writes nothing for allowed events on the
// invocation's path: their records wait until a batch is due after a
// response (WriteDue, which writes it on a goroutine of its own), or
// Flush, and are then written in order, in one write; never more than
// MaxDeferred wait.
func TestDeferredAllowedRecordsAreWrittenInBatches(t *testing.T) {
	var out writeCounter
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{Deferred: true, SampleAllowed: 1, DeferredDelay: time.Hour})
	d := allowDecision("req-0")
	r.ObserveRequest(context.Background(), d, plantedRequest())
	// The decision's slices may be reused by the caller once Observe
	// returns: the record must not share them.
	d.RuleIDs[0] = "changed"
	for i := 1; i < DeferredBatch-1; i++ {
		r.Observe(context.Background(), allowDecision("req-"+strconv.Itoa(i)))
	}
	r.WriteDue()
	if n := len(out.Lines()); n != 0 {
		t.Fatalf("%d lines written with %d records held, want 0", n, DeferredBatch-1)
	}
	r.Observe(context.Background(), allowDecision("req-last"))
	if n := len(out.Lines()); n != 0 {
		t.Fatalf("%d lines written on the invocation's path, want 0", n)
	}
	r.WriteDue()
	deadline := time.Now().Add(2 * time.Second)
	for len(out.Lines()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	lines := out.Lines()
	if len(lines) != DeferredBatch || out.writes.Load() != 1 {
		t.Fatalf("a due batch: %d lines in %d writes, want %d in 1", len(lines), out.writes.Load(), DeferredBatch)
	}
	// Built at write time, the record is the one built on the path would
	// be: the decision as it was observed, the request scrubbed, the
	// source pseudonymised with the key.
	rec := decode(t, lines[0])
	if rec["rule_ids"].([]any)[0] != "allow-health" || rec["request_id"] != "req-0" {
		t.Errorf("first line %v: out of order, or the record shares the decision's slice", rec)
	}
	var direct syncBuffer
	NewRecorder(capture(&direct), agentkey.Static(testKey), Config{SampleAllowed: 1}).
		ObserveRequest(context.Background(), allowDecision("req-0"), plantedRequest())
	want := decode(t, direct.Lines()[0])
	delete(rec, "time")
	delete(want, "time")
	if !reflect.DeepEqual(rec, want) {
		t.Errorf("record built at write time differs from one built at once:\n got %v\nwant %v", rec, want)
	}
	if rec := decode(t, lines[DeferredBatch-1]); rec["request_id"] != "req-last" {
		t.Errorf("last line is %v, want req-last: records out of order", rec["request_id"])
	}

	for i := range MaxDeferred - 1 {
		r.Observe(context.Background(), allowDecision("held-"+strconv.Itoa(i)))
	}
	if n := len(out.Lines()); n != DeferredBatch {
		t.Fatalf("%d lines with %d records held, want %d", n, MaxDeferred-1, DeferredBatch)
	}
	r.Observe(context.Background(), allowDecision("bound")) // the bound: all are written
	if n := len(out.Lines()); n != DeferredBatch+MaxDeferred {
		t.Fatalf("%d lines at the bound, want %d", n, DeferredBatch+MaxDeferred)
	}
	r.Observe(context.Background(), allowDecision("at-shutdown"))
	if err := r.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(out.Lines()); n != DeferredBatch+MaxDeferred+1 {
		t.Fatalf("%d lines after Flush, want %d", n, DeferredBatch+MaxDeferred+1)
	}
}

// A block's record is written before the block response can be posted
// (the environment may be frozen right after it), after the records
// held before it, in one write; so is any record that is not an allowed
// event's.
func TestDeferredBlockRecordIsWrittenAtOnceAfterThoseHeld(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    *policy.Decision
	}{
		{"block", blockDecision()},
		{"inspection error", func() *policy.Decision {
			d := allowDecision("req-error")
			d.Error = "inspection time budget exceeded"
			return d
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out writeCounter
			r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{Deferred: true, SampleAllowed: 1, DeferredDelay: time.Hour})
			r.Observe(context.Background(), allowDecision("held-1"))
			r.Observe(context.Background(), allowDecision("held-2"))
			r.ObserveRequest(context.Background(), tc.d, plantedRequest())
			lines := out.Lines()
			if len(lines) != 3 || out.writes.Load() != 1 {
				t.Fatalf("%d lines in %d writes, want 3 in 1", len(lines), out.writes.Load())
			}
			for i, want := range []string{"held-1", "held-2", tc.d.RequestID} {
				if got := decode(t, lines[i])["request_id"]; got != want {
					t.Errorf("line %d is %v, want %s", i, got, want)
				}
			}
		})
	}
}

// An allowed record is not held for ever while the environment runs: the
// delay writes it even if no batch fills.
func TestDeferredRecordIsWrittenAfterTheDelay(t *testing.T) {
	var out writeCounter
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{Deferred: true, SampleAllowed: 1, DeferredDelay: 10 * time.Millisecond})
	defer r.Close(context.Background())
	r.Observe(context.Background(), allowDecision("lonely"))
	deadline := time.Now().Add(2 * time.Second)
	for len(out.Lines()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the held record was never written")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if rec := decode(t, out.Lines()[0]); rec["request_id"] != "lonely" {
		t.Errorf("wrote %v", rec["request_id"])
	}
}

func TestShadowOutcomeIsRecordedAndDifferencesCounted(t *testing.T) {
	var out, metrics syncBuffer
	m := NewMetrics(&metrics, "orders", time.Hour)
	r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{FunctionName: "orders", SampleAllowed: 1, Metrics: m})
	d := blockDecision()
	d.Bundle, d.ShadowBundle, d.ShadowOutcome, d.ShadowDiff = "v1", "v2", policy.Allow, []string{"decision block -> allow"}
	r.ObserveRequest(context.Background(), d, plantedRequest())
	rec := decode(t, out.Lines()[0])
	if rec["bundle"] != "v1" || rec["shadow_bundle"] != "v2" || rec["shadow_decision"] != "allow" || !reflect.DeepEqual(rec["shadow_diff"], []any{"decision block -> allow"}) {
		t.Fatalf("record %v lacks the bundle and the shadow outcome", rec)
	}
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(metrics.String(), `"ShadowDiffers":1`) {
		t.Fatalf("metrics %s do not count the difference", metrics.String())
	}
}

// TestRecordCountsWhatCapsLeftOut: the caps on signals (the decision's
// and the record's), reasons and decoding issues bound the record's size;
// what they leave out is counted in it.
func TestRecordCountsWhatCapsLeftOut(t *testing.T) {
	tests := []struct {
		name                      string
		signals, omittedSignals   int
		omittedReasons, omitIssue int
		want                      map[string]any
	}{
		{"nothing left out", 3, 0, 0, 0, map[string]any{}},
		{"record cap", maxSignals + 5, 0, 0, 0, map[string]any{"omitted_signals": 5.0}},
		{"decision and record caps", policy.MaxSignals, 10, 0, 0, map[string]any{"omitted_signals": float64(policy.MaxSignals - maxSignals + 10)}},
		{"reasons and decoding issues", 1, 0, 7, 36, map[string]any{"omitted_reasons": 7.0, "omitted_issues": 36.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			r := NewRecorder(capture(&out), agentkey.Static(testKey), Config{FunctionName: "orders", SampleAllowed: 1})
			d := blockDecision()
			d.Signals = nil
			for i := range tt.signals {
				d.Signals = append(d.Signals, detect.Signal{Class: detect.Protocol, Location: "query.k" + strconv.Itoa(i), Rule: "decode-invalid-url-encoding", Score: 3})
			}
			d.OmittedSignals, d.OmittedReasons, d.OmittedIssues = tt.omittedSignals, tt.omittedReasons, tt.omitIssue
			r.ObserveRequest(context.Background(), d, plantedRequest())
			m := decode(t, out.Lines()[0])
			for _, k := range []string{"omitted_signals", "omitted_reasons", "omitted_issues"} {
				if m[k] != tt.want[k] {
					t.Errorf("%s = %v, want %v", k, m[k], tt.want[k])
				}
			}
			if n := len(m["signals"].([]any)); n != min(tt.signals, maxSignals) {
				t.Errorf("%d signals recorded", n)
			}
		})
	}
}

// Events an abuse control decided are counted by control (Blocked and
// LoggedOnly with dimensions FunctionName, Control), as the control asked
// and the mode allowed, once per control per event; attacks are not.
func TestAbuseControlsAreCountedByControl(t *testing.T) {
	var metrics syncBuffer
	m := NewMetrics(&metrics, "orders", time.Hour)
	r := NewRecorder(discard{}, agentkey.Static(testKey), Config{FunctionName: "orders", SampleAllowed: 1, Metrics: m})
	reason := func(k policy.ReasonKind, a policy.Outcome) policy.Reason {
		return policy.Reason{Kind: k, ID: "x", Action: a, Record: -1}
	}
	decide := func(o policy.Outcome, mode policy.Mode, rs ...policy.Reason) *policy.Decision {
		return &policy.Decision{RequestID: "r", Trigger: event.APIGatewayHTTP, Mode: mode, Outcome: o, Reasons: rs}
	}
	for _, d := range []*policy.Decision{
		decide(policy.Block, policy.ModeBlock, reason(policy.ReasonRateLimit, policy.Block), reason(policy.ReasonRateLimit, policy.Block)),
		decide(policy.Block, policy.ModeBlock, reason(policy.ReasonFlagged, policy.Block)),
		decide(policy.Log, policy.ModeLog, reason(policy.ReasonFlagged, policy.Block)),
		decide(policy.Log, policy.ModeBlock, reason(policy.ReasonBot, policy.Log)),
		decide(policy.Block, policy.ModeBlock, reason(policy.ReasonLogin, policy.Block)),
		decide(policy.Block, policy.ModeBlock, reason(policy.ReasonResponses, policy.Block)),
		decide(policy.Block, policy.ModeBlock, reason(policy.ReasonSignal, policy.Block)),
	} {
		r.Observe(context.Background(), d)
	}
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	docs := parseEMF(t, &metrics)
	want := map[string][2]float64{"rate-limit": {1, 0}, "flagged": {1, 1}, "bot": {0, 1}, "login": {1, 0}, "responses": {1, 0}}
	got := map[string][2]float64{}
	for _, d := range docs {
		if c, ok := d[DimControl].(string); ok {
			got[c] = [2]float64{d[MetricBlocked].(float64), d[MetricLoggedOnly].(float64)}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocked/logged by control = %v, want %v", got, want)
	}
}
