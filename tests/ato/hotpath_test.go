package ato_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// offline is a table that is never reached: decisions and response
// watches must not touch it.
type offline struct{}

var errOffline = errors.New("the request path must not reach the table")

func (offline) GetItem(context.Context, *fleet.GetItemInput) (*fleet.GetItemOutput, error) {
	panic(errOffline)
}
func (offline) UpdateItem(context.Context, *fleet.UpdateItemInput) (*fleet.UpdateItemOutput, error) {
	panic(errOffline)
}

// hotPathDocs are the login function's policy with an error ratio on the
// login route too: as configured by default (5xx are errors: a failed
// login's 401 feeds only the route's request counter), and in the worst
// case, where every answer (401) is an error and feeds all three of its
// counters. Neither ever crosses.
var hotPathDocs = map[string]string{
	"5xx": policyDoc + `
errorRatios:
  - id: login-errors
    routes: [POST /login]
    ratio: 0.99
    minRequests: 1000000000
    within: 1m
`,
	"every answer an error": policyDoc + `
errorRatios:
  - id: login-errors
    routes: [POST /login]
    status: [4xx, 5xx]
    ratio: 0.99
    minRequests: 1000000000
    within: 1m
    sources: 1000000
`,
}

// hotPathFirewall is the login function's firewall with (ratio names
// one of hotPathDocs) or without ("") the logins, responses and
// errorRatios sections, on fleet state whose table is never reached.
func hotPathFirewall(tb testing.TB, ratio string) *firewall.Firewall {
	tb.Helper()
	doc := "mode: block\n"
	if ratio != "" {
		doc = hotPathDocs[ratio]
	}
	p, err := policy.Parse([]byte(doc), "hot.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return firewall.New(p, firewall.Options{SharedState: func(p *policy.Policy) policy.SharedState {
		st, err := fleet.New(fleet.OptionsFor(p, fleet.Options{
			Table: &fleet.Table{API: offline{}, Name: "t", Group: "g"},
			Key:   func() ([]byte, bool) { return sharedKey, true },
		}))
		if err != nil {
			tb.Fatal(err)
		}
		return fleet.ForPolicy{S: st}
	}})
}

// hotPathEvents are login attempts from many sources and users, and the
// function's answer (a failure: every counter is fed).
func hotPathEvents(n int) [][]byte {
	evs := make([][]byte, n)
	for i := range evs {
		body, _ := json.Marshal(map[string]string{"username": fmt.Sprintf("user-%d", i%5000), "password": "guess"})
		evs[i], _ = json.Marshal(map[string]any{
			"version": "2.0", "routeKey": "POST /login", "rawPath": "/login", "rawQueryString": "",
			"headers": map[string]string{"content-type": "application/json", "host": "api.example.com", "user-agent": "Mozilla/5.0"},
			"requestContext": map[string]any{
				"http":      map[string]string{"method": "POST", "path": "/login", "protocol": "HTTP/1.1", "sourceIp": fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256), "userAgent": "Mozilla/5.0"},
				"requestId": "r", "routeKey": "POST /login", "stage": "$default",
			},
			"body": string(body), "isBase64Encoded": false,
		})
	}
	return evs
}

var hotPathResponse = []byte(`{"statusCode":401,"headers":{"content-type":"application/json"},"body":"{\"error\":\"invalid credentials\"}"}`)

// invoke is one invocation as the agent handles it: the event judged, and
// the function's response shown to the response filter.
func invoke(tb testing.TB, fw *firewall.Firewall, ev []byte) {
	ctx := context.Background()
	v, err := fw.InspectEvent(ctx, &proxy.Invocation{RequestID: "r", Event: ev})
	if err != nil || v.Block {
		tb.Fatalf("inspect: %v, block %v", err, v.Block)
	}
	if v.Response != nil {
		if _, err := v.Response.FilterResponse(ctx, hotPathResponse); err != nil {
			tb.Fatal(err)
		}
	}
}

// hotPathBudget is the 5 µs the counters may add to an invocation on the
// machine the budget was set on, where the plain invocation's p50 (plain)
// is 13 µs; on a slower machine it grows in proportion, so the test
// checks the counters' share of an invocation, not the machine's speed.
func hotPathBudget(plain time.Duration) time.Duration {
	const reference = 13 * time.Microsecond
	return max(5*time.Microsecond, 5*time.Microsecond*plain/reference)
}

// TestLoginCountersAddAtMostFiveMicrosecondsPerInvocation compares the
// median invocation (event judged, response shown to the filters) of a
// login route with the logins, responses and errorRatios sections against
// the same invocation without them, alternating so both see the same
// machine. No attempt is held: thresholds are far (each user and source
// fails once or twice), so every invocation pays the full counting. The
// budget holds for the error ratio as configured by default; the worst
// case (every answer an error) is measured and reported beside it.
func TestLoginCountersAddAtMostFiveMicrosecondsPerInvocation(t *testing.T) {
	const n = 6000
	evs := hotPathEvents(n)
	for _, ratio := range []string{"5xx", "every answer an error"} {
		plain, counted := hotPathFirewall(t, ""), hotPathFirewall(t, ratio)
		for _, ev := range evs[:1000] { // warm both
			invoke(t, plain, ev)
			invoke(t, counted, ev)
		}
		dp, dc := make([]time.Duration, n), make([]time.Duration, n)
		for i, ev := range evs {
			t0 := time.Now()
			invoke(t, plain, ev)
			t1 := time.Now()
			invoke(t, counted, ev)
			dp[i], dc[i] = t1.Sub(t0), time.Since(t1)
		}
		slices.Sort(dp)
		slices.Sort(dc)
		p, c := dp[n/2], dc[n/2]
		budget := hotPathBudget(p)
		figure(t, "invocation p50 without counters %v, with logins, responses and an error ratio (%s) %v: +%v (budget %v)", p, ratio, c, c-p, budget)
		if ratio == "5xx" && c-p > budget {
			t.Errorf("the counters add %v to the median invocation, budget %v", c-p, budget)
		}
	}
}

func BenchmarkLoginInvocation(b *testing.B) {
	for _, ratio := range []string{"", "5xx"} {
		b.Run(map[string]string{"": "without-counters", "5xx": "with-counters"}[ratio], func(b *testing.B) {
			fw := hotPathFirewall(b, ratio)
			evs := hotPathEvents(4096)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				invoke(b, fw, evs[i%len(evs)])
				i++
			}
		})
	}
}
