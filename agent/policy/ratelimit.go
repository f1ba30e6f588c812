package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"reflect"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy/ratelimit"
)

// rateLimit is one configured rate limit: which requests it counts, by
// which key, and what refusing does. Per-environment limits count in token
// buckets (package ratelimit); global ones in the shared state.
type rateLimit struct {
	spec    document.RateLimitSpec // as written, to recognise the same limit after a reload
	id      string
	key     field
	keyKind string // source-ip, route, header, claim
	routes  []routePattern
	action  Outcome
	status  int
	maxKeys int
	period  time.Duration
	// global is the index among the policy's global limits, or -1 for a
	// per-environment bucket.
	global int

	buckets *ratelimit.Buckets
}

func compileRateLimit(pr *document.Problems, path []string, s *document.RateLimitSpec) *rateLimit {
	rl := &rateLimit{spec: *s, id: s.ID, action: outcomeOf(s.Action, Block), status: s.Status, maxKeys: s.MaxKeys}
	if rl.action == "" {
		pr.Add(document.At(path, "action"), "expected block or log")
	}
	if rl.status == 0 {
		rl.status = 429
	}
	if rl.maxKeys == 0 {
		rl.maxKeys = 10000
	}
	period, err := time.ParseDuration(s.Period)
	if err != nil || period <= 0 {
		pr.Add(document.At(path, "period"), "expected a positive duration such as 1s, 1m or 1h, got %q", s.Period)
		return nil
	}
	if s.Limit <= 0 {
		pr.Add(document.At(path, "limit"), "expected a positive number of requests, got %d", s.Limit)
		return nil
	}
	rl.period, rl.global = period, -1
	switch s.Scope {
	case "", document.ScopeEnvironment:
	case document.ScopeGlobal:
		rl.global = 0 // numbered by the caller
		if s.Burst > 0 && s.Burst < s.Limit {
			pr.Add(document.At(path, "burst"), "a global limit's burst is the most one window admits after a quiet one: expected at least limit (%d), got %d", s.Limit, s.Burst)
		}
	default:
		pr.Add(document.At(path, "scope"), "expected environment or global, got %q", s.Scope)
		return nil
	}
	burst := float64(s.Limit)
	if s.Burst > 0 {
		burst = float64(s.Burst)
	}
	rl.buckets = ratelimit.New(float64(s.Limit)/period.Seconds(), burst, rl.maxKeys)
	switch {
	case s.Key == "source-ip":
		rl.key, rl.keyKind = field{kind: fSourceIP}, "source-ip"
	case s.Key == "route":
		rl.keyKind = "route"
	case strings.HasPrefix(s.Key, "header.") && len(s.Key) > len("header."):
		rl.key, rl.keyKind = field{kind: fHeader, name: strings.ToLower(s.Key[len("header."):])}, "header"
	case strings.HasPrefix(s.Key, "claim.") && len(s.Key) > len("claim."):
		rl.key, rl.keyKind = field{kind: fClaim, name: s.Key[len("claim."):]}, "claim"
	default:
		pr.Add(document.At(path, "key"), "expected source-ip, route, header.<name> or claim.<name>, got %q", s.Key)
		return nil
	}
	rl.routes, _ = compileRoutes(pr, path, s.Routes)
	return rl
}

// allow takes one token from key's bucket.
func (rl *rateLimit) allow(key string, now time.Time) bool { return rl.buckets.Allow(key, now) }

// windowLeft is how long the current window of a global limit has left:
// the earliest a refused client can be admitted again.
func (rl *rateLimit) windowLeft(now time.Time) time.Duration {
	w := int64(rl.period)
	return time.Duration(w - now.UnixNano()%w)
}

// tokenWait is how long a per-environment bucket takes to refill one
// token.
func (rl *rateLimit) tokenWait() time.Duration {
	return time.Duration(float64(rl.period) / float64(rl.spec.Limit))
}

// KeepRateLimits makes p continue the buckets of old's rate limits that
// are unchanged (same id and settings), so reloading a configuration does
// not hand every client a fresh burst; it keeps the abuse counters' counts
// and holds the same way (keepCounters). Call it before p judges any event.
func (p *Policy) KeepRateLimits(old *Policy) {
	if old == nil || old == p {
		return
	}
	p.keepCounters(old)
	for i, rl := range p.limits {
		if rl.global >= 0 {
			continue // counted by the shared state, not in buckets
		}
		for _, o := range old.limits {
			if o.id == rl.id && reflect.DeepEqual(o.spec, rl.spec) {
				p.limits[i] = o
				break
			}
		}
	}
}

// checkRateLimits takes a token from every applicable limit.
func (p *Policy) checkRateLimits(ev *Evaluation) {
	req := ev.ctx.req
	for _, rl := range p.limits {
		if len(rl.routes) > 0 {
			hit := false
			for i := range rl.routes {
				if rl.routes[i].matchRequest(req.Method, req.Path, req.Route) {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
		}
		p.applyRateLimit(ev, rl)
		if ev.done {
			return
		}
	}
}

// applyRateLimit counts the request against rl (the shared state's window
// for a global limit, else the environment's bucket) and records a refusal.
func (p *Policy) applyRateLimit(ev *Evaluation, rl *rateLimit) {
	req := ev.ctx.req
	var key string
	if rl.keyKind == "route" {
		key = req.Method + " " + req.Route
		if req.Route == "" {
			key = req.Method + " " + req.Path
		}
	} else {
		vals := rl.key.values(&ev.ctx)
		if len(vals) == 0 {
			return // no key, no limit: the request has nothing to count against
		}
		key = vals[0]
	}
	if rl.global >= 0 && p.shared != nil {
		ok, count := p.shared.AllowGlobal(rl.global, key)
		if ok {
			return
		}
		retry := rl.windowLeft(ev.now)
		ev.addReason(Reason{Kind: ReasonRateLimit, ID: rl.id, Action: rl.action, Record: -1, Message: "global rate limit exceeded", FleetCount: count,
			Window: rl.period.String(), RetryAfter: retryAfterSeconds(retry)},
			&blockChoice{status: rl.status, retryAfter: retry})
		return
	}
	if rl.allow(key, ev.now) {
		return
	}
	retry := rl.tokenWait()
	ev.addReason(Reason{Kind: ReasonRateLimit, ID: rl.id, Action: rl.action, Record: -1, Message: "rate limit exceeded", RetryAfter: retryAfterSeconds(retry)},
		&blockChoice{status: rl.status, retryAfter: retry})
}
