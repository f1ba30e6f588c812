// Package procs sets how many threads run the agent's Go code at once.
//
// In Lambda's classic mode one invocation runs at a time and the agent's
// work for it is a chain (read the runtime's request, call upstream,
// inspect, answer), so one thread does it all: measured on AWS's emulator
// with a 1 KB event, the extension's CPU per invocation fell by about a
// quarter and its context switches by 40 % against one thread per core,
// since goroutines no longer wake each other across cores. A large event
// is the exception: its long values are judged on two cores
// (detect.judgeConcurrently), so the agent takes every core while it
// judges one. Under Managed Instances many invocations run at once and
// the agent keeps one thread per core throughout.
package procs

import (
	"runtime"
	"sync"
)

// LargeEvent is the event size from which Widen gives the agent every
// core: an event this large can hold a value the detectors split over
// two (detect's split length is 64 KiB).
const LargeEvent = 64 << 10

// Procs is the agent's thread setting: narrow (one) between large events.
// The zero value and nil leave GOMAXPROCS alone.
type Procs struct {
	wide int // GOMAXPROCS for large events; 0: never narrowed

	mu    sync.Mutex
	large int // large events being judged
}

// Narrow sets GOMAXPROCS to one and returns the setting that widens it
// again for large events, unless GOMAXPROCS is the operator's (set is
// true: the variable is in the environment), the environment runs
// invocations concurrently (managed), or there is one core anyway; then
// it changes nothing and returns nil.
func Narrow(set, managed bool) *Procs {
	wide := runtime.GOMAXPROCS(0)
	if set || managed || wide <= 1 {
		return nil
	}
	runtime.GOMAXPROCS(1)
	return &Procs{wide: wide}
}

// Widen gives the agent every core while an event of n bytes is judged,
// if it is large, and returns what narrows it again once no large event
// is being judged. Changing GOMAXPROCS stops the world for a moment,
// which an event this large does not notice.
func (p *Procs) Widen(n int) (restore func()) {
	if p == nil || p.wide == 0 || n < LargeEvent {
		return func() {}
	}
	p.mu.Lock()
	if p.large++; p.large == 1 {
		runtime.GOMAXPROCS(p.wide)
	}
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			if p.large--; p.large == 0 {
				runtime.GOMAXPROCS(1)
			}
			p.mu.Unlock()
		})
	}
}
