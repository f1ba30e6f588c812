package policy_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

const errorRatiosConfig = `
errorRatios:
  - id: orders
    routes: [POST /orders]
    ratio: 0.5
    minRequests: 10
    within: 1m
    sources: 2
    action: block
    for: 5m
  - id: any-route-4xx
    status: [4xx, "503"]
    ratio: 0.9
    minRequests: 20
    within: 1m
`

func orderRequest(src string) *event.Request {
	return &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", Path: "/orders", Route: "POST /orders", SourceIP: src}
}

// reasonsOf returns the reasons of one kind.
func reasonsOf(d *policy.Decision, kind policy.ReasonKind) []policy.Reason {
	var out []policy.Reason
	for _, r := range d.Reasons {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func TestErrorRatioCrossingRefusesOnlyTheContributorsOnThatRoute(t *testing.T) {
	p := compileDoc(t, errorRatiosConfig)
	ok, broken := &policy.Response{Status: 201}, &policy.Response{Status: 500}
	at := now
	// 5 good requests and 4 errors from two fuzzers: 9 requests, under
	// the minimum of 10, so nothing is held however high the share.
	for i := range 5 {
		attempt(p, orderRequest(fmt.Sprintf("198.51.100.%d", i+1)), at, ok)
	}
	for i := range 4 {
		d := attempt(p, orderRequest(fmt.Sprintf("203.0.113.%d", i%2+1)), at, broken)
		if d.Outcome != policy.Allow {
			t.Fatalf("error %d refused before the ratio crossed: %s %+v", i, d.Outcome, d.Reasons)
		}
	}
	// The 10th request is an error: 5 of 10 = the ratio, at the minimum.
	attempt(p, orderRequest("203.0.113.1"), at, broken)

	tests := []struct {
		name    string
		req     *event.Request
		want    policy.Outcome
		crossed bool // the decision carries the crossing's record
	}{
		{"the first request after the crossing records it, a real user goes on", orderRequest("198.51.100.9"), policy.Log, true},
		{"the crossing is recorded once", orderRequest("198.51.100.9"), policy.Allow, false},
		{"a contributor is refused on the route", orderRequest("203.0.113.2"), policy.Block, false},
		{"a contributor is not refused on another route", &event.Request{Trigger: event.APIGatewayHTTP, Method: "GET", Path: "/health", Route: "GET /health", SourceIP: "203.0.113.2"}, policy.Allow, false},
		{"a source with one error is no contributor", orderRequest("198.51.100.1"), policy.Allow, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := attempt(p, tt.req, at, nil)
			if d.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s: %+v", d.Outcome, tt.want, d.Reasons)
			}
			rs := reasonsOf(d, policy.ReasonErrorRatio)
			crossed := false
			for _, r := range rs {
				if strings.Contains(r.Message, "crossed the ratio") {
					crossed = true
					if r.Count != 5 || r.Threshold != 5 || r.Window != "1m0s" || r.RetryAfter != 300 {
						t.Errorf("crossing record %+v: want count 5 of threshold 5 in 1m0s, 300 s left", r)
					}
				}
			}
			if crossed != tt.crossed {
				t.Errorf("crossing recorded: %v, want %v (%+v)", crossed, tt.crossed, rs)
			}
			if tt.want == policy.Block {
				if d.Status != 429 || d.RetryAfter != 300 {
					t.Errorf("block status %d, Retry-After %d: want 429 and 300", d.Status, d.RetryAfter)
				}
			}
		})
	}
	// The hold lapses with its duration.
	if d := attempt(p, orderRequest("203.0.113.2"), at.Add(5*time.Minute+time.Second), nil); d.Outcome != policy.Allow {
		t.Errorf("after the hold: %s %+v", d.Outcome, d.Reasons)
	}
}

func TestErrorRatioStatusClassesAndRoutesByTheirKey(t *testing.T) {
	p := compileDoc(t, errorRatiosConfig)
	at := now
	send := func(path string, status int) *policy.Decision {
		return attempt(p, &event.Request{Trigger: event.APIGatewayHTTP, Method: "GET", Path: path, Route: "GET " + path, SourceIP: "192.0.2.7"}, at, &policy.Response{Status: status})
	}
	// 404 and 503 count for any-route-4xx; 500 does not; each route has
	// its own ratio.
	for range 10 {
		send("/a", 404)
		send("/b", 500)
	}
	for range 10 {
		send("/a", 503)
		send("/b", 404)
	}
	if d := send("/a", 200); len(reasonsOf(d, policy.ReasonErrorRatio)) == 0 || d.Outcome != policy.Log {
		t.Errorf("/a: 20 of 20 errors: want the crossing logged, got %s %+v", d.Outcome, d.Reasons)
	}
	if d := send("/b", 200); len(reasonsOf(d, policy.ReasonErrorRatio)) != 0 {
		t.Errorf("/b: 10 of 20 errors (500s are not 4xx): want nothing, got %+v", d.Reasons)
	}
}

func TestErrorRatiosProblemsAreLocated(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"ratio above one", "errorRatios:\n  - {id: a, ratio: 1.5, minRequests: 10, within: 1m}\n",
			"c.yaml: line 2, column 13: errorRatios[0].ratio: maximum: got 1.5, want 1"},
		{"no minimum", "errorRatios:\n  - {id: a, ratio: 0.5, within: 1m}\n",
			"c.yaml: line 2, column 5: errorRatios[0]: missing required field \"minRequests\""},
		{"bad status", "errorRatios:\n  - {id: a, status: [5xx, 6xx], ratio: 0.5, minRequests: 10, within: 1m}\n",
			"line 2, column 27: errorRatios[0].status[1]: '6xx' does not match"},
		{"flag", "errorRatios:\n  - {id: a, ratio: 0.5, minRequests: 10, within: 1m, action: flag}\n",
			"line 2, column 54: errorRatios[0].action: expected one of log, block, got flag"},
		{"duplicate", "errorRatios:\n  - {id: a, ratio: 0.5, minRequests: 10, within: 1m}\n  - {id: a, ratio: 0.5, minRequests: 10, within: 1m}\n",
			"errorRatios[1].id: duplicate error ratio id \"a\""},
		{"bad route", "errorRatios:\n  - {id: a, routes: [POST orders], ratio: 0.5, minRequests: 10, within: 1m}\n",
			"errorRatios[0].routes[0]: route \"POST orders\""},
		{"no window", "errorRatios:\n  - {id: a, ratio: 0.5, minRequests: 10}\n",
			"errorRatios[0]: missing required field \"within\""},
		{"zero ratio", "errorRatios:\n  - {id: a, ratio: 0, minRequests: 10, within: 1m}\n",
			"errorRatios[0].ratio"},
		{"window that is no duration", "errorRatios:\n  - {id: a, ratio: 0.5, minRequests: 10, within: 1 minute}\n",
			"errorRatios[0].within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tt.doc), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
