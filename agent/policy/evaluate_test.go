package policy_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// event loads a fixture (real event shapes: API Gateway v2 and v1, ALB,
// SQS) with edits applied to its JSON (dotted paths).
func loadEvent(t testing.TB, name string, edits map[string]any) []byte {
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

// v2q edits an HTTP API event's query string (raw and parsed).
func v2q(raw string) map[string]any {
	vals, _ := url.ParseQuery(raw)
	m := map[string]any{}
	for k, v := range vals {
		m[k] = strings.Join(v, ",")
	}
	return map[string]any{"rawQueryString": raw, "queryStringParameters": m}
}

func compileDoc(t testing.TB, doc string) *policy.Policy {
	t.Helper()
	dir := t.TempDir()
	if strings.Contains(doc, "openapi.yaml") {
		if err := os.WriteFile(filepath.Join(dir, "openapi.yaml"), mustRead(t.(*testing.T), "testdata/openapi.yaml"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := policy.Parse([]byte(doc), filepath.Join(dir, "lambdawaf.yaml"))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return p
}

// judge runs the policy the way the firewall does: Begin, walk the decoded
// values (keeping those rules read), add the given signals, Finish.
func judge(t testing.TB, p *policy.Policy, payload []byte, at time.Time, sigs ...detect.Signal) *policy.Decision {
	t.Helper()
	req, err := event.Parse(payload)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	ev := p.Begin(req, at)
	if !ev.Done() {
		decode.New(decode.Limits{}).Walk(req, func(v event.Value) bool {
			if ev.Wants(v.Location) {
				ev.Keep(v)
			}
			return true
		})
		ev.AddSignals(sigs...)
	}
	return ev.Finish()
}

func sig(c detect.Class, loc string, score int) detect.Signal {
	return detect.Signal{Class: c, Location: loc, Rule: "test-" + string(c), Score: score, Record: -1}
}

const lists = `
lists:
  - name: shops
    items: [Shoes, Hats]
    ignoreCase: true
  - name: bad-ips
    type: ip
    items: ["203.0.113.9", "2001:db8::1"]
  - name: office
    type: cidr
    items: ["203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32"]
  - name: partners
    type: cidr
    items: ["192.0.2.0/24"]
`

// Every operator, on fields of real event shapes. The rule blocks when the
// condition holds.
func TestOperators(t *testing.T) {
	tests := []struct {
		name    string
		when    string
		fixture string
		want    bool
	}{
		{"equals", "{field: method, equals: GET}", "apigw-v2.json", true},
		{"equals no", "{field: method, equals: POST}", "apigw-v2.json", false},
		{"equals case-sensitive", "{field: header.accept, equals: APPLICATION/JSON}", "apigw-v2.json", false},
		{"equals ignoreCase", "{field: header.accept, equals: APPLICATION/JSON, ignoreCase: true}", "apigw-v2.json", true},
		{"equals number", "{field: query.page, equals: 2}", "apigw-v2.json", true},
		{"prefix", "{field: path, prefix: /items/}", "apigw-v2.json", true},
		{"prefix no", "{field: path, prefix: /admin}", "apigw-v2.json", false},
		{"prefix ignoreCase", "{field: path, prefix: /ITEMS, ignoreCase: true}", "apigw-v2.json", true},
		{"suffix", "{field: path, suffix: /42}", "apigw-v2.json", true},
		{"contains", "{field: header.user-agent, contains: zilla}", "apigw-v2.json", true},
		{"contains ignoreCase", "{field: header.user-agent, contains: MOZILLA, ignoreCase: true}", "apigw-v2.json", true},
		{"regex", `{field: path, regex: '^/items/\d+$'}`, "apigw-v2.json", true},
		{"regex no", `{field: path, regex: '^/items/[a-z]+$'}`, "apigw-v2.json", false},
		{"regex ignoreCase", `{field: header.user-agent, regex: '^mozilla/', ignoreCase: true}`, "apigw-v2.json", true},
		{"in inline", "{field: query.q, in: [shoes, hats]}", "apigw-v2.json", true},
		{"in inline no", "{field: query.q, in: [hats]}", "apigw-v2.json", false},
		{"in named list ignoreCase", "{field: query.q, in: shops}", "apigw-v2.json", true},
		{"in ip list", "{field: source-ip, in: bad-ips}", "apigw-v2.json", true},
		{"in ip list no", "{field: source-ip, in: bad-ips}", "apigw-v1.json", false},
		{"cidr inline", "{field: source-ip, cidr: 203.0.113.0/24}", "apigw-v2.json", true},
		{"cidr inline list", "{field: source-ip, cidr: [10.0.0.0/8, 198.51.100.0/24]}", "apigw-v1.json", true},
		{"cidr named list", "{field: source-ip, cidr: office}", "apigw-v2.json", true},
		{"cidr named list no", "{field: source-ip, cidr: partners}", "apigw-v2.json", false},
		{"cidr alb balancer hop", "{field: source-ip, cidr: office}", "alb.json", true},
		{"alb client hop is not the source", "{field: source-ip, cidr: partners}", "alb.json", false},
		{"forwarded-for chain", "{field: forwarded-for, cidr: partners}", "alb.json", true},
		{"exists", "{field: cookie.session, exists: true}", "apigw-v2.json", true},
		{"exists no", "{field: header.x-missing, exists: true}", "apigw-v2.json", false},
		{"not exists", "{field: header.x-missing, exists: false}", "apigw-v2.json", true},
		{"gt", "{field: query.page, gt: 1}", "apigw-v2.json", true},
		{"gt no", "{field: query.page, gt: 2}", "apigw-v2.json", false},
		{"gte", "{field: query.page, gte: 2}", "apigw-v2.json", true},
		{"lt", "{field: query.page, lt: 2}", "apigw-v2.json", false},
		{"lte", "{field: query.page, lte: 2}", "apigw-v2.json", true},
		{"numeric on text never matches", "{field: query.q, gt: 0}", "apigw-v2.json", false},
		{"length", "{field: query.q, length: {equals: 5}}", "apigw-v2.json", true},
		{"length range", "{field: path, length: {gt: 5, lte: 9}}", "apigw-v2.json", true},
		{"length no", "{field: path, length: {gt: 100}}", "apigw-v2.json", false},
		{"claim", "{field: claim.sub, equals: user-1}", "apigw-v2.json", true},
		{"claim v1 cognito", "{field: claim.email, suffix: '@example.com'}", "apigw-v1.json", true},
		{"trigger", "{field: trigger, equals: apigateway-http}", "apigw-v2.json", true},
		{"trigger rest", "{field: trigger, in: [apigateway-rest, alb]}", "apigw-v1.json", true},
		{"route", "{field: route, equals: 'GET /items/{id}'}", "apigw-v2.json", true},
		{"content-type", "{field: content-type, equals: application/json}", "apigw-v1.json", true},
		{"header wildcard", "{field: header.*, contains: Mozilla}", "apigw-v2.json", true},
		{"query wildcard", "{field: query.*, equals: shoes}", "apigw-v2.json", true},
		{"body path", "{field: body.customer, contains: Brien}", "apigw-v1.json", true},
		{"body wildcard index", "{field: 'body.items[*].sku', equals: B-2}", "apigw-v1.json", true},
		{"body exact index", "{field: 'body.items[0].sku', equals: B-2}", "apigw-v1.json", false},
		{"body deep", "{field: 'body.**', equals: B-2}", "apigw-v1.json", true},
		{"body glob key", "{field: 'body.items[*].s*', equals: A-1}", "apigw-v1.json", true},
		{"numeric string in body", "{field: 'body.items[*].sku', gte: 2}", "apigw-v1.json", false},
		{"record bodies", "{field: 'records[*].body.sku', equals: C-3}", "sqs.json", true},
		{"record bodies no", "{field: 'records[*].body.sku', equals: Z-9}", "sqs.json", false},
		{"all", "{all: [{field: method, equals: GET}, {field: path, prefix: /items}]}", "apigw-v2.json", true},
		{"all no", "{all: [{field: method, equals: GET}, {field: path, prefix: /admin}]}", "apigw-v2.json", false},
		{"any", "{any: [{field: method, equals: POST}, {field: path, prefix: /items}]}", "apigw-v2.json", true},
		{"any no", "{any: [{field: method, equals: POST}, {field: path, prefix: /admin}]}", "apigw-v2.json", false},
		{"not", "{not: {field: method, equals: POST}}", "apigw-v2.json", true},
		{"nested", "{all: [{not: {field: source-ip, cidr: partners}}, {any: [{field: claim.sub, equals: nobody}, {field: 'body.items[*].sku', regex: '^B-'}]}]}", "apigw-v1.json", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compileDoc(t, lists+"rules:\n  - id: r\n    when: "+tt.when+"\n    action: block\n")
			d := judge(t, p, loadEvent(t, tt.fixture, nil), now)
			if got := d.Outcome == policy.Block; got != tt.want {
				t.Errorf("matched = %v, want %v (decision %+v)", got, tt.want, d)
			}
		})
	}
}

func TestSignalConditions(t *testing.T) {
	s := detect.Signal{Class: detect.SQLi, Location: "query.q", Rule: "libinjection-sqli", Score: 6, Record: -1}
	tests := []struct {
		when string
		want bool
	}{
		{"{signal: {class: sqli}}", true},
		{"{signal: {class: xss}}", false},
		{"{signal: {rule: libinjection-sqli}}", true},
		{"{signal: {location: 'query.*'}}", true},
		{"{signal: {location: 'body.**'}}", false},
		{"{signal: {class: sqli, minScore: 7}}", false},
		{"{field: signal, signal: {class: sqli, minScore: 6}}", true},
	}
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			// Signals alone would block; the rule turns a match into a label
			// so the test sees whether it matched.
			p := compileDoc(t, "detection: {classes: {sqli: log}}\nrules:\n  - id: r\n    when: "+tt.when+"\n    action: {type: continue, labels: [hit]}\n")
			d := judge(t, p, loadEvent(t, "apigw-v2.json", nil), now, s)
			if got := len(d.Labels) == 1; got != tt.want {
				t.Errorf("matched = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestActions(t *testing.T) {
	attack := sig(detect.SQLi, "query.q", 9)
	tests := []struct {
		name    string
		doc     string
		sigs    []detect.Signal
		at      time.Time
		outcome policy.Outcome
		check   func(t *testing.T, d *policy.Decision)
	}{
		{"signal blocks by default", "", []detect.Signal{attack}, now, policy.Block, func(t *testing.T, d *policy.Decision) {
			if d.Status != 403 || string(d.Body) != policy.DefaultBlockBody || d.ContentType != "application/json" {
				t.Errorf("default response = %d %s %s", d.Status, d.ContentType, d.Body)
			}
		}},
		{"custom default block response", "block: {status: 406, contentType: text/plain, body: nope}\n", []detect.Signal{attack}, now, policy.Block, func(t *testing.T, d *policy.Decision) {
			if d.Status != 406 || string(d.Body) != "nope" || d.ContentType != "text/plain" {
				t.Errorf("response = %d %s %s", d.Status, d.ContentType, d.Body)
			}
		}},
		{"allow overrides signals", "rules:\n  - id: office\n    when: {field: source-ip, cidr: 203.0.113.0/24}\n    action: allow\n", []detect.Signal{attack}, now, policy.Allow, func(t *testing.T, d *policy.Decision) {
			if len(d.RuleIDs) != 1 || d.RuleIDs[0] != "office" {
				t.Errorf("RuleIDs = %v", d.RuleIDs)
			}
		}},
		{"block with status and body", "rules:\n  - id: geo\n    when: {field: path, prefix: /items}\n    action: {type: block, status: 451, body: '{\"error\":\"unavailable\"}'}\n", nil, now, policy.Block, func(t *testing.T, d *policy.Decision) {
			if d.Status != 451 || string(d.Body) != `{"error":"unavailable"}` {
				t.Errorf("response = %d %s", d.Status, d.Body)
			}
		}},
		{"log", "rules:\n  - id: watch\n    when: {field: path, prefix: /items}\n    action: log\n", nil, now, policy.Log, func(t *testing.T, d *policy.Decision) {
			if len(d.Reasons) != 1 || d.Reasons[0].ID != "watch" || d.Reasons[0].Action != policy.Log {
				t.Errorf("reasons = %+v", d.Reasons)
			}
		}},
		{"first terminating rule wins", "rules:\n  - id: a\n    when: {field: method, equals: GET}\n    action: allow\n  - id: b\n    when: {field: method, equals: GET}\n    action: block\n", nil, now, policy.Allow, nil},
		{"labels, then a rule on the label", "rules:\n  - id: tag\n    when: {field: claim.sub, exists: true}\n    action: {type: continue, labels: [authenticated]}\n  - id: use\n    when: {field: label, equals: authenticated}\n    action: log\n", nil, now, policy.Log, func(t *testing.T, d *policy.Decision) {
			if strings.Join(d.Labels, ",") != "authenticated" || strings.Join(d.RuleIDs, ",") != "tag,use" {
				t.Errorf("labels %v rules %v", d.Labels, d.RuleIDs)
			}
		}},
		{"add a signal", "rules:\n  - id: no-curl\n    when: {field: header.user-agent, prefix: curl/}\n    action: {type: continue, addSignal: {class: scanner, score: 8}}\n", nil, now, policy.Block, func(t *testing.T, d *policy.Decision) {
			if len(d.Signals) != 1 || d.Signals[0].Class != detect.Scanner || d.Signals[0].Rule != "rule:no-curl" {
				t.Errorf("signals = %+v", d.Signals)
			}
		}},
		{"remove a signal", "rules:\n  - id: search-fp\n    when: {field: path, prefix: /items}\n    action: {type: continue, removeSignals: {class: sqli, location: query.q}}\n", []detect.Signal{attack}, now, policy.Allow, func(t *testing.T, d *policy.Decision) {
			if len(d.Signals) != 0 {
				t.Errorf("signals = %+v", d.Signals)
			}
		}},
		{"shadow rule records, changes nothing", "rules:\n  - id: trial\n    mode: shadow\n    when: {field: path, prefix: /items}\n    action: {type: block, labels: [x]}\n", nil, now, policy.Allow, func(t *testing.T, d *policy.Decision) {
			if len(d.Shadow) != 1 || d.Shadow[0].ID != "trial" || d.Shadow[0].Action != policy.Block || len(d.Labels) != 0 || len(d.RuleIDs) != 0 {
				t.Errorf("shadow = %+v labels %v", d.Shadow, d.Labels)
			}
		}},
		{"rule in log mode", "rules:\n  - id: trial\n    mode: log\n    when: {field: path, prefix: /items}\n    action: block\n", nil, now, policy.Log, func(t *testing.T, d *policy.Decision) {
			if !d.WouldBlock {
				t.Error("WouldBlock not set")
			}
		}},
		{"rule off", "rules:\n  - id: trial\n    mode: off\n    when: {field: path, prefix: /items}\n    action: block\n", nil, now, policy.Allow, nil},
		{"expired rule ignored", "rules:\n  - id: temp\n    expires: 2026-01-01T00:00:00Z\n    when: {field: path, prefix: /items}\n    action: block\n", nil, now, policy.Allow, nil},
		{"rule before expiry applies", "rules:\n  - id: temp\n    expires: 2027-01-01T00:00:00Z\n    when: {field: path, prefix: /items}\n    action: block\n", nil, now, policy.Block, nil},
		{"rule expires while running", "rules:\n  - id: temp\n    expires: 2027-01-01T00:00:00Z\n    when: {field: path, prefix: /items}\n    action: block\n", nil, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), policy.Allow, nil},
		{"weak signal under threshold", "detection: {threshold: 5}\n", []detect.Signal{sig(detect.XSS, "query.q", 3)}, now, policy.Allow, func(t *testing.T, d *policy.Decision) {
			if len(d.Signals) != 1 {
				t.Error("weak signals are still recorded")
			}
		}},
		{"malformed encoding logs", "", []detect.Signal{sig(detect.Protocol, "body", 3)}, now, policy.Log, nil},
		{"decompression bomb blocks", "", []detect.Signal{sig(detect.Protocol, "body", 9)}, now, policy.Block, nil},
		{"function log mode", "mode: log\n", []detect.Signal{attack}, now, policy.Log, func(t *testing.T, d *policy.Decision) {
			if !d.WouldBlock || d.Body != nil {
				t.Errorf("log mode: WouldBlock=%v body=%s", d.WouldBlock, d.Body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := compileDoc(t, tt.doc)
			d := judge(t, p, loadEvent(t, "apigw-v1.json", map[string]any{"headers.User-Agent": "curl/8.0"}), tt.at, tt.sigs...)
			if tt.name != "add a signal" {
				d = judge(t, p, loadEvent(t, "apigw-v2.json", nil), tt.at, tt.sigs...)
			}
			if d.Outcome != tt.outcome {
				t.Fatalf("outcome = %s, want %s (%+v)", d.Outcome, tt.outcome, d)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func TestRecordSignalsDropRecords(t *testing.T) {
	p := compileDoc(t, "")
	s := detect.Signal{Class: detect.SQLi, Location: "records[1].body.note", Record: 1, Rule: "x", Score: 9}
	d := judge(t, p, loadEvent(t, "sqs.json", nil), now, s)
	if d.Outcome != policy.Block || len(d.DropRecords) != 1 || d.DropRecords[0] != 1 {
		t.Fatalf("decision = %+v", d)
	}
	// A custom rule blocks the whole batch.
	p = compileDoc(t, "rules:\n  - id: r\n    when: {field: 'records[*].body.sku', equals: A-1}\n    action: block\n")
	d = judge(t, p, loadEvent(t, "sqs.json", nil), now, s)
	if d.Outcome != policy.Block || len(d.DropRecords) != 0 {
		t.Fatalf("decision = %+v", d)
	}
}

func TestExclusions(t *testing.T) {
	doc := `
exclusions:
  - id: comments
    classes: [xss]
    locations: [body.comment, 'body.posts[*].text']
    routes: ["POST /comments", "/blog/**"]
  - id: libinjection-fp
    rules: [sqli-libinjection]
    locations: [query.q]
  - id: everything-on-upload
    routes: ["PUT /upload/{name}"]
`
	p := compileDoc(t, doc)
	tests := []struct {
		name   string
		method string
		path   string
		sig    detect.Signal
		keep   bool
	}{
		{"class at location on route", "POST", "/comments", detect.Signal{Class: detect.XSS, Location: "body.comment", Rule: "x", Score: 9, Record: -1}, false},
		{"other class kept", "POST", "/comments", detect.Signal{Class: detect.SQLi, Location: "body.comment", Rule: "x", Score: 9, Record: -1}, true},
		{"other location kept", "POST", "/comments", detect.Signal{Class: detect.XSS, Location: "body.title", Rule: "x", Score: 9, Record: -1}, true},
		{"other route kept", "POST", "/messages", detect.Signal{Class: detect.XSS, Location: "body.comment", Rule: "x", Score: 9, Record: -1}, true},
		{"wildcard route and location", "POST", "/blog/2026/post", detect.Signal{Class: detect.XSS, Location: "body.posts[3].text", Rule: "x", Score: 9, Record: -1}, false},
		{"key signals follow their value", "POST", "/comments", detect.Signal{Class: detect.XSS, Location: "body.comment#key", Rule: "x", Score: 9, Record: -1}, false},
		{"rule on any route", "GET", "/search", detect.Signal{Class: detect.SQLi, Location: "query.q", Rule: "sqli-libinjection", Score: 9, Record: -1}, false},
		{"other rule kept", "GET", "/search", detect.Signal{Class: detect.SQLi, Location: "query.q", Rule: "sqli-tautology", Score: 9, Record: -1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := loadEvent(t, "apigw-v2.json", map[string]any{"routeKey": "$default", "rawPath": tt.path, "requestContext.http.method": tt.method, "requestContext.http.path": tt.path})
			d := judge(t, p, payload, now, tt.sig)
			if got := len(d.Signals) == 1; got != tt.keep {
				t.Errorf("kept = %v, want %v", got, tt.keep)
			}
		})
	}
	// Skip: an exclusion without classes or rules covers every detector,
	// so the firewall does not inspect the value at all.
	req, _ := event.Parse(loadEvent(t, "apigw-v2.json", map[string]any{"routeKey": "$default", "rawPath": "/upload/a.txt", "requestContext.http.method": "PUT"}))
	ev := p.Begin(req, now)
	if all, _, _ := ev.Exclusions("body"); !all {
		t.Error("a route-wide exclusion must skip inspection")
	}
	if all, _, _ := ev.Exclusions("query.q"); !all {
		t.Error("a route-wide exclusion must skip inspection")
	}
	req.Method = "POST"
	if all, _, _ := p.Begin(req, now).Exclusions("body"); all {
		t.Error("skip leaked to another method")
	}
	req.Path = "/comments"
	all, classes, rules := p.Begin(req, now).Exclusions("body.comment")
	if all || len(classes) != 1 || classes[0] != detect.XSS || len(rules) != 0 {
		t.Errorf("class-limited exclusion: all=%v classes=%v rules=%v; want xss left out of detection", all, classes, rules)
	}
	all, classes, rules = p.Begin(req, now).Exclusions("query.q")
	if all || len(classes) != 0 || len(rules) != 1 || rules[0] != "sqli-libinjection" {
		t.Errorf("rule-limited exclusion: all=%v classes=%v rules=%v", all, classes, rules)
	}
	if all, classes, rules := p.Begin(req, now).Exclusions("body.title"); all || classes != nil || rules != nil {
		t.Error("uncovered value narrowed")
	}
}

func TestPositiveModel(t *testing.T) {
	doc := `
routes:
  - route: GET /items/{id}
    parameters:
      path.id: {type: integer, minimum: 1}
      query.page: {type: integer, minimum: 1, maximum: 10}
      query.q: {maxLength: 10, pattern: '^[a-z ]*$'}
    unknownParameters: block
  - route: /orders
    methods: [POST]
    parameters:
      header.x-api-key: {required: true, pattern: '^k-[0-9]+$'}
      query.dry: {type: boolean}
    body:
      contentTypes: [application/json]
      maxBytes: 1000
      schema:
        type: object
        required: [customer, items]
        properties:
          customer: {type: string}
          items:
            type: array
            items:
              type: object
              properties:
                sku: {type: string, pattern: '^[A-Z]-[0-9]+$'}
    action: block
  - route: POST /big
    unknownParameters: allow
    body: {schema: {type: object}}
`
	p := compileDoc(t, doc)
	tests := []struct {
		name    string
		fixture string
		edits   map[string]any
		outcome policy.Outcome
		loc     string
	}{
		{"conforming GET", "apigw-v2.json", nil, policy.Allow, ""},
		{"bad path param", "apigw-v2.json", map[string]any{"rawPath": "/items/abc"}, policy.Block, "path.id"},
		{"path param below minimum", "apigw-v2.json", map[string]any{"rawPath": "/items/0"}, policy.Block, "path.id"},
		{"query above maximum", "apigw-v2.json", v2q("q=shoes&page=11"), policy.Block, "query.page"},
		{"query wrong type", "apigw-v2.json", v2q("page=two"), policy.Block, "query.page"},
		{"query too long", "apigw-v2.json", v2q("q=" + url.QueryEscape("a very long search")), policy.Block, "query.q"},
		{"query pattern", "apigw-v2.json", v2q("q=" + url.QueryEscape("1 or 1")), policy.Block, "query.q"},
		{"unknown parameter", "apigw-v2.json", v2q("q=shoes&debug=1"), policy.Block, "query.debug"},
		{"conforming POST", "apigw-v1.json", nil, policy.Allow, ""},
		{"method not allowed", "apigw-v1.json", map[string]any{"httpMethod": "DELETE"}, policy.Block, "method"},
		{"missing header", "apigw-v1.json", map[string]any{"headers": map[string]any{"Content-Type": "application/json"}, "multiValueHeaders": map[string]any{"Content-Type": []any{"application/json"}}}, policy.Block, "header.x-api-key"},
		{"bad boolean", "apigw-v1.json", map[string]any{"queryStringParameters": map[string]any{"dry": "yes"}, "multiValueQueryStringParameters": map[string]any{"dry": []any{"yes"}}}, policy.Block, "query.dry"},
		{"schema violation", "apigw-v1.json", map[string]any{"body": `{"customer":"x","items":[{"sku":"a-1"}]}`}, policy.Block, "body.items[0].sku"},
		{"schema missing field", "apigw-v1.json", map[string]any{"body": `{"items":[]}`}, policy.Block, "body"},
		{"body not JSON", "apigw-v1.json", map[string]any{"body": `customer=x`}, policy.Block, "body"},
		{"body too large to validate", "apigw-v2.json", map[string]any{"routeKey": "POST /big", "rawPath": "/big", "requestContext.http.method": "POST", "body": `{"a":"` + strings.Repeat("x", policy.DefaultSchemaMaxBytes) + `"}`}, policy.Block, "body"},
		{"body too large", "apigw-v1.json", map[string]any{"body": `{"customer":"` + strings.Repeat("x", 1000) + `","items":[]}`}, policy.Block, "body"},
		{"unmodelled route passes", "alb.json", nil, policy.Allow, ""},
		{"stage prefix in the path", "apigw-v2.json", map[string]any{"rawPath": "/prod/items/42"}, policy.Allow, ""},
		{"stage prefix, bad param", "apigw-v2.json", map[string]any{"rawPath": "/prod/items/x"}, policy.Block, "path.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := judge(t, p, loadEvent(t, tt.fixture, tt.edits), now)
			if d.Outcome != tt.outcome {
				t.Fatalf("outcome = %s, want %s (%+v)", d.Outcome, tt.outcome, d.Reasons)
			}
			if tt.loc != "" && (len(d.Reasons) == 0 || d.Reasons[0].Location != tt.loc || d.Reasons[0].Kind != policy.ReasonPositive) {
				t.Errorf("reasons = %+v, want a positive-model reason at %s", d.Reasons, tt.loc)
			}
		})
	}
}

func TestOpenAPIImport(t *testing.T) {
	p := compileDoc(t, "openapi:\n  path: openapi.yaml\n  unknownParameters: log\n  unknownRoutes: block\n")
	tests := []struct {
		name    string
		fixture string
		edits   map[string]any
		outcome policy.Outcome
		loc     string
	}{
		{"conforming GET", "apigw-v2.json", nil, policy.Allow, ""},
		{"path minimum", "apigw-v2.json", map[string]any{"rawPath": "/items/0"}, policy.Block, "path.id"},
		{"query maximum", "apigw-v2.json", v2q("page=1000"), policy.Block, "query.page"},
		{"query maxLength", "apigw-v2.json", v2q("q=" + strings.Repeat("a", 21)), policy.Block, "query.q"},
		{"unknown parameter logs", "apigw-v2.json", v2q("q=a&utm_source=x"), policy.Log, "query.utm_source"},
		{"method not declared", "apigw-v2.json", map[string]any{"requestContext.http.method": "DELETE", "routeKey": "$default"}, policy.Block, "path"},
		{"unknown route", "alb.json", nil, policy.Block, "path"},
		{"conforming POST with $ref schema", "apigw-v1.json", nil, policy.Allow, ""},
		{"header pattern", "apigw-v1.json", map[string]any{"headers.X-Api-Key": "nope", "multiValueHeaders.X-Api-Key": []any{"nope"}}, policy.Block, "header.x-api-key"},
		{"body violates component schema", "apigw-v1.json", map[string]any{"body": `{"customer":"x","items":[{"sku":"A-1","qty":0}]}`}, policy.Block, "body.items[0].qty"},
		{"additionalProperties false", "apigw-v1.json", map[string]any{"body": `{"customer":"x","items":[{"sku":"A-1","qty":1}],"admin":true}`}, policy.Block, "body"},
		{"required body missing", "apigw-v1.json", map[string]any{"body": ""}, policy.Block, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := judge(t, p, loadEvent(t, tt.fixture, tt.edits), now)
			if d.Outcome != tt.outcome {
				t.Fatalf("outcome = %s, want %s (%+v)", d.Outcome, tt.outcome, d.Reasons)
			}
			if tt.loc != "" && (len(d.Reasons) == 0 || d.Reasons[0].Location != tt.loc) {
				t.Errorf("reasons = %+v, want one at %s", d.Reasons, tt.loc)
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	p := compileDoc(t, `
rateLimits:
  - id: per-ip
    key: source-ip
    limit: 2
    period: 1m
  - id: per-user-orders
    key: claim.sub
    limit: 1
    period: 1s
    routes: [POST /orders]
    action: log
`)
	a := loadEvent(t, "apigw-v2.json", nil)
	b := loadEvent(t, "apigw-v2.json", map[string]any{"requestContext.http.sourceIp": "198.51.100.1"})
	steps := []struct {
		payload []byte
		at      time.Duration
		outcome policy.Outcome
	}{
		{a, 0, policy.Allow},
		{a, time.Second, policy.Allow},
		{a, 2 * time.Second, policy.Block}, // third in the minute
		{b, 2 * time.Second, policy.Allow}, // another client has its own bucket
		{a, 32 * time.Second, policy.Allow},
		{a, 33 * time.Second, policy.Block},
	}
	for i, s := range steps {
		d := judge(t, p, s.payload, now.Add(s.at))
		if d.Outcome != s.outcome {
			t.Fatalf("step %d: outcome = %s, want %s", i, d.Outcome, s.outcome)
		}
		if d.Outcome == policy.Block && (d.Status != 429 || d.Reasons[0].Kind != policy.ReasonRateLimit) {
			t.Fatalf("step %d: %+v", i, d)
		}
	}
	orders := loadEvent(t, "apigw-v1.json", nil)
	judge(t, p, orders, now)
	if d := judge(t, p, orders, now); d.Outcome != policy.Log || d.Reasons[0].ID != "per-user-orders" {
		t.Fatalf("log-only limit: %+v", d)
	}

	// Memory is bounded: with room for one key, alternating clients evict
	// each other and start afresh.
	small := compileDoc(t, "rateLimits:\n  - {id: x, key: source-ip, limit: 1, period: 1h, maxKeys: 1}\n")
	for i := 0; i < 4; i++ {
		pl := a
		if i%2 == 1 {
			pl = b
		}
		if d := judge(t, small, pl, now); d.Outcome != policy.Allow {
			t.Fatalf("eviction step %d: %s", i, d.Outcome)
		}
	}
}

func TestRateLimitsSurviveReload(t *testing.T) {
	doc := "rateLimits:\n  - {id: ip, key: source-ip, limit: 1, period: 1h}\n"
	a := loadEvent(t, "apigw-v2.json", nil)
	old := compileDoc(t, doc)
	judge(t, old, a, now)
	same := compileDoc(t, doc+"mode: block\n")
	same.KeepRateLimits(old)
	if d := judge(t, same, a, now); d.Outcome != policy.Block {
		t.Errorf("an unchanged limit restarted after reload: %s", d.Outcome)
	}
	changed := compileDoc(t, "rateLimits:\n  - {id: ip, key: source-ip, limit: 2, period: 1h}\n")
	changed.KeepRateLimits(old)
	if d := judge(t, changed, a, now); d.Outcome != policy.Allow {
		t.Errorf("a changed limit kept the old buckets: %s", d.Outcome)
	}
}

func TestDecisionsStaySmall(t *testing.T) {
	p := compileDoc(t, "routes:\n  - route: GET /items/{id}\n    unknownParameters: block\n")
	var q []string
	for i := 0; i < 500; i++ {
		q = append(q, fmt.Sprintf("%s%d=1", strings.Repeat("x", 200), i))
	}
	var sigs []detect.Signal
	for i := 0; i < 300; i++ {
		sigs = append(sigs, sig(detect.XSS, fmt.Sprintf("query.p%d", i), 9))
	}
	d := judge(t, p, loadEvent(t, "apigw-v2.json", v2q(strings.Join(q, "&"))), now, sigs...)
	if d.Outcome != policy.Block {
		t.Fatalf("outcome %s", d.Outcome)
	}
	if len(d.Reasons) != policy.MaxReasons || d.OmittedReasons != 500-policy.MaxReasons {
		t.Errorf("reasons %d, omitted %d", len(d.Reasons), d.OmittedReasons)
	}
	for _, r := range d.Reasons {
		if len(r.Location) > 80 {
			t.Errorf("client-chosen name not bounded: %d bytes", len(r.Location))
		}
	}
	d = judge(t, compileDoc(t, ""), loadEvent(t, "apigw-v2.json", nil), now, sigs...)
	if len(d.Signals) != policy.MaxSignals || d.OmittedSignals != 300-policy.MaxSignals || d.Outcome != policy.Block {
		t.Errorf("signals %d, omitted %d, outcome %s", len(d.Signals), d.OmittedSignals, d.Outcome)
	}
}
