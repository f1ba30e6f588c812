package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
	"golang.org/x/net/html"
)

var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func record(i int, decision string, sigs ...telemetry.Signal) telemetry.Record {
	return telemetry.Record{
		Level: "info", Message: "lambdawaf decision", Kind: telemetry.KindDecision, SchemaVersion: telemetry.SchemaVersion,
		Time: t0.Add(time.Duration(i) * 7 * time.Second), RequestID: fmt.Sprintf("req-%03d", i),
		FunctionName: "orders", FunctionVersion: "$LATEST", AgentVersion: "dev", Trigger: "apigateway-http",
		Method: "POST", Route: "$default", Decision: decision, Mode: "block", Signals: sigs,
		InspectionMicros: int64(40 + i), Source: fmt.Sprintf("ip_%016x", i%3), SampleRate: 1,
	}
}

func lines(t *testing.T, recs ...telemetry.Record) string {
	t.Helper()
	var b strings.Builder
	for _, r := range recs {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestReadSkipsWhatIsNotARecord(t *testing.T) {
	log := "START RequestId: 1 Version: $LATEST\n" +
		lines(t, record(1, "allow")) +
		`{"level":"info","message":"agent ready"}` + "\n" +
		"2026-11-21T10:00:00Z [lambdawaf] " + lines(t, record(2, "block", telemetry.Signal{Class: "sqli", Location: "query.id", Rule: "libinjection-sqli", Score: 9})) +
		`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"Blocked":1}` + "\n" +
		`{"kind":"decision","schema_version":1,` + "\n" + // truncated JSON
		"\n" +
		strings.Repeat("x", maxLine+10) + "\n" +
		lines(t, telemetry.Record{Kind: telemetry.KindResponse, SchemaVersion: 1, Leaks: []telemetry.Leak{{Kind: "card", Count: 2, Where: "body"}}})
	in, err := Read(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Decisions) != 2 || len(in.Responses) != 1 {
		t.Fatalf("decisions %d responses %d", len(in.Decisions), len(in.Responses))
	}
	if in.Lines != 8 || in.Skipped != 5 {
		t.Errorf("lines %d skipped %d, want 8 and 5", in.Lines, in.Skipped)
	}
	if in.Decisions[1].Signals[0].Class != "sqli" {
		t.Errorf("prefixed record parsed wrong: %+v", in.Decisions[1])
	}
}

func TestSummarize(t *testing.T) {
	sqli := telemetry.Signal{Class: "sqli", Location: "query.id", Rule: "libinjection-sqli", Score: 9}
	xss := telemetry.Signal{Class: "xss", Location: "body.comment", Rule: "libinjection-xss", Score: 8}
	in := &Input{Lines: 10}
	for i := range 10 {
		switch {
		case i%3 == 0:
			in.Decisions = append(in.Decisions, record(i, "block", sqli))
		case i == 4:
			in.Decisions = append(in.Decisions, record(i, "log", xss))
		default:
			r := record(i, "allow")
			r.SampleRate = 0.5
			r.Route = "GET /health"
			in.Decisions = append(in.Decisions, r)
		}
	}
	s := Summarize(in, Options{MaxBlocked: 3, Now: t0})
	if s.Total != 10 || s.Blocked != 4 || s.Logged != 1 || s.Allowed != 5 || s.AllowedEstimate != 10 {
		t.Fatalf("totals %+v", s)
	}
	if len(s.Classes) != 2 || s.Classes[0] != (Count{"sqli", 4}) || s.Classes[1] != (Count{"xss", 1}) {
		t.Errorf("classes %v", s.Classes)
	}
	if s.Routes[0].Name != "POST $default" || s.Routes[0].Blocked != 4 || s.Routes[1].Name != "GET /health" {
		t.Errorf("routes %+v", s.Routes)
	}
	if len(s.BlockedRequests) != 3 || s.BlockedOmitted != 1 || s.BlockedRequests[0].RequestID != "req-009" {
		t.Errorf("blocked table %d omitted %d first %s", len(s.BlockedRequests), s.BlockedOmitted, s.BlockedRequests[0].RequestID)
	}
	if !s.First.Equal(t0) || !s.Last.Equal(t0.Add(63*time.Second)) || s.BucketWidth != 5*time.Second {
		t.Errorf("range %v–%v width %v", s.First, s.Last, s.BucketWidth)
	}
	blocked := 0
	for _, b := range s.Timeline {
		blocked += b.Blocked
	}
	if blocked != 4 {
		t.Errorf("timeline blocked %d", blocked)
	}
	if s.LatencyP50 != 44 || s.LatencyMax != 49 {
		t.Errorf("latency p50 %d max %d", s.LatencyP50, s.LatencyMax)
	}
}

// TestHTMLEscapesHostileInput plants markup and script in every field a
// record carries and checks none of it survives as markup.
func TestHTMLEscapesHostileInput(t *testing.T) {
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`
	r := record(1, "block", telemetry.Signal{Class: evil, Location: evil, Rule: evil, Excerpt: evil, Score: 9})
	r.Route, r.Method, r.FunctionName, r.RequestID, r.Source, r.User, r.Trigger = evil, evil, evil, evil, evil, evil, evil
	r.RuleIDs, r.Reasons = []string{evil}, []string{evil}
	var out bytes.Buffer
	if _, err := Generate(&out, strings.NewReader(lines(t, r, record(2, "allow"))), Options{Title: evil, Source: evil}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	// Tokenise the page as a browser would: the planted markup must not
	// have produced a single element or event-handler attribute.
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "script" || tok.Data == "img" {
			t.Errorf("planted element <%s> in the output", tok.Data)
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(a.Key, "on") || strings.Contains(a.Val, "alert(") && a.Key != "content" {
				t.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
			}
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped excerpt not found: evidence must still be shown")
	}
}

// TestHTMLIsSelfContained checks that the page cannot reach the network.
func TestHTMLIsSelfContained(t *testing.T) {
	var recs []telemetry.Record
	for i := range 50 {
		r := record(i, []string{"allow", "block", "log"}[i%3], telemetry.Signal{Class: "ssrf", Location: "body.url", Rule: "metadata-ip", Excerpt: "http://169.254.169.254/latest/meta-data", Score: 9})
		recs = append(recs, r)
	}
	var out bytes.Buffer
	if _, err := Generate(&out, strings.NewReader(lines(t, recs...)), Options{}); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	if !strings.Contains(html, `http-equiv="Content-Security-Policy" content="default-src 'none'`) {
		t.Error("no restrictive Content-Security-Policy")
	}
	// URLs may appear as escaped text (evidence), never as something a
	// browser would fetch; links stay inside the page (href="#rec-N").
	fetch := regexp.MustCompile(`(?i)(src|action|xlink:href)\s*=|href\s*=\s*"[^#]|url\(|@import|<script|<link|<iframe|<object|<embed`)
	if m := fetch.FindString(html); m != "" {
		t.Errorf("page contains a fetching construct %q", m)
	}
	if !strings.Contains(html, `href="#rec-1"`) || !strings.Contains(html, `id="rec-1"`) {
		t.Error("decisions do not link to their records")
	}
	for _, want := range []string{"Blocks over time", "Signals by class", "Signals by location", "Top routes", "Top sources", "Blocked requests", "<svg", "ssrf", "body.url"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestEmptyInputRenders(t *testing.T) {
	var out bytes.Buffer
	s, err := Generate(&out, strings.NewReader("not a record\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total != 0 || s.Skipped != 1 || !strings.Contains(out.String(), "No blocked requests") {
		t.Errorf("summary %+v", s)
	}
}

func TestShortenKeepsBothEnds(t *testing.T) {
	for in, want := range map[string]string{
		"short":                             "short",
		"GET /orders/{id}/items/{item}/x/y": "GET /orders/…s/{item}/x/y",
	} {
		if got := shorten(in, 25); got != want {
			t.Errorf("shorten(%q) = %q, want %q", in, got, want)
		}
	}
	if got := routeLabel("POST", "GET /x"); got != "GET /x" {
		t.Errorf("routeLabel repeated the method: %q", got)
	}
	if got := routeLabel("POST", "$default"); got != "POST $default" {
		t.Errorf("routeLabel = %q", got)
	}
}

// TestReportShowsPathsWouldBlockAndRecords: serve's request lines give the
// concrete paths, log-mode decisions get their own table, and every row
// links to its record.
func TestReportShowsPathsWouldBlockAndRecords(t *testing.T) {
	blocked := record(1, "block", telemetry.Signal{Class: "sqli", Location: "query.q", Rule: "sqli-libinjection", Score: 8})
	blocked.RequestID = "11111111-1111-4111-8111-111111111111"
	logged := record(2, "log", telemetry.Signal{Class: "xss", Location: "query.q", Rule: "xss-libinjection", Score: 8})
	logged.RequestID = "22222222-2222-4222-8222-222222222222"
	served := `{"message":"lambdawaf serve request","request_id":"11111111-1111-4111-8111-111111111111","method":"GET","path":"/search","status":403}` + "\n" +
		`{"message":"lambdawaf serve request","request_id":"22222222-2222-4222-8222-222222222222","method":"GET","path":"/comments","status":200}` + "\n"
	var out bytes.Buffer
	s, err := Generate(&out, strings.NewReader(served+lines(t, blocked, logged, record(3, "allow"))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.WouldBlock) != 1 || s.WouldBlock[0].RequestID != logged.RequestID {
		t.Errorf("WouldBlock = %+v", s.WouldBlock)
	}
	if s.Skipped != 0 {
		t.Errorf("serve's request lines were skipped (%d)", s.Skipped)
	}
	page := out.String()
	for _, want := range []string{
		"Would have been blocked", "GET /search", "GET /comments",
		`<a href="#rec-1">11111111-1111-4111-8111-111111111111</a>`, `<div id="rec-1">`,
		`<a href="#rec-2">22222222-2222-4222-8222-222222222222</a>`, `<div id="rec-2">`,
		`&#34;decision&#34;: &#34;log&#34;`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
