package firewall

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// realBody is the JSON body of realEvent.
const realBody = `{"customer":{"name":"Ann O'Brien","email":"ann@example.com"},"items":[{"sku":"A-1","qty":2},{"sku":"B-22","qty":1},{"sku":"C-333","qty":5}],"note":"Please leave the parcel at the side door, thanks!","coupon":"WINTER-2026"}`

// realEvent is a realistic ~1 KB HTTP API v2 JSON POST.
func realEvent(tb testing.TB) []byte { return realEventWith(tb, "") }

// realEventWith is realEvent sent by the browser userAgent names (the
// fixture's when empty).
func realEventWith(tb testing.TB, userAgent string) []byte {
	edits := map[string]any{
		"routeKey":                   "POST /orders",
		"rawPath":                    "/orders",
		"requestContext.http.method": "POST",
		"requestContext.http.path":   "/orders",
		"body":                       realBody,
		"headers.x-api-key":          "k-123456",
		"headers.accept-language":    "en-GB,en;q=0.9",
	}
	if userAgent != "" {
		edits["headers.user-agent"] = userAgent
	}
	return fixture(tb, "apigw-v2.json", edits)
}

func rules100() string {
	var b strings.Builder
	b.WriteString("lists:\n  - {name: nets, type: cidr, items: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}\nrules:\n")
	conds := []string{
		`{field: source-ip, cidr: nets}`,
		`{field: header.user-agent, regex: '(?i)(curl|wget)/%d'}`,
		`{field: path, prefix: /admin%d}`,
		`{field: query.debug%d, exists: true}`,
		`{field: 'body.items[*].sku', regex: '^ZZ-%d'}`,
		`{all: [{field: method, equals: DELETE}, {field: path, prefix: /orders/%d}]}`,
		`{any: [{field: claim.role, equals: banned%d}, {field: cookie.t, contains: 'evil%d'}]}`,
		`{signal: {class: ssrf, location: 'body.webhook%d'}}`,
	}
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "  - id: r%d\n    when: %s\n    action: block\n", i, strings.ReplaceAll(conds[i%len(conds)], "%d", fmt.Sprint(i)))
	}
	return b.String()
}

// The whole pipeline with the real detectors and 100 rules; checks the
// benign event passes and a real attack is caught.
func TestRealPipeline(t *testing.T) {
	p, err := policy.Parse([]byte(rules100()), "bench.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := New(p, Options{})
	d, err := f.Judge(context.Background(), realEvent(t))
	if err != nil || d.Outcome != policy.Allow {
		t.Fatalf("benign event: %v %+v", err, d)
	}
	attack := fixture(t, "apigw-v2.json", v2Query("1' UNION SELECT password FROM users --"))
	d, err = f.Judge(context.Background(), attack)
	if err != nil || d.Outcome != policy.Block {
		t.Fatalf("attack: %v %+v", err, d)
	}
}

// BenchmarkInspectEvent measures the whole per-invocation cost the agent
// adds: parse, decode, detect, 100 rules, decision, for a 1 KB JSON event.
// The same event comes every time, as a client's repeated requests do: its
// User-Agent and Host are judged once (see detect's repeatMemo).
// BenchmarkInspectEventNewClients sends a User-Agent the agent has not
// seen in each.
func BenchmarkInspectEvent(b *testing.B) {
	benchmarkInspectEvent(b, [][]byte{realEvent(b)})
}

// BenchmarkInspectEventNewClients is BenchmarkInspectEvent with each
// event from a browser version the agent has not seen lately (4,096 of
// them in turn, more than the memo of repeats keeps): the cost of a
// first request.
func BenchmarkInspectEventNewClients(b *testing.B) {
	events := make([][]byte, 4096)
	for i := range events {
		events[i] = realEventWith(b, fmt.Sprintf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.%d", i/64, i%64))
	}
	benchmarkInspectEvent(b, events)
}

func benchmarkInspectEvent(b *testing.B, events [][]byte) {
	p, err := policy.Parse([]byte(rules100()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	f := New(p, Options{})
	invs := make([]*proxy.Invocation, len(events))
	for i, ev := range events {
		invs[i] = &proxy.Invocation{RequestID: "r", Event: ev}
	}
	ctx := context.Background()
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		inv := invs[i%len(invs)]
		start := time.Now()
		v, err := f.InspectEvent(ctx, inv)
		durs = append(durs, time.Since(start))
		if err != nil || v.Block {
			b.Fatalf("benign event: %v block=%v", err, v.Block)
		}
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(len(invs[0].Event)), "event-bytes")
}
