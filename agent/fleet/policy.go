package fleet

import "github.com/lambdawaf/lambdawaf/agent/policy"

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

// OptionsFor fills o's limits and thresholds from a policy; the policy
// blocks flagged sources, so every sync reads the group's flags.
func OptionsFor(p *policy.Policy, o Options) Options {
	o.Limits, o.Thresholds = nil, nil
	for _, l := range p.GlobalLimits() {
		o.Limits = append(o.Limits, Limit{ID: l.ID, Limit: l.Limit, Window: l.Window})
	}
	for _, t := range p.Thresholds() {
		o.Thresholds = append(o.Thresholds, Threshold{ID: t.ID, Blocked: t.Blocked, Within: t.Within, FlagFor: t.FlagFor})
	}
	o.ReadFlags = true
	return o
}
