package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// ReasonResponses is the reason kind of a key held by a response counter
// (scanning, enumeration: many 404/401/403 answers to one source).
const ReasonResponses ReasonKind = "responses"

// responseCounter is a compiled ResponseCounterSpec.
type responseCounter struct {
	id      string
	status  []int
	key     field
	routes  []routePattern
	action  string
	limit   int64
	within  time.Duration
	counter int
}

func (p *Policy) compileResponses(pr *document.Problems, specs []document.ResponseCounterSpec) {
	ids := map[string]int{}
	for i := range specs {
		s := &specs[i]
		path := document.At(nil, "responses", i)
		if s.ID == "" {
			pr.Add(document.At(path, "id"), "expected an id")
			continue
		}
		if repeatedID(pr, path, ids, "response counter", "responses", s.ID, i) {
			continue
		}
		rc := &responseCounter{id: s.ID, status: s.Status, limit: int64(s.Count), action: s.Action}
		if len(rc.status) == 0 {
			rc.status = []int{401, 403, 404}
		}
		ok := true
		for j, st := range rc.status {
			if st < 100 || st > 599 {
				pr.Add(document.At(path, "status", j), "expected an HTTP status 100-599, got %d", st)
				ok = false
			}
		}
		byIP := s.Key == "" || s.Key == "source-ip"
		switch {
		case byIP:
			rc.key = field{kind: fSourceIP}
		case strings.HasPrefix(s.Key, "header.") && len(s.Key) > len("header."):
			rc.key = field{kind: fHeader, name: strings.ToLower(s.Key[len("header."):])}
		case strings.HasPrefix(s.Key, "claim.") && len(s.Key) > len("claim."):
			rc.key = field{kind: fClaim, name: s.Key[len("claim."):]}
		default:
			pr.Add(document.At(path, "key"), "expected source-ip, header.<name> or claim.<name>, got %q", s.Key)
			ok = false
		}
		if rc.action == "" {
			rc.action = AbuseBlock
			if byIP {
				rc.action = AbuseFlag
			}
		}
		switch rc.action {
		case AbuseLog, AbuseBlock:
		case AbuseFlag:
			if !byIP {
				pr.Add(document.At(path, "action"), "flag applies to key source-ip; expected log or block")
				ok = false
			}
		default:
			pr.Add(document.At(path, "action"), "expected log, block or flag, got %q", s.Action)
			ok = false
		}
		if s.Count <= 0 {
			pr.Add(document.At(path, "count"), "expected a positive number of responses, got %d", s.Count)
			ok = false
		}
		within, hold, windowOK := compileWindow(pr, path, s.Within, s.For)
		rc.within = within
		routes, routesOK := compileRoutes(pr, path, s.Routes)
		rc.routes = routes
		if !ok || !windowOK || !routesOK {
			continue
		}
		prefix := prefixResponses
		if rc.action == AbuseFlag {
			prefix = sourcePrefixIP
		}
		rc.counter = p.addCounter(Counter{ID: "responses." + s.ID, Threshold: rc.limit, Window: rc.within, HoldFor: hold, Prefix: prefix})
		p.responses = append(p.responses, rc)
	}
}

func (rc *responseCounter) counts(status int) bool { return slices.Contains(rc.status, status) }

func (rc *responseCounter) applies(ev *Evaluation) bool {
	if len(rc.routes) == 0 {
		return true
	}
	req := ev.ctx.req
	for i := range rc.routes {
		if rc.routes[i].matchRequest(req.Method, req.Path, req.Route) {
			return true
		}
	}
	return false
}

// checkResponses applies the holds of response counters to an HTTP
// request and arranges for its response to be counted.
func (p *Policy) checkResponses(ev *Evaluation) {
	ac := p.abuse()
	for _, rc := range p.responses {
		if !rc.applies(ev) {
			continue
		}
		vals := rc.key.values(&ev.ctx)
		if len(vals) == 0 {
			continue
		}
		key := vals[0]
		if rc.action != AbuseFlag { // a flag is checked with every flag
			if until, count, held := ac.Held(rc.counter, key, ev.now); held {
				act := Log
				if rc.action == AbuseBlock {
					act = Block
				}
				retry := until.Sub(ev.now)
				ev.addReason(Reason{Kind: ReasonResponses, ID: rc.id, Action: act, Record: -1, Message: "too many error responses",
					Count: count, Threshold: rc.limit, Window: rc.within.String(), RetryAfter: retryAfterSeconds(retry)},
					&blockChoice{status: 429, retryAfter: retry})
				if ev.done {
					return
				}
			}
		}
		w := ev.watch()
		w.counted = append(w.counted, watchedCounter{rc: rc, key: key})
	}
}

// checkAbuseFlags blocks a source that a counter with action flag holds,
// when the shared state does not already (without shared state the
// counters, and so the flags, are this environment's).
func (p *Policy) checkAbuseFlags(ev *Evaluation) {
	src := ev.ctx.req.SourceIP
	if src == "" {
		return
	}
	ac := p.abuse()
	for i := range p.counters {
		c := &p.counters[i]
		if c.Prefix != sourcePrefixIP {
			continue
		}
		if until, count, held := ac.Held(i, src, ev.now); held {
			retry := until.Sub(ev.now)
			ev.addReason(Reason{Kind: ReasonFlagged, ID: c.ID, Action: Block, Record: -1, Message: "source flagged: " + c.ID + " threshold crossed",
				Count: count, Threshold: c.Threshold, Window: c.Window.String(), RetryAfter: retryAfterSeconds(retry)},
				&blockChoice{status: p.flaggedStatus(), retryAfter: retry})
			return
		}
	}
}
