// Package memlimit owns the agent's soft Go memory limit: low while events
// are small, so that the agent takes little of the function's memory, and
// raised for as long as a large event is inspected.
//
// The limit is a backstop, not a pacing knob: one invocation at a time
// the live heap is about 1 MB and Go's own pacing decides when to collect.
// A large event is different. Inspecting a 6 MB event keeps 20–35 MB live
// (the event, the parsed body and the decoded readings being judged); a
// fixed 12 MiB limit below that makes the collector run without pause, up
// to the runtime's cap of half the CPU, and doubled or tripled the CPU an
// inspection takes (tests/worstcase, run under the agent's limit). The
// memory is live either way; what the limit decides is only how much
// garbage may sit beside it, so for the inspection the limit grows by an
// allowance for the event and shrinks back when it is judged.
package memlimit

import (
	"math"
	"runtime/debug"
	"sync"
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

// Limit is the process's soft memory limit: base plus the allowances of
// the events being inspected, at most ceiling. There is one per process
// (the runtime has one limit); the agent's main makes it.
type Limit struct {
	base, ceiling int64

	mu    sync.Mutex
	extra int64
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

// Reserve raises the limit by the allowance of an event of n bytes and
// returns what lowers it again, to be called once the event is judged.
// Small events cost nothing: no call into the runtime.
func (l *Limit) Reserve(n int) (release func()) {
	a := Allowance(n)
	if l == nil || a == 0 {
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
	return min(l.base+l.extra, l.ceiling)
}

func (l *Limit) add(d int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.extra += d
	debug.SetMemoryLimit(min(l.base+l.extra, l.ceiling))
}
