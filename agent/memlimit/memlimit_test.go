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

// TestReserveRaisesTheRuntimesLimitForALargeEventOnly: the runtime's
// limit follows the reservations of the events in flight, small events
// leave it alone, it never passes the ceiling, and a release called twice
// counts once.
func TestReserveRaisesTheRuntimesLimitForALargeEventOnly(t *testing.T) {
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
	release := l.Reserve(6 << 20)
	if got, want := runtimeLimit(), int64(12<<20+16<<20+8*(6<<20)); got != want || l.Current() != want {
		t.Fatalf("while a 6 MiB event is judged the limit is %d (Current %d), want %d", got, l.Current(), want)
	}
	second := l.Reserve(6 << 20) // a second one in flight reaches the ceiling
	if got := runtimeLimit(); got != 120<<20 {
		t.Fatalf("two 6 MiB events: limit %d, want the ceiling", got)
	}
	second()
	release()
	release()
	if got := runtimeLimit(); got != 12<<20 {
		t.Fatalf("after the releases the limit is %d, want the base back", got)
	}

	// concurrent reservations settle back to the base
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 100 {
				l.Reserve(1 << 20)()
			}
		})
	}
	wg.Wait()
	if got := runtimeLimit(); got != 12<<20 {
		t.Fatalf("after concurrent reservations the limit is %d", got)
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
