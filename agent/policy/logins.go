package policy

import (
	"bytes"
	"hash/maphash"
	"mime"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// ReasonLogin is the reason kind of an account-takeover decision: a
// source or user name held by one of the logins section's detectors.
const ReasonLogin ReasonKind = "login"

// Actions of the login detectors and response counters once a key is
// held.
const (
	AbuseLog   = "log"
	AbuseBlock = "block"
	AbuseFlag  = "flag"
)

// Login detector ids, as records name them (login:stuffing:block).
const (
	LoginStuffing   = "stuffing"
	LoginSpraying   = "spraying"
	LoginBruteForce = "brute-force"
)

// Pseudonym prefixes of the keys login detectors and response counters
// hold in shared state (a flag action uses the source prefix instead).
const (
	prefixStuffing  = "stuf_"
	prefixSpraying  = "spray_"
	prefixBrute     = "brute_"
	prefixResponses = "resp_"
)

// Defaults of the logins section.
const (
	defaultHoldFor = 15 * time.Minute
	// knownGoodFor is how long a successful login exempts its (source,
	// user name) pair from blocks of the login detectors.
	knownGoodFor = 24 * time.Hour
	// maxLoginPairs bounds the pair memories (distinct-count and known
	// good); each starts over when full: distinct counts then count a
	// pair again (over-count, never under), known-good pairs are
	// forgotten.
	maxLoginPairs = 100000
)

// loginPolicy is the compiled logins section.
type loginPolicy struct {
	routes []loginRoute
	status int
	// detectors, by id: nil when not configured.
	stuffing, spraying, brute *loginDetector

	mem *loginMemory
}

// loginMemory is what a logins section remembers of (source, user name)
// pairs in this environment, kept across reloads of the same section.
type loginMemory struct {
	seed maphash.Seed
	mu   sync.Mutex
	// pairs remembers the pairs that failed in each detector's current
	// window, so that distinct counts count a pair once per environment
	// and window.
	pairs map[uint64][2]int64 // pair → window+1 last counted for stuffing, spraying
	// knownGood holds the pairs that logged in successfully, until when.
	knownGood map[uint64]time.Time
}

type loginDetector struct {
	id      string
	counter int // index in Policy.Counters
	action  string
	limit   int64
	within  time.Duration
}

type loginRoute struct {
	route   routePattern
	user    usernameField
	success outcomeMatcher
	failure outcomeMatcher
}

// usernameField is where a login route's user name is.
type usernameField struct {
	kind string   // body, header, query
	path []string // body: members; header/query: one lower-cased name
}

func (p *Policy) compileLogins(pr *document.Problems, s *document.LoginsSpec) {
	if s == nil {
		return
	}
	lp := &loginPolicy{status: s.Status, mem: &loginMemory{seed: maphash.MakeSeed(), pairs: map[uint64][2]int64{}, knownGood: map[uint64]time.Time{}}}
	if lp.status == 0 {
		lp.status = 429
	} else if lp.status < 400 || lp.status > 599 {
		pr.Add(document.At(nil, "logins", "status"), "expected an HTTP error status 400-599, got %d", s.Status)
	}
	if len(s.Routes) == 0 {
		pr.Add(document.At(nil, "logins", "routes"), "expected at least one login route")
	}
	for i := range s.Routes {
		path := document.At(nil, "logins", "routes", i)
		r := &s.Routes[i]
		rp, err := compileRoute(r.Route)
		if err != nil {
			pr.Add(document.At(path, "route"), "%v", err)
		}
		lr := loginRoute{route: rp}
		user, ok := compileUsername(r.Username)
		if !ok {
			pr.Add(document.At(path, "username"), "expected body.<field> (JSON member, dotted, or form field), header.<name> or query.<name>, got %q", r.Username)
		}
		if err != nil || !ok {
			continue
		}
		lr.user = user
		lr.success = compileOutcome(pr, document.At(path, "success"), r.Success, []int{200, 201, 202, 204})
		lr.failure = compileOutcome(pr, document.At(path, "failure"), r.Failure, []int{401, 403})
		lp.routes = append(lp.routes, lr)
	}
	if s.Stuffing == nil && s.Spraying == nil && s.BruteForce == nil {
		pr.Add(document.At(nil, "logins"), "expected at least one of stuffing, spraying, bruteForce")
	}
	lp.stuffing = p.compileLoginDetector(pr, "stuffing", LoginStuffing, prefixStuffing, s.Stuffing, "users", func(t *document.LoginThresholdSpec) int { return t.Users })
	lp.spraying = p.compileLoginDetector(pr, "spraying", LoginSpraying, prefixSpraying, s.Spraying, "sources", func(t *document.LoginThresholdSpec) int { return t.Sources })
	lp.brute = p.compileLoginDetector(pr, "bruteForce", LoginBruteForce, prefixBrute, s.BruteForce, "failures", func(t *document.LoginThresholdSpec) int { return t.Failures })
	p.logins = lp
}

func (p *Policy) compileLoginDetector(pr *document.Problems, name, id, prefix string, t *document.LoginThresholdSpec, countName string, count func(*document.LoginThresholdSpec) int) *loginDetector {
	if t == nil {
		return nil
	}
	path := document.At(nil, "logins", name)
	d := &loginDetector{id: id, action: t.Action, limit: int64(count(t))}
	if d.action == "" {
		d.action = AbuseBlock
	}
	ok := true
	switch d.action {
	case AbuseLog, AbuseBlock:
	case AbuseFlag:
		if id == LoginSpraying {
			pr.Add(document.At(path, "action"), "flag applies to sources: spraying holds a user name; expected log or block")
			ok = false
		}
	default:
		pr.Add(document.At(path, "action"), "expected log, block or flag, got %q", t.Action)
		ok = false
	}
	misplaced := false
	for _, other := range []struct {
		name string
		n    int
	}{{"users", t.Users}, {"sources", t.Sources}, {"failures", t.Failures}} {
		if other.name != countName && other.n != 0 {
			pr.Add(document.At(path, other.name), "%s does not apply to %s; it counts %s (%s: N)", other.name, name, countName, countName)
			ok, misplaced = false, true
		}
	}
	if d.limit <= 0 && !misplaced {
		pr.Add(document.At(path, countName), "expected a positive number of %s, got %d", countName, d.limit)
		ok = false
	}
	within, hold, windowOK := compileWindow(pr, path, t.Within, t.For)
	d.within = within
	if !ok || !windowOK {
		return nil
	}
	if d.action == AbuseFlag {
		prefix = sourcePrefixIP // crossing flags the source across the group
	}
	d.counter = p.addCounter(Counter{ID: "logins." + id, Threshold: d.limit, Window: d.within, HoldFor: hold, Prefix: prefix})
	return d
}

func compileUsername(s string) (usernameField, bool) {
	kind, rest, ok := strings.Cut(s, ".")
	if !ok || rest == "" {
		return usernameField{}, false
	}
	switch kind {
	case "body":
		parts := strings.Split(rest, ".")
		for _, p := range parts {
			if p == "" {
				return usernameField{}, false
			}
		}
		return usernameField{kind: kind, path: parts}, true
	case "header":
		return usernameField{kind: kind, path: []string{strings.ToLower(rest)}}, true
	case "query":
		return usernameField{kind: kind, path: []string{rest}}, true
	}
	return usernameField{}, false
}

// outcomeMatcher is a compiled OutcomeSpec.
type outcomeMatcher struct {
	status []int
	json   []string // member path; nil when not tested
	jsonEq *string
	header string // lower-cased; "" when not tested
	hdrEq  *string
}

func compileOutcome(pr *document.Problems, path []string, s *document.OutcomeSpec, def []int) outcomeMatcher {
	if s == nil {
		return outcomeMatcher{status: def}
	}
	m := outcomeMatcher{status: s.Status}
	for i, st := range s.Status {
		if st < 100 || st > 599 {
			pr.Add(document.At(path, "status", i), "expected an HTTP status 100-599, got %d", st)
		}
	}
	if j := s.JSON; j != nil {
		if j.Field == "" || j.Name != "" {
			pr.Add(document.At(path, "json"), "expected field: <member, dotted> (name is for header)")
		} else {
			m.json, m.jsonEq = strings.Split(j.Field, "."), j.Equals
		}
	}
	if h := s.Header; h != nil {
		if h.Name == "" || h.Field != "" {
			pr.Add(document.At(path, "header"), "expected name: <header name> (field is for json)")
		} else {
			m.header, m.hdrEq = strings.ToLower(h.Name), h.Equals
		}
	}
	if len(m.status) == 0 && m.json == nil && m.header == "" {
		pr.Add(path, "expected at least one of status, json, header")
	}
	return m
}

// wantsBody reports whether matching needs the response body.
func (m *outcomeMatcher) wantsBody() bool { return m.json != nil }

func (m *outcomeMatcher) match(r *Response) bool {
	if len(m.status) > 0 {
		hit := false
		for _, s := range m.status {
			if s == r.Status {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	if m.header != "" && !valueHolds(r.Headers[m.header], r.Headers[m.header] != "", m.hdrEq) {
		return false
	}
	if m.json != nil {
		v, ok := jsonMember(r.Body, m.json)
		if !valueHolds(v, ok, m.jsonEq) {
			return false
		}
	}
	return true
}

// valueHolds tests a value found (ok) against equals; without equals it
// must be present and not false, null or empty.
func valueHolds(v string, ok bool, equals *string) bool {
	if !ok {
		return false
	}
	if equals != nil {
		return strings.EqualFold(v, *equals)
	}
	return v != "" && v != "false" && v != "null" && v != "0"
}

// value reads a login request's user name, normalised (trimmed, lower
// case) so that "Alice" and "alice " count as one account; "" when absent.
func (u *usernameField) value(req *event.Request) string {
	var v string
	switch u.kind {
	case "header":
		if vs := req.Headers[u.path[0]]; len(vs) > 0 {
			v = vs[0]
		}
	case "query":
		if vs := req.Query[u.path[0]]; len(vs) > 0 {
			v = vs[0]
		}
	case "body":
		body := bytes.TrimSpace(req.Body)
		mt, _, _ := mime.ParseMediaType(req.ContentType)
		switch {
		case len(body) > 0 && body[0] == '{':
			v, _ = jsonMember(body, u.path)
		case mt == "application/x-www-form-urlencoded" || mt == "":
			// A malformed pair elsewhere must not hide the field:
			// lenient parsers (Python's parse_qs) read the rest.
			q, _ := url.ParseQuery(string(body))
			v = q.Get(strings.Join(u.path, "."))
		}
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// KnownGoodLogins share known-good login pairs across the protection
// group: package fleet implements them beside the AbuseCounters, so that an
// environment that never saw a user log in from a source still spares the
// pair once another has. Both methods answer from memory. pair is the
// source and the normalised user name joined by a NUL byte, a raw value
// implementations must never write anywhere but as a keyed pseudonym.
type KnownGoodLogins interface {
	// MarkKnownGood remembers a successful login of pair until until;
	// holders are the detectors' keys that could hold it.
	MarkKnownGood(pair string, holders []HeldBy, until time.Time)
	// KnownGood reports whether pair logged in, here or elsewhere in the
	// group, and is still known good.
	KnownGood(pair string, now time.Time) bool
}

// HeldBy names a key one abuse counter may hold: Counter indexes
// Policy.Counters().
type HeldBy struct {
	Counter int
	Key     string
}

// loginAttempt is a login request being answered: what its response is
// counted against.
type loginAttempt struct {
	lp    *loginPolicy
	route *loginRoute
	src   string
	user  string
	// good caches knownGood's answer: 0 not asked, 1 no, 2 yes.
	good uint8
}

// pair is the attempt's (source, user name) as KnownGoodLogins take it;
// "" when either is missing.
func (a *loginAttempt) pair() string {
	if a.src == "" || a.user == "" {
		return ""
	}
	return a.src + "\x00" + a.user
}

// knownGood reports whether the attempt's pair logged in before, in this
// environment or, through kg when the group shares them, in another.
func (a *loginAttempt) knownGood(ac AbuseCounters, now time.Time) bool {
	if a.good == 0 {
		a.good = 1
		if a.user != "" && a.src != "" {
			good := a.lp.mem.isKnownGood(a.src, a.user, now)
			if kg, ok := ac.(KnownGoodLogins); ok && !good {
				good = kg.KnownGood(a.pair(), now)
			}
			if good {
				a.good = 2
			}
		}
	}
	return a.good == 2
}

// holders are the keys of the configured detectors that could hold the
// attempt's pair.
func (a *loginAttempt) holders() []HeldBy {
	var hs []HeldBy
	for _, d := range []*loginDetector{a.lp.stuffing, a.lp.spraying, a.lp.brute} {
		if d == nil {
			continue
		}
		if k := a.key(d); k != "" {
			hs = append(hs, HeldBy{Counter: d.counter, Key: k})
		}
	}
	return hs
}

// checkLogins applies the login detectors' holds to a request of a login
// route and, when the request goes on to the function, arranges for its
// response to be counted.
func (p *Policy) checkLogins(ev *Evaluation) {
	lp := p.logins
	req := ev.ctx.req
	var lr *loginRoute
	for i := range lp.routes {
		if lp.routes[i].route.matchRequest(req.Method, req.Path, req.Route) {
			lr = &lp.routes[i]
			break
		}
	}
	if lr == nil {
		return
	}
	a := &loginAttempt{lp: lp, route: lr, src: req.SourceIP, user: lr.user.value(req)}
	ac := p.abuse()
	for _, d := range []*loginDetector{lp.stuffing, lp.brute, lp.spraying} {
		if d == nil || d.action == AbuseFlag { // a flag is checked with every flag
			continue
		}
		key := a.key(d)
		if key == "" {
			continue
		}
		until, count, held := ac.Held(d.counter, key, ev.now)
		if !held {
			continue
		}
		good := a.knownGood(ac, ev.now)
		act := Log
		if d.action == AbuseBlock && !good {
			act = Block
		}
		retry := until.Sub(ev.now)
		ev.addReason(Reason{Kind: ReasonLogin, ID: d.id, Action: act, Record: -1, Message: d.message(act == Block, good),
			Count: count, Threshold: d.limit, Window: d.within.String(), RetryAfter: retryAfterSeconds(retry)},
			&blockChoice{status: lp.status, retryAfter: retry})
		if ev.done {
			return
		}
	}
	ev.watch().login = a
}

func (d *loginDetector) message(blocked, good bool) string {
	var what string
	switch d.id {
	case LoginStuffing:
		what = "failed logins for many user names from this source"
	case LoginSpraying:
		what = "failed logins for this user name from many sources"
	default:
		what = "repeated failed logins for one user name from this source"
	}
	switch {
	case blocked:
		return what + ": held"
	case good:
		return what + ": held, but this source logged in as this user before (known good)"
	}
	return what
}

// key is what detector d counts the attempt under ("" when it cannot).
func (a *loginAttempt) key(d *loginDetector) string {
	switch d.id {
	case LoginStuffing:
		return a.src
	case LoginSpraying:
		return a.user
	}
	if a.src == "" || a.user == "" {
		return ""
	}
	return a.src + "\x00" + a.user
}

// observe counts the attempt's outcome: a failure feeds the detectors, a
// success marks the pair known good. Neither is recorded.
func (a *loginAttempt) observe(ac AbuseCounters, r *Response, now time.Time) {
	lr := a.route
	switch {
	case lr.failure.match(r):
	case lr.success.match(r):
		if a.src != "" && a.user != "" {
			a.lp.mem.markKnownGood(a.src, a.user, now)
			if kg, ok := ac.(KnownGoodLogins); ok {
				kg.MarkKnownGood(a.pair(), a.holders(), now.Add(knownGoodFor))
			}
		}
		return
	default:
		return
	}
	lp := a.lp
	var newStuff, newSpray bool
	if a.src != "" && a.user != "" && (lp.stuffing != nil || lp.spraying != nil) {
		m := lp.mem
		h := m.pairHash(a.src, a.user)
		m.mu.Lock()
		seen := m.pairs[h]
		if d := lp.stuffing; d != nil {
			if w := now.UnixNano()/int64(d.within) + 1; seen[0] != w {
				seen[0], newStuff = w, true
			}
		}
		if d := lp.spraying; d != nil {
			if w := now.UnixNano()/int64(d.within) + 1; seen[1] != w {
				seen[1], newSpray = w, true
			}
		}
		if len(m.pairs) >= maxLoginPairs {
			clear(m.pairs)
		}
		m.pairs[h] = seen
		m.mu.Unlock()
	}
	if newStuff {
		ac.Count(lp.stuffing.counter, a.src, now)
	}
	if newSpray {
		ac.Count(lp.spraying.counter, a.user, now)
	}
	if d := lp.brute; d != nil {
		if k := a.key(d); k != "" {
			ac.Count(d.counter, k, now)
		}
	}
}

func (m *loginMemory) pairHash(src, user string) uint64 {
	var h maphash.Hash
	h.SetSeed(m.seed)
	h.WriteString(src)
	h.WriteByte(0)
	h.WriteString(user)
	return h.Sum64()
}

func (m *loginMemory) markKnownGood(src, user string, now time.Time) {
	h := m.pairHash(src, user)
	m.mu.Lock()
	if len(m.knownGood) >= maxLoginPairs {
		clear(m.knownGood)
	}
	m.knownGood[h] = now.Add(knownGoodFor)
	m.mu.Unlock()
}

func (m *loginMemory) isKnownGood(src, user string, now time.Time) bool {
	h := m.pairHash(src, user)
	m.mu.Lock()
	until, ok := m.knownGood[h]
	m.mu.Unlock()
	return ok && now.Before(until)
}

// retryAfterSeconds is a Retry-After value: whole seconds, rounded up, at
// least 1.
func retryAfterSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
