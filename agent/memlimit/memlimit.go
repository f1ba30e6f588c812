// Package memlimit owns the agent's soft Go memory limit: low while events
// are small, so that the agent takes little of the function's memory, and
// raised for as long as a large event is inspected. It also sets the
// collector's pacing (GCPercent): more garbage per cycle under Managed
// Instances.
//
// The limit is a backstop, not a pacing knob: one invocation at a time
// the live heap is about 1 MB and Go's own pacing decides when to collect.
// A large event is different. Inspecting a 6 MB event keeps 20–35 MB live
// (the event, the parsed body and the decoded readings being judged); a
// fixed 12 MiB limit below that makes the collector run without pause, up
// to the runtime's cap of half the CPU, and doubled or tripled the CPU an
// inspection takes (tests/worstcase, run under the agent's limit). The
// memory is live either way; what the limit decides is only how much
// garbage may sit beside it, so the limit grows by an allowance for the
// events being inspected. It does not shrink back as soon as they are
// judged: lowering it after each one made the runtime hand the memory
// back to the system at once and fault it in again for the next (in a
// run of 6 MB events, one of many small values took three times the CPU).
// It comes back down after a run of small events (SettleAfter), when the
// memory a large event needed would otherwise stay with the agent.
package memlimit

import (
	"math"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// The soft limit, one invocation at a time and per invocation in flight
// under Lambda Managed Instances, where each holds its own event, buffers
// and decoding state: a limit that does not grow with them keeps the
// collector running without pause (at 16 in flight on AWS's emulator,
// 12 MiB made the same load take three times as long as 28 MiB;
// tests/rie), so it grows by a MiB per worker.
const (
	Base      = 12 << 20
	PerWorker = 1 << 20
	MaxBase   = 64 << 20
)

// For is the soft limit for an environment running workers invocations at
// once (0: one at a time).
func For(workers int) int64 {
	return min(Base+int64(max(workers, 0))*PerWorker, MaxBase)
}

// The collector's pacing (GOGC): Go's default one invocation at a time,
// where the resident memory has a goal of its own; four times as much
// garbage per cycle under Lambda Managed Instances. There the live heap
// is about 2-3 MB and each invocation in block mode allocates about 20
// KB, so at Go's default the collector ran every hundred invocations or
// so: its marking, assists and sweeping took 4.8 % of the agent's CPU
// under the emulator's 16-worker load, and 1.5 % at ManagedGCPercent
// (perf, one run each), for a heap goal of about 12 MB instead of 5,
// still under the soft limit For gives 16 workers.
const (
	DefaultGCPercent = 100
	ManagedGCPercent = 400
)

// GCPercent is the collector's pacing for an environment running workers
// invocations at once (0: one at a time).
func GCPercent(workers int) int {
	if workers > 0 {
		return ManagedGCPercent
	}
	return DefaultGCPercent
}

// largeEvent is the size from which an event gets an allowance: below it
// what an inspection keeps live is small beside the base.
const largeEvent = 64 << 10

// Allowance is how far the limit grows while an event of n bytes is
// inspected: 16 MiB for the decoded readings of one long value (a 1 MiB
// value keeps about 18 MB live: its windows and their readings) and eight
// times the event for a large one (the costliest 6 MB events keep 30 to
// 47 MB live at their peak, and the runtime's own spans count against the
// limit too). 0 for small events.
func Allowance(n int) int64 {
	if n < largeEvent {
		return 0
	}
	return 16<<20 + 8*int64(n)
}

// SettleAfter is how many small events in a row bring a raised limit
// back to the base (plus what events in flight then need).
const SettleAfter = 64

// Limit is the process's soft memory limit: base plus the largest sum of
// allowances of the events inspected at once since the last run of
// SettleAfter small events, at most ceiling. There is one per process
// (the runtime has one limit); the agent's main makes it.
type Limit struct {
	base, ceiling int64

	mu     sync.Mutex
	extra  int64 // the allowances of the events being inspected
	high   int64 // the largest extra since the limit last settled: what it carries
	raised atomic.Bool
	small  int // small events since the last large one, while raised
}

// Set makes base the process's soft memory limit and returns the Limit
// that raises it for large events, never above ceiling (0: no ceiling
// but base's).
func Set(base, ceiling int64) *Limit {
	if ceiling <= 0 {
		ceiling = math.MaxInt64
	}
	l := &Limit{base: base, ceiling: max(ceiling, base)}
	debug.SetMemoryLimit(base)
	return l
}

// Reserve counts the allowance of an event of n bytes, raising the limit
// if the events being inspected now need more than any before, and
// returns what to call once the event is judged. Small events cost
// nothing, and so do large ones once the limit is high enough: no call
// into the runtime.
func (l *Limit) Reserve(n int) (release func()) {
	a := Allowance(n)
	if l == nil {
		return func() {}
	}
	if a == 0 {
		if l.raised.Load() {
			l.settle()
		}
		return func() {}
	}
	l.add(a)
	var once sync.Once
	return func() { once.Do(func() { l.add(-a) }) }
}

// Current is the limit now in force.
func (l *Limit) Current() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return min(l.base+l.high, l.ceiling)
}

func (l *Limit) add(d int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.extra += d
	if d > 0 {
		l.small = 0
	}
	if l.extra > l.high {
		l.high = l.extra
		l.raised.Store(true)
		debug.SetMemoryLimit(min(l.base+l.high, l.ceiling))
	}
}

// settle counts a small event while the limit is raised and brings it
// down after SettleAfter of them in a row.
func (l *Limit) settle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.small++; l.small < SettleAfter || l.high == l.extra {
		return
	}
	l.high, l.small = l.extra, 0
	l.raised.Store(l.high > 0)
	debug.SetMemoryLimit(min(l.base+l.high, l.ceiling))
}
