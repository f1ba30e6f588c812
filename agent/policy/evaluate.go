package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Evaluation judges one event. The caller (the firewall) drives it:
//
//	ev := p.Begin(req, time.Now())
//	if !ev.Done() {
//		walk the decoded values: ev.Wants(v) → ev.Keep(v);
//		ev.Exclusions(v) → skip v, or inspect it without the excluded
//		detectors; then ev.AddSignals(...)
//	}
//	d := ev.Finish()
//
// Begin runs what needs only the request (rules over method, path, headers,
// IPs…, rate limits, the positive model); a terminating allow or block there
// makes Done true, and the walk and detection are skipped entirely.
// An Evaluation is not safe for concurrent use; the Policy is.
type Evaluation struct {
	p      *Policy
	now    time.Time
	ctx    evalCtx
	d      *Decision
	excl   []*exclusion // exclusions whose routes match this request
	done   bool
	allow  bool // a rule allowed the event
	block  *blockChoice
	params []string
}

type blockChoice struct {
	status int
	ctype  string
	body   []byte
	// retryAfter, when positive, is sent as Retry-After (a hold's or
	// window's remaining time).
	retryAfter time.Duration
}

// Begin starts judging req.
func (p *Policy) Begin(req *event.Request, now time.Time) *Evaluation {
	ev := &Evaluation{p: p, now: now}
	ev.ctx.req = req
	ev.ctx.valueSlots = len(p.valueSlots)
	ev.d = &Decision{
		Trigger: req.Trigger,
		Method:  req.Method,
		Route:   req.Route,
		Mode:    p.mode,
		Config:  p.source,
	}
	for _, e := range p.excl {
		if len(e.routes) == 0 {
			ev.excl = append(ev.excl, e)
			continue
		}
		for i := range e.routes {
			if e.routes[i].matchRequest(req.Method, req.Path, req.Route) {
				ev.excl = append(ev.excl, e)
				break
			}
		}
	}
	if p.preRules {
		ev.runRules(false)
	}
	if !ev.done && p.shared != nil {
		p.checkFlagged(ev)
	}
	if !ev.done && p.local != nil {
		if _, fleet := p.shared.(AbuseCounters); !fleet {
			p.checkAbuseFlags(ev)
		}
	}
	if !ev.done && p.bots != nil && req.Trigger.IsHTTP() {
		p.checkBots(ev)
	}
	if !ev.done {
		p.checkRateLimits(ev)
	}
	if !ev.done && p.logins != nil && req.Trigger.IsHTTP() {
		p.checkLogins(ev)
	}
	if !ev.done && len(p.responses) > 0 && req.Trigger.IsHTTP() {
		p.checkResponses(ev)
	}
	if !ev.done && len(p.ratios) > 0 && req.Trigger.IsHTTP() {
		p.checkErrorRatios(ev)
	}
	if !ev.done && req.Trigger.IsHTTP() {
		p.checkPositive(ev)
	}
	return ev
}

// Done reports whether the decision is already made, so the event need not
// be walked or inspected.
func (ev *Evaluation) Done() bool { return ev.done }

// Wants reports whether a rule reads the value at loc; such values must be
// handed to Keep.
func (ev *Evaluation) Wants(loc string) bool {
	return ev.p.wants.match(loc)
}

// Keep records a value rules read. The value's strings are kept as they
// are (decode.Walk never hands out reused buffers).
func (ev *Evaluation) Keep(v event.Value) {
	if v.IsKey {
		// Rules test values; names are judged by the detectors.
		return
	}
	v.Decoded = nil
	ev.ctx.values = append(ev.ctx.values, v)
}

// Exclusions says how detection should treat the value at loc: all is
// true when an exclusion covers every detector (do not inspect the value at
// all); otherwise classes and rules, when non-empty, are the detector
// classes and rules to leave out for this value, so that they are not run
// rather than run and filtered. Both are nil for most values; the slices
// are shared and must not be modified.
func (ev *Evaluation) Exclusions(loc string) (all bool, classes []detect.Class, rules []string) {
	n := 0
	var one *exclusion
	for _, e := range ev.excl {
		if !e.coversLocation(loc) {
			continue
		}
		if e.class == nil && e.rules == nil {
			return true, nil, nil
		}
		n++
		one = e
	}
	switch n {
	case 0:
		return false, nil, nil
	case 1:
		return false, one.classList, one.ruleList
	}
	// Several exclusions cover the value: their union.
	for _, e := range ev.excl {
		if e.coversLocation(loc) {
			classes = append(classes, e.classList...)
			rules = append(rules, e.ruleList...)
		}
	}
	slices.Sort(classes)
	slices.Sort(rules)
	return false, slices.Compact(classes), slices.Compact(rules)
}

// Excluded reports whether an exclusion removes the signal.
func (ev *Evaluation) Excluded(s *detect.Signal) bool {
	for _, e := range ev.excl {
		if e.class != nil && !e.class[s.Class] {
			continue
		}
		if e.rules != nil && !e.rules[s.Rule] {
			continue
		}
		if e.coversLocation(strings.TrimSuffix(s.Location, "#key")) {
			return true
		}
	}
	return false
}

func (e *exclusion) coversLocation(loc string) bool {
	if len(e.locs) == 0 {
		return true
	}
	for i := range e.locs {
		if e.locs[i].match(loc) {
			return true
		}
	}
	return false
}

// AddSignals records detection signals, dropping those excluded, those of
// classes or rules configured off.
func (ev *Evaluation) AddSignals(sigs ...detect.Signal) {
	for i := range sigs {
		if ev.keeps(&sigs[i]) {
			ev.ctx.signals = append(ev.ctx.signals, sigs[i])
		}
	}
}

// keeps reports whether the evaluation records s: a limit always, any
// other signal unless an exclusion covers it or its rule or class is off.
func (ev *Evaluation) keeps(s *detect.Signal) bool {
	return isLimit(s) || !ev.Excluded(s) && ev.p.signalMode(s) != ModeOff
}

func (p *Policy) signalMode(s *detect.Signal) Mode {
	if m, ok := p.ruleMode[s.Rule]; ok {
		return m
	}
	if m, ok := p.classMode[s.Class]; ok {
		return m
	}
	if s.Class == detect.Protocol && s.Score < ProtocolBlockScore {
		// Malformed encodings are common in honest traffic; unless the
		// configuration says otherwise they are logged, and only input
		// left uninspected (limits, decompression bombs) blocks.
		return ModeLog
	}
	return ModeBlock
}

// ProtocolBlockScore is the score from which protocol signals block when
// the configuration sets no mode for the protocol class.
const ProtocolBlockScore = 7

// runRules evaluates the rules of one phase, in order, until one ends the
// evaluation.
func (ev *Evaluation) runRules(post bool) {
	for _, r := range ev.p.rules {
		if ev.done {
			return
		}
		if r.post != post {
			continue
		}
		if !r.expires.IsZero() && !ev.now.Before(r.expires) {
			continue
		}
		if !r.when.eval(&ev.ctx) {
			continue
		}
		ev.apply(r)
	}
}

func (ev *Evaluation) apply(r *rule) {
	act := Log
	switch r.action {
	case document.ActionAllow:
		act = Allow
	case document.ActionBlock:
		act = Block
	case document.ActionContinue:
		act = ""
	}
	if r.mode == ModeShadow {
		if act == "" {
			act = Log
		}
		ev.d.Shadow = append(ev.d.Shadow, Reason{Kind: ReasonRule, ID: r.id, Action: act, Record: -1, Message: "shadow rule matched"})
		return
	}
	ev.d.RuleIDs = append(ev.d.RuleIDs, r.id)
	for _, l := range r.labels {
		if !containsString(ev.ctx.labels, l) {
			ev.ctx.labels = append(ev.ctx.labels, l)
		}
	}
	if r.addSignal != nil {
		ev.ctx.signals = append(ev.ctx.signals, *r.addSignal)
	}
	if r.remove != nil {
		kept := ev.ctx.signals[:0]
		for _, s := range ev.ctx.signals {
			if !r.remove.matches(&s) {
				kept = append(kept, s)
			}
		}
		ev.ctx.signals = kept
	}
	if act == "" {
		return
	}
	if r.mode == ModeLog && act != Log {
		ev.d.Reasons = append(ev.d.Reasons, Reason{Kind: ReasonRule, ID: r.id, Action: Log, Record: -1, Message: "rule in log mode would " + string(act)})
		if act == Block {
			ev.d.WouldBlock = true
		}
		return
	}
	ev.d.Reasons = append(ev.d.Reasons, Reason{Kind: ReasonRule, ID: r.id, Action: act, Record: -1, Message: "rule matched"})
	switch act {
	case Allow:
		ev.allow = true
		ev.done = true
	case Block:
		ev.block = &blockChoice{status: r.status, ctype: r.ctype, body: r.body}
		ev.done = true
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// addReason records a non-rule reason (positive model, rate limit). A
// block reason ends the evaluation.
func (ev *Evaluation) addReason(r Reason, b *blockChoice) {
	ev.d.Reasons = append(ev.d.Reasons, r)
	if r.Action == Block {
		if ev.block == nil {
			ev.block = b
		}
		ev.done = true
	}
}

// signalAction is what a kept signal asks for once the walk is done;
// counts is false for one that asks nothing (a score under the
// threshold).
func (ev *Evaluation) signalAction(s *detect.Signal) (act Outcome, counts bool) {
	switch {
	case isLimit(s):
		return ev.p.limitAction(), true
	case s.Score < ev.p.threshold:
		return "", false
	case ev.p.signalMode(s) == ModeLog:
		return Log, true
	}
	return Block, true
}

// Settled reports whether sigs, signals the walk has found so far, already
// make the event blocked whatever the rest of the walk finds, so that the
// rest need not be inspected: an attack that also pads itself with costly
// text then costs no more than its first blocking value. That holds when
// the mode is block, no rule runs after the walk (such a rule may remove
// signals or allow the event, and reads the walked values), and one of
// sigs that the evaluation keeps blocks the whole event, not one record of
// a batch (the other records still need judging). A decision so reached
// lists the signals up to that one.
func (ev *Evaluation) Settled(sigs []detect.Signal) bool {
	if ev.d.Mode != ModeBlock || ev.p.postRules || ev.done {
		return false
	}
	recordList := ev.d.Trigger.IsRecordList()
	for i := range sigs {
		s := &sigs[i]
		if recordList && s.Record >= 0 || !ev.keeps(s) {
			continue
		}
		if act, counts := ev.signalAction(s); counts && act == Block {
			return true
		}
	}
	return false
}

// Finish runs the rules that need the walk, judges the signals and returns
// the decision.
func (ev *Evaluation) Finish() *Decision {
	if !ev.done && ev.p.postRules {
		ev.runRules(true)
	}
	d := ev.d
	d.Signals = ev.ctx.signals
	if len(ev.ctx.labels) > 0 {
		d.Labels = ev.ctx.labels
	}
	if ev.allow {
		d.Outcome = Allow
		return d
	}
	blocking := false
	logging := false
	var drop []int
	recordList := d.Trigger.IsRecordList()
	if !ev.done {
		for i := range d.Signals {
			s := &d.Signals[i]
			act, counts := ev.signalAction(s)
			if !counts {
				continue
			}
			d.Reasons = append(d.Reasons, Reason{Kind: ReasonSignal, ID: s.Rule, Action: act, Class: s.Class, Location: s.Location, Record: s.Record})
			if act == Log {
				logging = true
				continue
			}
			if act == Allow {
				continue
			}
			if recordList && s.Record >= 0 {
				drop = appendUnique(drop, s.Record)
				continue
			}
			blocking = true
		}
	}
	for _, r := range d.Reasons {
		switch {
		case r.Action == Log:
			logging = true
		case r.Action == Block && r.Kind != ReasonSignal:
			blocking = true
		}
	}
	switch {
	case blocking:
		d.Outcome = Block
		b := ev.block
		d.Status, d.ContentType, d.Body = ev.p.block.Status, ev.p.block.ContentType, []byte(ev.p.block.Body)
		if b != nil {
			if b.status != 0 {
				d.Status = b.status
			}
			if b.ctype != "" {
				d.ContentType = b.ctype
			}
			if len(b.body) > 0 {
				d.Body = b.body
			}
			if b.retryAfter > 0 {
				d.RetryAfter = retryAfterSeconds(b.retryAfter)
			}
		}
	case len(drop) > 0:
		sort.Ints(drop)
		d.DropRecords = drop
		d.Outcome = Block
		d.Status, d.ContentType, d.Body = ev.p.block.Status, ev.p.block.ContentType, []byte(ev.p.block.Body)
	case logging:
		d.Outcome = Log
	default:
		d.Outcome = Allow
	}
	d.truncate()
	if d.Outcome == Block && ev.p.shared != nil {
		ev.p.observeBlocked(ev)
	}
	if d.Outcome == Block && d.Mode == ModeLog {
		d.Outcome = Log
		d.WouldBlock = true
		d.DropRecords = nil
		d.Status, d.ContentType, d.Body, d.RetryAfter = 0, "", nil, 0
	}
	return d
}

// Decisions are logged and shipped: an event crafted to produce thousands
// of findings (one per junk parameter) must not produce a huge record. The
// decision is made on everything; only what it lists is bounded.
const (
	MaxReasons = 32
	MaxSignals = 64
)

func (d *Decision) truncate() {
	keepLimitsFirst(d.Reasons, func(r *Reason) bool { return r.Class == ClassLimit })
	keepLimitsFirst(d.Signals, isLimit)
	if n := len(d.Reasons); n > MaxReasons {
		d.Reasons = d.Reasons[:MaxReasons:MaxReasons]
		d.OmittedReasons = n - MaxReasons
	}
	if n := len(d.Signals); n > MaxSignals {
		d.Signals = d.Signals[:MaxSignals:MaxSignals]
		d.OmittedSignals = n - MaxSignals
	}
}

func appendUnique(s []int, v int) []int {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// SetMode overrides the function-wide mode for this evaluation (the
// LAMBDAWAF_MODE environment variable wins over the document).
func (ev *Evaluation) SetMode(m Mode) { ev.d.Mode = m }
