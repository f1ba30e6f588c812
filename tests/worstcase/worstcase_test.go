package worstcase

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/memlimit"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// inspect runs the whole pipeline once and returns its duration.
func inspect(tb testing.TB, f *firewall.Firewall, ev []byte) time.Duration {
	start := time.Now()
	if _, err := f.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r", Event: ev}); err != nil {
		tb.Fatalf("InspectEvent: %v", err)
	}
	return time.Since(start)
}

// underAgentMemoryLimit runs the rest of tb under the agent's soft memory
// limit, raised for each event as the extension raises it (package
// memlimit): without a limit the collector paces by GOGC alone and the
// figures would not be the agent's, with one fixed limit below what a
// large event keeps live it runs without pause. It returns the Limit to
// reserve each event with.
func underAgentMemoryLimit(tb testing.TB) *memlimit.Limit {
	previous := debug.SetMemoryLimit(-1)
	tb.Cleanup(func() { debug.SetMemoryLimit(previous) })
	return memlimit.Set(memlimit.For(0), 0)
}

// eventRun is a whole-event case and the firewall that judges it.
type eventRun struct {
	Case
	f *firewall.Firewall
}

// eventRuns returns the whole-event cases, EventCases judged by the
// default policy and LogModeEventCases by it in log mode.
func eventRuns() []eventRun {
	block, log := firewall.New(nil, firewall.Options{}), firewall.New(nil, firewall.Options{Mode: policy.ModeLog})
	var runs []eventRun
	for _, c := range EventCases() {
		runs = append(runs, eventRun{c, block})
	}
	for _, c := range LogModeEventCases() {
		runs = append(runs, eventRun{c, log})
	}
	return runs
}

// best is the fastest of n runs: the machine is shared, the minimum is
// what the code costs.
func best(tb testing.TB, f *firewall.Firewall, ev []byte, n int) time.Duration {
	m := time.Duration(1 << 62)
	for range n {
		m = min(m, inspect(tb, f, ev))
	}
	return m
}

// BenchmarkWorstCaseValue1MiB judges each hostile unit as one 1 MiB
// string through firewall.InspectEvent (default policy):
//
//	go test ./tests/worstcase -run '^$' -bench WorstCaseValue1MiB -benchtime 3x
func BenchmarkWorstCaseValue1MiB(b *testing.B) {
	f := firewall.New(nil, firewall.Options{})
	memory := underAgentMemoryLimit(b)
	for _, c := range ValueCases() {
		b.Run(c.Name, func(b *testing.B) {
			ev := c.Event(1 << 20) // here, so that -bench builds only the events it judges
			runtime.GC()           // and the garbage of building it is not collected while measuring
			measure(b, len(ev), func() {
				defer memory.Reserve(len(ev))()
				inspect(b, f, ev)
			})
		})
	}
}

// BenchmarkWorstCaseEvent6MB judges each whole-event worst case at the
// 6 MB synchronous payload limit:
//
//	go test ./tests/worstcase -run '^$' -bench WorstCaseEvent6MB -benchtime 3x
func BenchmarkWorstCaseEvent6MB(b *testing.B) {
	memory := underAgentMemoryLimit(b)
	for _, c := range eventRuns() {
		b.Run(c.Name, func(b *testing.B) {
			ev := c.Event(5_800_000) // here, so that -bench builds only the events it judges
			runtime.GC()             // and the garbage of building it is not collected while measuring
			measure(b, len(ev), func() {
				defer memory.Reserve(len(ev))()
				inspect(b, c.f, ev)
			})
		})
	}
}

// TestWorstCasesAreLinear: for every case, judging four times the input
// costs at most about four times the CPU (a quadratic path costs
// sixteen). Ratios of CPU time, not wall time, so the test holds on a
// shared machine; the fastest of a few runs, as noise only adds.
func TestWorstCasesAreLinear(t *testing.T) {
	f := firewall.New(nil, firewall.Options{})
	runs := eventRuns()
	for _, c := range ValueCases() {
		runs = append(runs, eventRun{c, f})
	}
	cpu := func(f *firewall.Firewall, ev []byte, n int) time.Duration {
		m := time.Duration(1 << 62)
		for range n {
			c0 := cpuTime(t)
			inspect(t, f, ev)
			m = min(m, cpuTime(t)-c0)
		}
		return max(m, 2*time.Millisecond) // below that, clock granularity
	}
	for _, c := range runs {
		f, small, large := c.f, c.Event(256<<10), c.Event(1<<20)
		ds, dl := cpu(f, small, 2), cpu(f, large, 2)
		if ratio := float64(dl) / float64(ds); ratio > 10 {
			ds, dl = cpu(f, small, 5), cpu(f, large, 5) // measure again before blaming the code
			if ratio = float64(dl) / float64(ds); ratio > 10 {
				t.Errorf("%s: %v CPU for %d bytes, %v for %d bytes: ×%.1f for ×4 input", c.Name, ds, len(small), dl, len(large), ratio)
			}
		}
	}
}

// BenchmarkWorstCaseDecodeOnly is BenchmarkWorstCaseValue1MiB and
// BenchmarkWorstCaseEvent6MB without the detectors (event.Parse and
// decode.Walk only): the decoder's share of each case.
//
//	go test ./tests/worstcase -run '^$' -bench WorstCaseDecodeOnly -benchtime 3x
func BenchmarkWorstCaseDecodeOnly(b *testing.B) {
	d := decode.New(decode.Limits{})
	run := func(name string, ev []byte) {
		b.Run(name, func(b *testing.B) {
			measure(b, len(ev), func() {
				req, err := event.Parse(ev)
				if err != nil {
					b.Fatal(err)
				}
				d.Walk(req, func(event.Value) bool { return true })
			})
		})
	}
	for _, c := range ValueCases() {
		run(c.Name, c.Event(1<<20))
	}
	for _, c := range append(EventCases(), LogModeEventCases()...) {
		run(c.Name, c.Event(5_800_000))
	}
}

// TestDeBruijnPairsHoldsEveryPair: the text of the shape that defeats the
// pair filters holds every ordered pair of its alphabet, once.
func TestDeBruijnPairsHoldsEveryPair(t *testing.T) {
	const alphabet = "jqxz_kvbyw.()[]{}<>;|&$%@#!?*=+-/\\'`:eiaostnrlcdhmupfg "
	s := deBruijnPairs(alphabet)
	seen := map[string]int{}
	for i := 0; i+1 < len(s); i++ {
		seen[s[i:i+2]]++
	}
	for i := range len(alphabet) {
		for j := range len(alphabet) {
			if p := alphabet[i:i+1] + alphabet[j:j+1]; seen[p] != 1 {
				t.Fatalf("pair %q occurs %d times in %q", p, seen[p], s)
			}
		}
	}
}
