package worstcase

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used so far.
// On a shared machine wall time measures the neighbours; CPU time
// measures the code.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs f b.N times and reports wall and CPU milliseconds per MB
// of event.
func measure(b *testing.B, size int, f func()) {
	c0 := cpuTime(b)
	for b.Loop() {
		f()
	}
	cpu := cpuTime(b) - c0
	mb := float64(size) / 1e6
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N)/mb, "ms/MB")
	b.ReportMetric(float64(cpu.Microseconds())/1e3/float64(b.N)/mb, "cpu-ms/MB")
	b.ReportMetric(float64(cpu.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}
