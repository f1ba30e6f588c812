package ato_test

import (
	"fmt"
	"testing"
	"time"
)

// limitsDoc limits each API key, and the export route, across the group,
// with bursts.
const limitsDoc = `
rateLimits:
  - id: per-key
    key: header.x-api-key
    limit: 20
    period: 10m
    burst: 30
    scope: global
  - id: export
    key: route
    routes: [GET /export]
    limit: 40
    period: 10m
    burst: 60
    scope: global
`

func ok(method, path, body string) (int, string) { return 200, `{}` }

// window sends n requests of one kind round the instances and counts what
// the function got and how refusals read.
func (f *fleetRun) window(t *testing.T, n int, send func(i int) answer) (admitted int) {
	t.Helper()
	for i := 0; i < n; i++ {
		a := send(i)
		switch {
		case !a.byAgent:
			admitted++
		case a.status != 429 || a.retryAfter < 1 || a.retryAfter > 600:
			t.Errorf("refusal %d: status %d, Retry-After %d; want 429 with the window's rest", i, a.status, a.retryAfter)
		}
	}
	return admitted
}

func TestGlobalIdentityAndRouteLimitsTakeTheirBurstThenTheRest(t *testing.T) {
	const n = 3
	f := newFleetRunWith(t, n, 6, limitsDoc)
	key := func(i int) answer {
		return f.sendWith(i, "GET", "/orders", fmt.Sprintf("198.51.100.%d", i%200+1), map[string]string{"x-api-key": "k-partner-1"}, "", ok)
	}
	// A quiet key takes its burst (30), plus at most one request of
	// credit per instance and sync.
	first := f.window(t, 80, key)
	if first < 30 || first > 30+n {
		t.Errorf("first window admitted %d, want the burst of 30 (+ at most %d)", first, n)
	}
	// Other keys are not affected.
	if a := f.sendWith(0, "GET", "/orders", "198.51.100.9", map[string]string{"x-api-key": "k-partner-2"}, "", ok); a.byAgent {
		t.Error("another API key was refused")
	}
	// The next window: two windows together stay within 2×20.
	f.clock.Advance(10 * time.Minute)
	f.syncAll()
	second := f.window(t, 80, key)
	if second > 40-first+n || second < 40-first-n {
		t.Errorf("second window admitted %d after %d; want about %d (2×20 over two windows)", second, first, 40-first)
	}
	export := func(i int) answer {
		return f.send(i, "GET", "/export", fmt.Sprintf("203.0.113.%d", i%200+1), "", ok)
	}
	ex := f.window(t, 100, export)
	if ex < 60 || ex > 60+n {
		t.Errorf("export route admitted %d, want its burst of 60 (+ at most %d)", ex, n)
	}
	figure(t, "global limits with bursts, %d instances: API key limit 20/10m burst 30: %d admitted in a quiet window, %d in the next; route limit 40/10m burst 60: %d admitted", n, first, second, ex)
}
