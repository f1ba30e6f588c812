package ato_test

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The timed runs replay longer attacks on the wall clock, with the
// instances syncing from timers; make ato-replay runs them
// (LAMBDAWAF_ATO_LONG=1). They measure how long an attack runs on after
// its threshold is crossed, in time and in attempts.
const (
	timedInstances = 6
	timedInterval  = 250 * time.Millisecond // fleet.DefaultSyncInterval
)

func skipUnlessLong(t *testing.T) {
	if os.Getenv("LAMBDAWAF_ATO_LONG") == "" {
		t.Skip("a long replay: make ato-replay (LAMBDAWAF_ATO_LONG=1)")
	}
}

// timedAttack runs attempts from one goroutine at a steady pace while
// real users log in from another, and reports when the threshold-th
// failure reached the function, when the first refusal came and when the
// last attempt reached the function.
type timedAttack struct {
	crossed, firstRefused, lastReached time.Time
	reached, refused, attempts         int
	realLogins, realRefused            atomic.Int64
}

func runTimed(t *testing.T, f *fleetRun, threshold, attempts int, pace time.Duration, attempt func(i int) answer, real []realUser) *timedAttack {
	t.Helper()
	r := &timedAttack{attempts: attempts}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(pace):
			}
			u := real[i%len(real)]
			r.realLogins.Add(1)
			if a := f.sendLogin(i, u.src, u.name, u.pass); a.status != 200 {
				r.realRefused.Add(1)
			}
		}
	})
	failures := 0
	next := time.Now()
	for i := 0; i < attempts; i++ {
		time.Sleep(time.Until(next))
		next = next.Add(pace)
		a := attempt(i)
		now := time.Now()
		if a.byAgent {
			r.refused++
			if r.firstRefused.IsZero() {
				r.firstRefused = now
			}
			continue
		}
		r.reached++
		r.lastReached = now
		if a.status == 401 {
			failures++
			if failures == threshold {
				r.crossed = now
			}
		}
	}
	close(stop)
	wg.Wait()
	return r
}

func (r *timedAttack) report(t *testing.T, f *fleetRun, what string, threshold int, pace time.Duration) {
	t.Helper()
	if n := f.syncs.Load(); n > 0 {
		figure(t, "%s: %d syncs, mean %v, %d failed", what, n, time.Duration(f.syncTime.Load()/n).Round(time.Millisecond), f.syncErrors.Load())
	}
	if r.crossed.IsZero() || r.firstRefused.IsZero() {
		t.Fatalf("%s: threshold never crossed or never refused (%d reached, %d refused)", what, r.reached, r.refused)
	}
	spread := r.lastReached.Sub(r.crossed)
	// The failure counted at the next sync of its instance (≤ 1 interval
	// and one sync's duration), flagged there, read by every other
	// instance at its next sync (≤ 1 more): two intervals and two syncs,
	// and scheduling slack on a loaded machine. A sync's duration is
	// dynalite's, on this machine: a Node.js process far slower than
	// DynamoDB.
	var meanSync time.Duration
	if n := f.syncs.Load(); n > 0 {
		meanSync = time.Duration(f.syncTime.Load() / n)
	}
	if budget := 2*(timedInterval+meanSync) + 300*time.Millisecond; spread > budget {
		t.Errorf("%s: the attack reached the function %v after the crossing, budget %v", what, spread, budget)
	}
	if n := r.realRefused.Load(); n > 0 {
		t.Errorf("%s: %d of %d real users' logins refused", what, n, r.realLogins.Load())
	}
	figure(t, "%s on the wall clock, %d instances syncing every %v, one attempt per %v: threshold %d crossed, first refusal %v later, last attempt reaching the function %v after the crossing; %d of %d attempts reached the function; real users %d/%d refused",
		what, timedInstances, timedInterval, pace, threshold, r.firstRefused.Sub(r.crossed).Round(time.Millisecond), spread.Round(time.Millisecond),
		r.reached, r.attempts, r.realRefused.Load(), r.realLogins.Load())
}

func TestTimedCredentialStuffingAcrossInstances(t *testing.T) {
	skipUnlessLong(t)
	const attempts, threshold, pace = 2000, 20, 2 * time.Millisecond
	f := newTimedFleetRun(t, timedInstances, timedInterval)
	real := f.addRealUsers(100)
	r := runTimed(t, f, threshold, attempts, pace, func(i int) answer {
		return f.sendLogin(i, "203.0.113.66", fmt.Sprintf("victim-%04d", i), "guess")
	}, real)
	r.report(t, f, "credential stuffing", threshold, pace)
}

func TestTimedPasswordSprayingAcrossInstances(t *testing.T) {
	skipUnlessLong(t)
	const attempts, threshold, pace = 1000, 10, 2 * time.Millisecond
	f := newTimedFleetRun(t, timedInstances, timedInterval)
	real := f.addRealUsers(100)
	r := runTimed(t, f, threshold, attempts, pace, func(i int) answer {
		return f.sendLogin(i, fmt.Sprintf("10.%d.%d.%d", i/65536, i/256%256, i%256+1), "target-account", "Winter2026!")
	}, real)
	r.report(t, f, "password spraying", threshold, pace)
}
