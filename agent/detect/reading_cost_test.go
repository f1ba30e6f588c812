package detect

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadingsAreLinear feeds each reading the shape that would make it
// work hardest, repeated to 32 KiB and to 128 KiB: four times the input
// may cost at most about four times the time (a quadratic path costs
// sixteen). CPU time, not wall time, so the test holds on a shared
// machine; the faster of two runs, as noise only adds.
func TestReadingsAreLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	e := New(Options{Paranoia: 2, MaxValueBytes: 1 << 20})
	patterns := []string{
		"${{<%[%", "/[a]", " /[a]/b", "db.a.find(;", ";x(y);#", "'.a(b);//", "a.b(c).d(e) ",
		"{{'a'.b()}}", "import { a } from 'b';\n", "$ ls -l /x | cat\n", "<esi:include ", "substring(//a",
		"{$gt: 1}, ", "the quick brown fox ' or ", "`${a.b().c()}`", "@(1*1)", "x;node a.js;",
	}
	took := func(s string) time.Duration {
		best := time.Duration(1 << 62)
		for range 2 {
			c0 := processCPU(t)
			e.Inspect(body("v", s), nil)
			best = min(best, processCPU(t)-c0)
		}
		return max(best, 2*time.Millisecond) // below that, clock granularity
	}
	for _, p := range patterns {
		small := strings.Repeat(p, (32<<10)/len(p))
		large := strings.Repeat(p, (128<<10)/len(p))
		ds, dl := took(small), took(large)
		if r := float64(dl) / float64(ds); r > 10 {
			t.Errorf("%q: %v for %d bytes, %v for %d bytes: ×%.1f for ×4 input", p, ds, len(small), dl, len(large), r)
		}
	}
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
