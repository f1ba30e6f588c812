package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// ClassLimit is the class of the signals the firewall raises for a bound
// reached while decoding. They are decided by onLimit alone: exclusions,
// class and rule modes do not apply to them, and no cap on the decision's
// lists drops them.
const ClassLimit detect.Class = "limit"

// OnLimit returns the configured onLimit setting.
func (p *Policy) OnLimit() document.OnLimit { return p.onLimit }

// limitAction is the outcome a limit signal asks for.
func (p *Policy) limitAction() Outcome {
	switch p.onLimit {
	case document.OnLimitLog:
		return Log
	case document.OnLimitAllow:
		return Allow
	}
	return Block
}

func isLimit(s *detect.Signal) bool { return s.Class == ClassLimit }

// keepLimitsFirst reorders s so that limit signals come first, keeping
// the order within each group, so that capping the list never drops one.
func keepLimitsFirst[T any](s []T, limit func(*T) bool) {
	n := 0
	for i := range s {
		if limit(&s[i]) {
			n++
		}
	}
	if n == 0 || n == len(s) {
		return
	}
	out := make([]T, 0, len(s))
	for i := range s {
		if limit(&s[i]) {
			out = append(out, s[i])
		}
	}
	for i := range s {
		if !limit(&s[i]) {
			out = append(out, s[i])
		}
	}
	copy(s, out)
}
