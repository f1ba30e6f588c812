package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"slices"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// offline is a table that is never reached: decisions must not touch it.
type offline struct{}

var errOffline = errors.New("decisions must not reach the table")

func (offline) GetItem(context.Context, *fleet.GetItemInput) (*fleet.GetItemOutput, error) {
	panic(errOffline)
}
func (offline) UpdateItem(context.Context, *fleet.UpdateItemInput) (*fleet.UpdateItemOutput, error) {
	panic(errOffline)
}

// decisionPolicy is one rate limit, per environment or global, plus (for
// global) a flagging threshold, so the decision also checks flags.
func decisionPolicy(tb testing.TB, scope string) *policy.Policy {
	tb.Helper()
	doc := fmt.Sprintf(`rateLimits: [{id: api, key: source-ip, limit: 1000000000, period: 10s, scope: %s}]`, scope)
	if scope == document.ScopeGlobal {
		doc += "\nflagging: {thresholds: [{id: t, source: source-ip, blocked: 5, within: 10s, flagFor: 1h}]}"
	}
	p, err := policy.Parse([]byte(doc), scope+".yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if scope == document.ScopeGlobal {
		st, err := fleet.New(fleet.OptionsFor(p, fleet.Options{
			Table: &fleet.Table{API: offline{}, Name: "t", Group: "g"},
			Key:   func() ([]byte, bool) { return []byte("0123456789abcdef0123456789abcdef"), true },
		}))
		if err != nil {
			tb.Fatal(err)
		}
		p.SetSharedState(fleet.ForPolicy{S: st})
	}
	return p
}

var decisionRequest = &event.Request{Trigger: event.APIGatewayHTTP, Method: "GET", Path: "/orders", SourceIP: "192.0.2.44"}

func decide(p *policy.Policy, now time.Time) policy.Outcome {
	return p.Begin(decisionRequest, now).Finish().Outcome
}

// TestGlobalLimitAddsAtMostFiveMicrosecondsToADecision compares the median
// decision time with a global limit (fleet state, flag check) against the
// same limit per environment. The table is never reached.
func TestGlobalLimitAddsAtMostFiveMicrosecondsToADecision(t *testing.T) {
	const n = 20000
	median := func(p *policy.Policy) time.Duration {
		ds := make([]time.Duration, n)
		for i := range ds {
			t0 := time.Now()
			if decide(p, t0) != policy.Allow {
				t.Fatal("a decision under the limit was not allow")
			}
			ds[i] = time.Since(t0)
		}
		slices.Sort(ds)
		return ds[n/2]
	}
	local, global := decisionPolicy(t, document.ScopeEnvironment), decisionPolicy(t, document.ScopeGlobal)
	median(local)
	median(global) // warm both
	l, g := median(local), median(global)
	t.Logf("decision p50: per-environment limit %v, global limit %v, difference %v", l, g, g-l)
	if g-l > 5*time.Microsecond {
		t.Errorf("a global limit adds %v to the median decision, budget 5µs", g-l)
	}
}

func BenchmarkDecision(b *testing.B) {
	for _, scope := range []string{document.ScopeEnvironment, document.ScopeGlobal} {
		b.Run(scope, func(b *testing.B) {
			p := decisionPolicy(b, scope)
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				decide(p, now)
			}
		})
	}
}
