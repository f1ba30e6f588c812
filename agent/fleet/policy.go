package fleet

import (
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// ForPolicy adapts a State to the policy's SharedState: the State's limits
// and thresholds must be the policy's, in order (see OptionsFor).
type ForPolicy struct{ S *State }

var _ policy.SharedState = ForPolicy{}

// AllowGlobal implements policy.SharedState.
func (f ForPolicy) AllowGlobal(limit int, key string) (bool, int64) {
	d := f.S.Allow(limit, key)
	return d.Allowed, d.FleetCount
}

// Flagged implements policy.SharedState.
func (f ForPolicy) Flagged(prefix, value string) bool {
	return f.S.Flagged(Source{Prefix: prefix, Value: value})
}

// Blocked implements policy.SharedState.
func (f ForPolicy) Blocked(threshold int, prefix, value string) {
	f.S.Blocked(threshold, Source{Prefix: prefix, Value: value})
}

var _ policy.AbuseCounters = ForPolicy{}

// Count implements policy.AbuseCounters. The State keeps its own clock.
func (f ForPolicy) Count(counter int, key string, _ time.Time) {
	f.S.Count(counter, Source{Prefix: f.S.o.Counters[counter].Prefix, Value: key})
}

// Held implements policy.AbuseCounters: a key is held while its flag,
// as last read from the group (or set by this environment's own sync),
// is in force.
func (f ForPolicy) Held(counter int, key string, _ time.Time) (time.Time, int64, bool) {
	src := Source{Prefix: f.S.o.Counters[counter].Prefix, Value: key}
	until, held := f.S.FlaggedUntil(src)
	if !held {
		return time.Time{}, 0, false
	}
	return until, f.S.CounterTotal(counter, src), true
}

var _ policy.KnownGoodLogins = ForPolicy{}

// MarkKnownGood implements policy.KnownGoodLogins.
func (f ForPolicy) MarkKnownGood(pair string, holders []policy.HeldBy, until time.Time) {
	srcs := make([]Source, 0, len(holders))
	for _, h := range holders {
		srcs = append(srcs, Source{Prefix: f.S.o.Counters[h.Counter].Prefix, Value: h.Key})
	}
	f.S.MarkKnownGood(pair, srcs, until)
}

// KnownGood implements policy.KnownGoodLogins.
func (f ForPolicy) KnownGood(pair string, _ time.Time) bool { return f.S.KnownGood(pair) }

// OptionsFor fills o's limits and thresholds from a policy; the policy
// blocks flagged sources, so every sync reads the group's flags.
func OptionsFor(p *policy.Policy, o Options) Options {
	o.Limits, o.Thresholds, o.Counters = nil, nil, nil
	for _, l := range p.GlobalLimits() {
		o.Limits = append(o.Limits, Limit{ID: l.ID, Limit: l.Limit, Window: l.Window, Burst: l.Burst})
	}
	for _, t := range p.Thresholds() {
		o.Thresholds = append(o.Thresholds, Threshold{ID: t.ID, Blocked: t.Blocked, Within: t.Within, FlagFor: t.FlagFor})
	}
	for _, c := range p.Counters() {
		o.Counters = append(o.Counters, Threshold{ID: c.ID, Blocked: c.Threshold, Within: c.Window, FlagFor: c.HoldFor, Prefix: c.Prefix, Ratio: c.Of})
	}
	o.ReadFlags = true
	return o
}
