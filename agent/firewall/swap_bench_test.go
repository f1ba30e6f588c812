package firewall

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// lookupBatch is how many lookups of the active bundle are timed together:
// one lookup (an atomic load) is far below the clock's resolution.
const lookupBatch = 1000

// lookupCosts times n batches of lookups of the active bundle, as
// InspectEvent does it, and returns the per-lookup cost of each batch in
// nanoseconds.
func lookupCosts(f *Firewall, n int) []float64 {
	out := make([]float64, n)
	var sink int
	for i := range out {
		start := time.Now()
		for range lookupBatch {
			st := f.cur.Load()
			sink += len(st.bundle)
		}
		out[i] = float64(time.Since(start).Nanoseconds()) / lookupBatch
	}
	if sink < 0 {
		panic("unreachable")
	}
	return out
}

func percentile[T int64 | float64 | time.Duration](ds []T, p float64) T {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

// TestActiveBundleLookupIsBelowOneMicrosecond holds the request-path cost
// of the bundle machinery to its budget: the lookup of the active bundle
// (and its shadow) is one atomic load, ≤ 1 µs at the median even on a
// loaded machine.
func TestActiveBundleLookupIsBelowOneMicrosecond(t *testing.T) {
	f := New(nil, Options{})
	f.SwapBundles(compileBundle(t, "v1", "version: 1\n"), ptr(compileBundle(t, "v2", noItemsPolicy)))
	costs := lookupCosts(f, 2000)
	if p50 := percentile(costs, 0.5); p50 > 1000 {
		t.Fatalf("active bundle lookup p50 %.1f ns, budget 1 µs", p50)
	}
}

// BenchmarkActiveBundleLookup reports the lookup's p50 and p99 (ns per
// lookup, over batches of lookupBatch).
func BenchmarkActiveBundleLookup(b *testing.B) {
	f := New(nil, Options{})
	f.SwapBundles(compileBundle(b, "v1", "version: 1\n"), nil)
	var costs []float64
	for b.Loop() {
		costs = append(costs, lookupCosts(f, 1)...)
	}
	b.ReportMetric(percentile(costs, 0.5), "p50-ns/lookup")
	b.ReportMetric(percentile(costs, 0.99), "p99-ns/lookup")
}

// BenchmarkInspectDuringSwaps measures whole inspections (real detectors,
// a ~1 KB HTTP API event) in alternating phases: steady, and while another
// goroutine swaps bundles every millisecond. The bundles are compiled and
// their detectors built once, beforehand, as the poller does before it
// swaps; what an invocation can notice of a swap is the atomic store. It
// reports p50 and p99 of each phase and the ratio of the p99s (budget
// ≤ 1.10).
func BenchmarkInspectDuringSwaps(b *testing.B) {
	f := New(nil, Options{})
	s1 := f.prepare(compileBundle(b, "v1", "version: 1\n"), nil)
	s2 := f.prepare(compileBundle(b, "v2", noItemsPolicy), nil)
	f.install(s1)
	inv := &proxy.Invocation{RequestID: "r", Event: realEvent(b)}
	ctx := context.Background()
	var steady, swapping []time.Duration
	const phase = 200 // inspections per phase
	var swaps atomic.Int64
	for b.Loop() {
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-t.C:
					if i%2 == 0 {
						f.install(s2)
					} else {
						f.install(s1)
					}
					swaps.Add(1)
				}
			}
		}()
		for range phase {
			start := time.Now()
			f.InspectEvent(ctx, inv)
			swapping = append(swapping, time.Since(start))
		}
		close(stop)
		<-done
		for range phase {
			start := time.Now()
			f.InspectEvent(ctx, inv)
			steady = append(steady, time.Since(start))
		}
	}
	s99, w99 := percentile(steady, 0.99), percentile(swapping, 0.99)
	b.ReportMetric(float64(percentile(steady, 0.5).Microseconds()), "steady-p50-µs")
	b.ReportMetric(float64(s99.Microseconds()), "steady-p99-µs")
	b.ReportMetric(float64(percentile(swapping, 0.5).Microseconds()), "swap-p50-µs")
	b.ReportMetric(float64(w99.Microseconds()), "swap-p99-µs")
	b.ReportMetric(float64(w99)/float64(s99), "p99-ratio")
	b.ReportMetric(float64(swaps.Load())/float64(b.N), "swaps/op")
}
