package policy

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// ReasonErrorRatio is the reason kind of a route whose share of error
// answers crossed an error ratio: the crossing's record, and the records
// (or refusals) of the sources that contributed the errors.
const ReasonErrorRatio ReasonKind = "error-ratio"

// Pseudonym prefixes of an error ratio's keys in shared state: the
// route's requests and errors, and a source's errors on a route.
const (
	prefixRatioRequests = "rreq_"
	prefixRatioErrors   = "rerr_"
	prefixRatioSources  = "rsrc_"
)

// Defaults of an error ratio.
const (
	defaultRatioStatus  = "5xx"
	defaultRatioSources = 3
	// maxRatioCrossings bounds the crossings an environment remembers
	// having recorded; it starts over when full (a crossing may then be
	// recorded twice, never not at all).
	maxRatioCrossings = 10000
)

// errorRatio is a compiled ErrorRatioSpec. Three counters of the counter
// store count it: requests per route (never held), errors per route (a
// ratio of requests: held when the share and the minimum are reached) and
// errors per (route, source) (held at sources: the contributors).
type errorRatio struct {
	id          string
	routes      []routePattern
	classes     [6]bool // by hundreds: classes[5] is 5xx
	codes       []int
	minRequests int64
	minErrors   int64 // the fewest errors that can cross: ⌈ratio·minRequests⌉
	sources     int64
	within      time.Duration
	action      string
	requests    int // counter indexes
	errors      int
	bySource    int

	// recorded remembers the crossings this environment has recorded
	// (route → the hold's end), so that each is recorded once.
	mu       sync.Mutex
	recorded map[string]time.Time
}

func (p *Policy) compileErrorRatios(pr *document.Problems, specs []document.ErrorRatioSpec) {
	ids := map[string]int{}
	for i := range specs {
		s := &specs[i]
		path := document.At(nil, "errorRatios", i)
		if s.ID == "" {
			pr.Add(document.At(path, "id"), "expected an id")
			continue
		}
		if repeatedID(pr, path, ids, "error ratio", "errorRatios", s.ID, i) {
			continue
		}
		er := &errorRatio{id: s.ID, minRequests: int64(s.MinRequests), sources: int64(s.Sources), action: s.Action, recorded: map[string]time.Time{}}
		ok := true
		status := s.Status
		if len(status) == 0 {
			status = []string{defaultRatioStatus}
		}
		for j, st := range status {
			if !er.addStatus(st) {
				pr.Add(document.At(path, "status", j), "expected 4xx, 5xx (any status class 1xx-5xx) or a status 100-599, got %q", st)
				ok = false
			}
		}
		if !(s.Ratio > 0 && s.Ratio <= 1) {
			pr.Add(document.At(path, "ratio"), "expected a share of error answers above 0 and at most 1 (0.5 is half), got %v", s.Ratio)
			ok = false
		}
		if s.MinRequests <= 0 {
			pr.Add(document.At(path, "minRequests"), "expected a positive number of requests, got %d", s.MinRequests)
			ok = false
		}
		if s.Sources < 0 {
			pr.Add(document.At(path, "sources"), "expected a positive number of error answers per source, got %d", s.Sources)
			ok = false
		} else if s.Sources == 0 {
			er.sources = defaultRatioSources
		}
		switch er.action {
		case "":
			er.action = AbuseLog
		case AbuseLog, AbuseBlock:
		case AbuseFlag:
			pr.Add(document.At(path, "action"), "flag holds a source everywhere; an error ratio holds its contributors on the route only: expected log or block")
			ok = false
		default:
			pr.Add(document.At(path, "action"), "expected log or block, got %q", s.Action)
			ok = false
		}
		within, hold, windowOK := compileWindow(pr, path, s.Within, s.For)
		er.within = within
		routes, routesOK := compileRoutes(pr, path, s.Routes)
		er.routes = routes
		if !ok || !windowOK || !routesOK {
			continue
		}
		er.minErrors = max(int64(math.Ceil(s.Ratio*float64(er.minRequests))), 1)
		er.requests = p.addCounter(Counter{ID: "ratios." + s.ID + ".requests", Threshold: math.MaxInt64, Window: er.within, HoldFor: hold, Prefix: prefixRatioRequests})
		er.errors = p.addCounter(Counter{ID: "ratios." + s.ID, Threshold: er.minErrors, Window: er.within, HoldFor: hold, Prefix: prefixRatioErrors,
			Of: RatioOf{Counter: er.requests, Share: s.Ratio, Min: er.minRequests}})
		er.bySource = p.addCounter(Counter{ID: "ratios." + s.ID + ".sources", Threshold: er.sources, Window: er.within, HoldFor: hold, Prefix: prefixRatioSources})
		p.ratios = append(p.ratios, er)
	}
}

// addStatus adds one status entry ("5xx", "404"); false when malformed.
func (er *errorRatio) addStatus(st string) bool {
	if len(st) != 3 || st[0] < '1' || st[0] > '5' {
		return false
	}
	if st[1:] == "xx" {
		er.classes[st[0]-'0'] = true
		return true
	}
	n, err := strconv.Atoi(st)
	if err != nil || n < 100 || n > 599 {
		return false
	}
	er.codes = append(er.codes, n)
	return true
}

// counts reports whether a response status is an error answer to er.
func (er *errorRatio) counts(status int) bool {
	if c := status / 100; c >= 1 && c <= 5 && er.classes[c] {
		return true
	}
	return slices.Contains(er.codes, status)
}

// route is the route key a request counts under: the pattern that matched
// when er names routes, else the route as the front door names it
// (method and API Gateway's resource or route key), else method and path;
// false when er does not apply.
func (er *errorRatio) route(ev *Evaluation) (string, bool) {
	req := ev.ctx.req
	if len(er.routes) > 0 {
		for i := range er.routes {
			if er.routes[i].matchRequest(req.Method, req.Path, req.Route) {
				return er.routes[i].raw, true
			}
		}
		return "", false
	}
	switch {
	case req.Route == "" || req.Route == "$default":
		return req.Method + " " + req.Path, true
	case strings.Contains(req.Route, " "):
		return req.Route, true
	}
	return req.Method + " " + req.Route, true
}

// firstSight reports whether this environment has not yet recorded the
// crossing that holds route until until, and remembers it. A hold that is
// extended (the errors go on, and each sync that reads them crossed sets
// the hold again) is the same crossing.
func (er *errorRatio) firstSight(route string, now, until time.Time) bool {
	er.mu.Lock()
	defer er.mu.Unlock()
	if now.Before(er.recorded[route]) {
		return false
	}
	if len(er.recorded) >= maxRatioCrossings {
		clear(er.recorded)
	}
	er.recorded[route] = until
	return true
}

// checkErrorRatios records the crossings of the error ratios a request's
// route is held by, records or refuses the sources that contributed the
// errors, and arranges for the response to be counted.
func (p *Policy) checkErrorRatios(ev *Evaluation) {
	ac := p.abuse()
	src := ev.ctx.req.SourceIP
	for _, er := range p.ratios {
		route, ok := er.route(ev)
		if !ok {
			continue
		}
		if until, count, held := ac.Held(er.errors, route, ev.now); held {
			if er.firstSight(route, ev.now, until) {
				ev.addReason(Reason{Kind: ReasonErrorRatio, ID: er.id, Action: Log, Record: -1,
					Message: "route's share of error answers crossed the ratio: recorded once per crossing",
					Count:   count, Threshold: er.minErrors, Window: er.within.String(), RetryAfter: retryAfterSeconds(until.Sub(ev.now))}, nil)
			}
			if src != "" {
				if sUntil, sCount, sHeld := ac.Held(er.bySource, route+"\x00"+src, ev.now); sHeld {
					act := Log
					if er.action == AbuseBlock {
						act = Block
					}
					retry := min(until.Sub(ev.now), sUntil.Sub(ev.now))
					ev.addReason(Reason{Kind: ReasonErrorRatio, ID: er.id, Action: act, Record: -1,
						Message: "source contributed the errors of a route whose error ratio crossed",
						Count:   sCount, Threshold: er.sources, Window: er.within.String(), RetryAfter: retryAfterSeconds(retry)},
						&blockChoice{status: 429, retryAfter: retry})
					if ev.done {
						return
					}
				}
			}
		}
		w := ev.watch()
		w.ratios = append(w.ratios, watchedRatio{er: er, route: route, src: src})
	}
}

// watchedRatio is an error ratio a response counts for.
type watchedRatio struct {
	er         *errorRatio
	route, src string
}

// observe counts a response to a route of an error ratio: always as a
// request, and when it is an error as the route's and the source's.
func (r *watchedRatio) observe(ac AbuseCounters, status int, now time.Time) {
	ac.Count(r.er.requests, r.route, now)
	if !r.er.counts(status) {
		return
	}
	ac.Count(r.er.errors, r.route, now)
	if r.src != "" {
		ac.Count(r.er.bySource, r.route+"\x00"+r.src, now)
	}
}
