package memlimit

import (
	"math"
	"runtime/debug"
	"sync"
	"testing"
)

func TestForGrowsWithInvocationsInFlight(t *testing.T) {
	for _, tt := range []struct {
		workers int
		want    int64
	}{
		{0, 12 << 20},    // one invocation at a time
		{16, 28 << 20},   // Managed Instances, 16 workers
		{64, 64 << 20},   // capped
		{-3, 12 << 20},   // never below the base
		{1000, 64 << 20}, // capped
	} {
		if got := For(tt.workers); got != tt.want {
			t.Errorf("For(%d) = %d MiB, want %d MiB", tt.workers, got>>20, tt.want>>20)
		}
	}
}

func TestGCPercentLeavesMoreGarbageUnderManagedInstances(t *testing.T) {
	for _, tt := range []struct {
		workers int
		want    int
	}{
		{0, 100},  // one invocation at a time: Go's default
		{-1, 100}, // never below it
		{1, 400},  // Managed Instances
		{16, 400},
	} {
		if got := GCPercent(tt.workers); got != tt.want {
			t.Errorf("GCPercent(%d) = %d, want %d", tt.workers, got, tt.want)
		}
	}
}

// TestReserveRaisesTheLimitToWhatLargeEventsNeed: small events leave the
// runtime's limit alone; large ones raise it to base plus the largest sum
// of allowances in flight so far, never past the ceiling, and it stays
// there after they are judged until SettleAfter small events in a row; a
// release called twice counts once.
func TestReserveRaisesTheLimitToWhatLargeEventsNeed(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	runtimeLimit := func() int64 { return debug.SetMemoryLimit(-1) }

	l := Set(12<<20, 120<<20)
	if got := runtimeLimit(); got != 12<<20 {
		t.Fatalf("after Set the runtime's limit is %d", got)
	}
	l.Reserve(1 << 10)() // a 1 KB event
	if got := runtimeLimit(); got != 12<<20 {
		t.Fatalf("a small event moved the limit to %d", got)
	}
	one := int64(12<<20 + 16<<20 + 8*(1<<20))
	release := l.Reserve(1 << 20)
	if got := runtimeLimit(); got != one || l.Current() != one {
		t.Fatalf("while a 1 MiB event is judged the limit is %d (Current %d), want %d", got, l.Current(), one)
	}
	release()
	release()
	if got := runtimeLimit(); got != one {
		t.Fatalf("after the 1 MiB event the limit is %d, want it kept at %d", got, one)
	}
	a, b := l.Reserve(6<<20), l.Reserve(6<<20) // two at once reach the ceiling
	if got := runtimeLimit(); got != 120<<20 {
		t.Fatalf("two 6 MiB events: limit %d, want the ceiling", got)
	}
	a()
	b()
	// a run of small events brings it back to the base
	for range SettleAfter - 1 {
		l.Reserve(1 << 10)()
	}
	if got := runtimeLimit(); got != 120<<20 {
		t.Fatalf("after %d small events the limit is %d, want it still raised", SettleAfter-1, got)
	}
	l.Reserve(1 << 10)()
	if got := runtimeLimit(); got != 12<<20 || l.Current() != 12<<20 {
		t.Fatalf("after %d small events the limit is %d (Current %d), want the base", SettleAfter, got, l.Current())
	}
	// one in flight when it settles keeps its allowance
	c := l.Reserve(1 << 20)
	for range SettleAfter {
		l.Reserve(1 << 10)()
	}
	if got := runtimeLimit(); got != one {
		t.Fatalf("settled with a 1 MiB event in flight: limit %d, want %d", got, one)
	}
	c()

	// concurrent reservations: the limit is what the most at once needed
	m := Set(12<<20, 0)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 100 {
				m.Reserve(1 << 20)()
			}
		})
	}
	wg.Wait()
	if got := runtimeLimit(); got < 12<<20+Allowance(1<<20) || got > 12<<20+16*Allowance(1<<20) || got != m.Current() {
		t.Fatalf("after concurrent reservations the limit is %d (Current %d)", got, m.Current())
	}
	m.mu.Lock()
	extra := m.extra
	m.mu.Unlock()
	if extra != 0 {
		t.Fatalf("%d bytes of allowance left counted", extra)
	}
	if Set(8<<20, 0).ceiling != math.MaxInt64 {
		t.Error("no ceiling is not unbounded")
	}
}

func TestAllowance(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want int64
	}{{0, 0}, {64<<10 - 1, 0}, {64 << 10, 16<<20 + 8*(64<<10)}, {6 << 20, 16<<20 + 48<<20}} {
		if got := Allowance(tt.n); got != tt.want {
			t.Errorf("Allowance(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}
