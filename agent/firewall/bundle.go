package firewall

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Bundle is a compiled policy and the version of the signed policy bundle
// it came from (agent/bundle verifies and compiles them).
type Bundle struct {
	Policy  *policy.Policy
	Version string
}

// SwapBundles makes active the running configuration and shadow (nil for
// none) the configuration judged beside it, in one atomic step: an
// invocation sees either the old pair or the new one, and invocations in
// flight finish with the pair they started with. The detectors are built
// here, on the caller's goroutine (the bundle poller's), never on the
// request path. Every decision record names the active bundle, and the
// shadow bundle's outcome when one runs.
func (f *Firewall) SwapBundles(active Bundle, shadow *Bundle) {
	f.install(f.prepare(active, shadow))
}

// prepare builds the state of a bundle pair: the detectors, the costly
// part, off the request path.
func (f *Firewall) prepare(active Bundle, shadow *Bundle) *state {
	st := f.newState(active.Policy)
	st.bundle = active.Version
	if shadow != nil {
		st.shadow = f.newState(shadow.Policy)
		st.shadow.bundle = shadow.Version
	}
	return st
}

// install makes st the running state: one atomic store, what an invocation
// can notice of a swap.
func (f *Firewall) install(st *state) {
	if cur := f.cur.Load(); cur != nil {
		st.pol.KeepRateLimits(cur.pol)
	}
	f.cur.Store(st)
}

// maxShadows bounds the shadow evaluations in flight: a shadow bundle is
// evidence, not protection, and must never take more than a share of the
// environment's CPU from the handler. An event that finds every slot taken
// is recorded without a shadow outcome (ShadowDiff says so).
const maxShadows = 2

// shadowRunner judges events with a shadow bundle off the invocation's
// path: on goroutines started as the verdict is returned, so the proxy
// hands the event on without waiting for them. The zero value is ready.
type shadowRunner struct {
	once  sync.Once
	slots chan struct{}
	wg    sync.WaitGroup
}

// start judges payload with st.shadow on a goroutine of its own, completes
// d with the shadow outcome and the differences, and then reports d to
// the observer (so the decision record carries both). It reports false
// when no slot was free: the caller then observes d itself, at once.
//
// The payload is copied: the proxy owns the event's buffer once the
// verdict is returned.
func (r *shadowRunner) start(f *Firewall, st *state, payload []byte, d *Decision) bool {
	r.once.Do(func() { r.slots = make(chan struct{}, maxShadows) })
	select {
	case r.slots <- struct{}{}:
	default:
		d.ShadowBundle = st.shadow.bundle
		d.ShadowDiff = []string{"not evaluated: shadow evaluations busy"}
		return false
	}
	event := slices.Clone(payload)
	r.wg.Add(1)
	go func() {
		defer func() { <-r.slots; r.wg.Done() }()
		// The invocation's context ends with the invocation; the shadow
		// work and the record it completes outlive it.
		ctx := context.Background()
		sd, req, _ := f.judge(ctx, st.shadow, event)
		d.ShadowBundle = st.shadow.bundle
		d.ShadowOutcome = sd.Outcome
		d.ShadowDiff = diffDecisions(d, sd)
		f.observe(ctx, d, req)
	}()
	return true
}

// WaitShadows waits until the shadow evaluations in flight have reported
// their records, or ctx ends; the agent calls it at SHUTDOWN before
// flushing telemetry.
func (f *Firewall) WaitShadows(ctx context.Context) error {
	done := make(chan struct{})
	go func() { f.shadows.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("shadow evaluations still running: %w", ctx.Err())
	}
}

// diffDecisions lists where the shadow decision differs from the active
// one: the outcome, then signals and rules found by only one of them ("+"
// only in the shadow, "-" only in the active bundle). Empty when they
// agree. Entries name classes, locations and rule ids, never input.
func diffDecisions(active, shadow *Decision) []string {
	var diff []string
	if outcomeName(active.Outcome) != outcomeName(shadow.Outcome) {
		diff = append(diff, fmt.Sprintf("decision %s -> %s", outcomeName(active.Outcome), outcomeName(shadow.Outcome)))
	}
	sigs := func(d *Decision) []string {
		out := make([]string, 0, len(d.Signals))
		for _, s := range d.Signals {
			out = append(out, string(s.Class)+"@"+s.Location)
		}
		return out
	}
	diff = appendSetDiff(diff, "signal", sigs(active), sigs(shadow))
	diff = appendSetDiff(diff, "rule", active.RuleIDs, shadow.RuleIDs)
	return diff
}

func outcomeName(o policy.Outcome) string {
	if o == "" {
		return string(policy.Allow)
	}
	return string(o)
}

// appendSetDiff appends "kind +x" for what only b holds and "kind -x" for
// what only a holds, each sorted and once.
func appendSetDiff(diff []string, kind string, a, b []string) []string {
	a, b = slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b)))
	for _, x := range b {
		if _, found := slices.BinarySearch(a, x); !found {
			diff = append(diff, kind+" +"+x)
		}
	}
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			diff = append(diff, kind+" -"+x)
		}
	}
	return diff
}
