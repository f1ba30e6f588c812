package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// hundredRules builds 100 rules of every kind of field and operator, none
// of which match the benchmark event, so every condition is evaluated (the
// worst case: a matching allow or block would stop early).
func hundredRules() string {
	var b strings.Builder
	b.WriteString(`lists:
  - name: bad-ips
    type: ip
    items: [192.0.2.1, 192.0.2.2, 192.0.2.3, 2001:db8::1]
  - name: bad-nets
    type: cidr
    items: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 2001:db8::/32]
  - name: bad-agents
    items: [sqlmap, nikto, nuclei, masscan, zgrab]
    ignoreCase: true
rules:
`)
	conds := []string{
		`{field: source-ip, in: bad-ips}`,
		`{field: source-ip, cidr: bad-nets}`,
		`{field: header.user-agent, in: bad-agents}`,
		`{field: header.user-agent, regex: '(?i)(curl|wget|python-requests)/%d'}`,
		`{field: path, prefix: /admin%d}`,
		`{field: path, suffix: .php%d}`,
		`{field: method, in: [TRACE, CONNECT, PROPFIND%d]}`,
		`{field: query.debug%d, exists: true}`,
		`{field: 'body.items[*].sku', regex: '^ZZ-%d[0-9]+$'}`,
		`{field: body.customer.email, suffix: '@evil%d.example'}`,
		`{all: [{field: method, equals: POST}, {field: path, prefix: /orders/%d}, {field: header.x-api-key, exists: false}]}`,
		`{any: [{field: claim.role, equals: banned%d}, {field: cookie.tracking, contains: 'evil%d'}]}`,
		`{not: {field: trigger, in: [apigateway-http, apigateway-rest, alb, sqs%d]}}`,
		`{field: header.content-length, gt: %d000000}`,
		`{field: body.note, length: {gt: %d000}}`,
		`{field: 'body.**', equals: 'magic-token-%d'}`,
	}
	for i := 0; i < 100; i++ {
		c := conds[i%len(conds)]
		c = strings.ReplaceAll(c, "%d", fmt.Sprint(i))
		fmt.Fprintf(&b, "  - id: rule-%03d\n    when: %s\n    action: block\n", i, c)
	}
	return b.String()
}

// benchEvent is a realistic ~1 KB HTTP API v2 JSON POST.
func benchEvent(tb testing.TB) []byte {
	body := `{"customer":{"name":"Ann O'Brien","email":"ann@example.com"},"items":[{"sku":"A-1","qty":2},{"sku":"B-22","qty":1},{"sku":"C-333","qty":5}],"note":"Please leave the parcel at the side door, thanks!","coupon":"WINTER-2026"}`
	ev := loadEvent(tb, "apigw-v2.json", map[string]any{
		"routeKey":                   "POST /orders",
		"rawPath":                    "/orders",
		"requestContext.http.method": "POST",
		"requestContext.http.path":   "/orders",
		"body":                       body,
		"headers.x-api-key":          "k-123456",
		"headers.content-length":     fmt.Sprint(len(body)),
		"headers.accept-language":    "en-GB,en;q=0.9",
		"headers.x-amzn-trace-id":    "Root=1-5e6b4a1c-6f7d6a3d2a8b4c0d1e2f3a4b",
	})
	return ev
}

// BenchmarkRules100 measures rule evaluation (not decoding nor detection):
// 100 compiled rules over the decoded values of a 1 KB event. The p50 is
// reported per evaluation; the target is ≤ 20 µs.
func BenchmarkRules100(b *testing.B) {
	p, err := policy.Parse([]byte(hundredRules()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	payload := benchEvent(b)
	req, err := event.Parse(payload)
	if err != nil {
		b.Fatal(err)
	}
	var values []event.Value
	decode.New(decode.Limits{}).Walk(req, func(v event.Value) bool {
		values = append(values, v)
		return true
	})
	if n := len(payload); n < 900 || n > 2000 {
		b.Fatalf("event is %d bytes, want about 1 KB", n)
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ev := p.Begin(req, now)
		if !ev.Done() {
			for _, v := range values {
				if ev.Wants(v.Location) {
					ev.Keep(v)
				}
			}
		}
		d := ev.Finish()
		durs = append(durs, time.Since(start))
		if d.Outcome != policy.Allow {
			b.Fatalf("benchmark event matched: %+v", d.Reasons)
		}
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns")
}

// The benchmark's rules must really be evaluated: each one matches the
// event it was written against.
func TestBenchmarkRulesCanMatch(t *testing.T) {
	p := compileDoc(t, hundredRules())
	d := judge(t, p, loadEvent(t, "apigw-v2.json", map[string]any{"requestContext.http.sourceIp": "192.0.2.2"}), now)
	if d.Outcome != policy.Block || d.RuleIDs[0] != "rule-000" {
		t.Fatalf("ip rule did not match: %+v", d)
	}
	d = judge(t, p, loadEvent(t, "apigw-v2.json", map[string]any{"requestContext.http.sourceIp": "10.1.2.3"}), now)
	if d.Outcome != policy.Block || d.RuleIDs[0] != "rule-001" {
		t.Fatalf("cidr rule did not match: %+v", d)
	}
	d = judge(t, p, loadEvent(t, "apigw-v2.json", map[string]any{"body": `{"x":{"y":"magic-token-15"}}`}), now)
	if d.Outcome != policy.Block || d.RuleIDs[0] != "rule-015" {
		t.Fatalf("deep body rule did not match: %+v", d)
	}
}

// BenchmarkParseOpenAPI measures loading a configuration that imports the
// OpenAPI document of testdata: at a cold start this runs before the agent
// asks for its first event.
func BenchmarkParseOpenAPI(b *testing.B) {
	dir := b.TempDir()
	api, err := os.ReadFile("testdata/openapi.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "openapi.yaml"), api, 0o644); err != nil {
		b.Fatal(err)
	}
	doc := []byte("openapi:\n  path: openapi.yaml\n")
	src := filepath.Join(dir, "lambdawaf.yaml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Parse(doc, src); err != nil {
			b.Fatal(err)
		}
	}
}
