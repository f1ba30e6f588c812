package policy

import (
	"container/list"
	"reflect"
	"strings"
	"sync"
	"time"
)

// rateLimit is a set of token buckets, one per key, held in this execution
// environment only. Lambda runs many environments side by side and each has
// its own buckets, so a limit of N per minute is N per minute per
// environment: a coarse brake against one client hammering one warm
// environment, not a global quota (use API Gateway throttling or AWS WAF
// for that).
type rateLimit struct {
	spec    RateLimitSpec // as written, to recognise the same limit after a reload
	id      string
	key     field
	keyKind string  // source-ip, route, header, claim
	rate    float64 // tokens per second
	burst   float64
	routes  []routePattern
	action  Outcome
	status  int
	maxKeys int
	period  time.Duration
	// global is the index among the policy's global limits, or -1 for a
	// per-environment bucket.
	global int

	mu      sync.Mutex
	buckets map[string]*list.Element // of *bucket
	lru     list.List                // front = most recently used
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

func compileRateLimit(pr *problems, path []string, s *RateLimitSpec) *rateLimit {
	rl := &rateLimit{spec: *s, id: s.ID, action: outcomeOf(s.Action, Block), status: s.Status, maxKeys: s.MaxKeys, buckets: map[string]*list.Element{}}
	if rl.action == "" {
		pr.add(at(path, "action"), "expected block or log")
	}
	if rl.status == 0 {
		rl.status = 429
	}
	if rl.maxKeys == 0 {
		rl.maxKeys = 10000
	}
	period, err := time.ParseDuration(s.Period)
	if err != nil || period <= 0 {
		pr.add(at(path, "period"), "expected a positive duration such as 1s, 1m or 1h, got %q", s.Period)
		return nil
	}
	if s.Limit <= 0 {
		pr.add(at(path, "limit"), "expected a positive number of requests, got %d", s.Limit)
		return nil
	}
	rl.period, rl.global = period, -1
	switch s.Scope {
	case "", ScopeEnvironment:
	case ScopeGlobal:
		rl.global = 0 // numbered by the caller
		if s.Burst > 0 {
			pr.add(at(path, "burst"), "a global limit counts fixed windows: burst does not apply")
		}
	default:
		pr.add(at(path, "scope"), "expected environment or global, got %q", s.Scope)
		return nil
	}
	rl.rate = float64(s.Limit) / period.Seconds()
	rl.burst = float64(s.Limit)
	if s.Burst > 0 {
		rl.burst = float64(s.Burst)
	}
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
		pr.add(at(path, "key"), "expected source-ip, route, header.<name> or claim.<name>, got %q", s.Key)
		return nil
	}
	for i, r := range s.Routes {
		rp, err := compileRoute(r)
		if err != nil {
			pr.add(at(path, "routes", i), "%v", err)
			continue
		}
		rl.routes = append(rl.routes, rp)
	}
	return rl
}

// allow takes one token from key's bucket.
func (rl *rateLimit) allow(key string, now time.Time) bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if el, ok := rl.buckets[key]; ok {
		rl.lru.MoveToFront(el)
		b := el.Value.(*bucket)
		if el := now.Sub(b.last).Seconds(); el > 0 {
			b.tokens += el * rl.rate
			if b.tokens > rl.burst {
				b.tokens = rl.burst
			}
		}
		b.last = now
		if b.tokens < 1 {
			return false
		}
		b.tokens--
		return true
	}
	if rl.lru.Len() >= rl.maxKeys {
		// Evict the least recently seen key: it starts afresh if it comes
		// back, which errs on the side of letting traffic through.
		old := rl.lru.Back()
		rl.lru.Remove(old)
		delete(rl.buckets, old.Value.(*bucket).key)
	}
	rl.buckets[key] = rl.lru.PushFront(&bucket{key: key, tokens: rl.burst - 1, last: now})
	return true
}

// KeepRateLimits makes p continue the buckets of old's rate limits that
// are unchanged (same id and settings), so reloading a configuration does
// not hand every client a fresh burst. Call it before p judges any event.
func (p *Policy) KeepRateLimits(old *Policy) {
	if old == nil || old == p {
		return
	}
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
		var key string
		if rl.keyKind == "route" {
			key = req.Method + " " + req.Route
			if req.Route == "" {
				key = req.Method + " " + req.Path
			}
		} else {
			vals := rl.key.values(&ev.ctx)
			if len(vals) == 0 {
				continue // no key, no limit: the request has nothing to count against
			}
			key = vals[0]
		}
		if rl.global >= 0 && p.shared != nil {
			ok, count := p.shared.AllowGlobal(rl.global, key)
			if ok {
				continue
			}
			ev.addReason(Reason{Kind: ReasonRateLimit, ID: rl.id, Action: rl.action, Record: -1, Message: "global rate limit exceeded", FleetCount: count},
				&blockChoice{status: rl.status})
			if ev.done {
				return
			}
			continue
		}
		if rl.allow(key, ev.now) {
			continue
		}
		ev.addReason(Reason{Kind: ReasonRateLimit, ID: rl.id, Action: rl.action, Record: -1, Message: "rate limit exceeded"},
			&blockChoice{status: rl.status})
		if ev.done {
			return
		}
	}
}
