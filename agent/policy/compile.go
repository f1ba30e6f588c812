package policy

import (
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"maps"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/detect"
)

// Default block response: a fixed JSON body that never reflects input.
const (
	DefaultBlockStatus      = 403
	DefaultBlockContentType = "application/json"
	DefaultBlockBody        = `{"message":"Forbidden"}`
)

// Policy is a compiled configuration. It is immutable and safe for
// concurrent use (rate-limit buckets are guarded internally).
type Policy struct {
	source    string
	mode      Mode
	onLimit   document.OnLimit
	block     document.BlockSpec
	threshold int
	paranoia  int
	classMode map[detect.Class]Mode
	ruleMode  map[string]Mode
	lists     map[string]*compiledList
	rules     []*rule
	preRules  bool // some rules can run before the walk
	postRules bool // some rules need the walk
	// valueSlots numbers the distinct value location patterns of the
	// rules' fields (field.slot): an evaluation finds the values of each
	// once (evalCtx.valuesAt), however many rules read them.
	valueSlots map[string]int
	excl       []*exclusion
	routes     []*route
	openapi    *openapiModel
	limits     []*rateLimit
	global     []GlobalLimit // scope: global limits, in order
	flagging   []Threshold
	flagged    int // status of a flagged source's block
	shared     SharedState
	bots       *botPolicy   // nil without a bots section
	logins     *loginPolicy // nil without a logins section
	responses  []*responseCounter
	ratios     []*errorRatio
	counters   []Counter      // abuse counters of logins and responses
	local      *localCounters // counts them without shared state
	wants      locSet         // value locations rules read
	warnings   []string
	triggers   triggerPolicy
}

type compiledList struct {
	kind   document.ListKind
	set    *stringSet
	prefix *prefixSet
}

type rule struct {
	id        string
	mode      Mode
	expires   time.Time // zero: never
	when      *cond
	action    document.ActionType
	status    int
	ctype     string
	body      []byte
	labels    []string
	addSignal *detect.Signal
	remove    *sigMatcher
	post      bool // needs the walk (values, signals, or edits signals)
}

type exclusion struct {
	id        string
	routes    []routePattern
	locs      []locPattern
	class     map[detect.Class]bool
	rules     map[string]bool
	classList []detect.Class // sorted, for the detection engine
	ruleList  []string       // sorted
}

// compileEnv carries what compilation needs besides the Config.
type compileEnv struct {
	loc    document.Locator
	source string
	dir    string
}

// Compile compiles a Config built in code (tests, tools). Relative paths in
// it are resolved against the working directory.
func Compile(cfg *document.Config) (*Policy, error) {
	return compile(cfg, compileEnv{source: "<config>", dir: "."})
}

// Default returns the built-in policy: block mode, every detector on, the
// default block response. It is what the agent runs without a
// configuration, and what it falls back to at first start when the
// configuration is invalid.
func Default() *Policy {
	p, err := Compile(&document.Config{})
	if err != nil {
		panic(fmt.Sprintf("policy: built-in defaults do not compile: %v", err))
	}
	p.source = "<defaults>"
	return p
}

func compile(cfg *document.Config, env compileEnv) (*Policy, error) {
	pr := &document.Problems{Locator: env.loc}
	p := &Policy{
		source:    env.source,
		mode:      ModeBlock,
		onLimit:   document.OnLimitBlock,
		block:     document.BlockSpec{Status: DefaultBlockStatus, ContentType: DefaultBlockContentType, Body: DefaultBlockBody},
		threshold: 1,
		lists:     map[string]*compiledList{},
	}
	if cfg.Version != 0 && cfg.Version != 1 {
		pr.Add([]string{"version"}, "expected 1, got %d", cfg.Version)
	}
	if cfg.Mode != "" {
		m, ok := ParseMode(string(cfg.Mode))
		if !ok {
			pr.Add([]string{"mode"}, "expected block, log or off, got %q", cfg.Mode)
		}
		p.mode = m
	}
	if cfg.OnLimit != "" {
		if !cfg.OnLimit.Valid() {
			pr.Add([]string{"onLimit"}, "expected block, log or allow, got %q", cfg.OnLimit)
		} else {
			p.onLimit = cfg.OnLimit
		}
	}
	if b := cfg.Block; b != nil {
		if b.Status != 0 {
			if b.Status < 200 || b.Status > 599 {
				pr.Add([]string{"block", "status"}, "expected an HTTP status 200-599, got %d", b.Status)
			}
			p.block.Status = b.Status
		}
		if b.ContentType != "" {
			p.block.ContentType = b.ContentType
		}
		if b.Body != "" {
			p.block.Body = b.Body
		}
	}
	if d := cfg.Detection; d != nil {
		if d.Threshold != 0 {
			if d.Threshold < 1 || d.Threshold > 10 {
				pr.Add([]string{"detection", "threshold"}, "expected a score 1-10, got %d", d.Threshold)
			}
			p.threshold = d.Threshold
		}
		if d.Paranoia != 0 {
			if d.Paranoia < 1 || d.Paranoia > detect.MaxParanoia {
				pr.Add([]string{"detection", "paranoia"}, "expected 1 or %d, got %d", detect.MaxParanoia, d.Paranoia)
			}
			p.paranoia = d.Paranoia
		}
		for c, m := range d.Classes {
			if _, ok := ParseMode(string(m)); !ok {
				pr.Add([]string{"detection", "classes", string(c)}, "expected block, log or off, got %q", m)
			}
			if p.classMode == nil {
				p.classMode = map[detect.Class]Mode{}
			}
			p.classMode[c] = m
		}
		for r, m := range d.Rules {
			if _, ok := ParseMode(string(m)); !ok {
				pr.Add([]string{"detection", "rules", r}, "expected block, log or off, got %q", m)
			}
			if p.ruleMode == nil {
				p.ruleMode = map[string]Mode{}
			}
			p.ruleMode[r] = m
		}
	}
	for i := range cfg.Lists {
		p.compileList(pr, document.At(nil, "lists", i), &cfg.Lists[i])
	}
	seen := map[string]int{}
	var wants []locPattern
	for i := range cfg.Rules {
		path := document.At(nil, "rules", i)
		r := &cfg.Rules[i]
		if r.ID != "" {
			repeatedID(pr, path, seen, "rule", "rules", r.ID, i)
		}
		if cr := p.compileRule(pr, path, r); cr != nil {
			p.rules = append(p.rules, cr)
			if cr.post {
				p.postRules = true
			} else {
				p.preRules = true
			}
			wants = cr.when.valuePatterns(wants)
		}
	}
	p.wants = newLocSet(wants)
	for i := range cfg.Exclusions {
		if e := compileExclusion(pr, document.At(nil, "exclusions", i), &cfg.Exclusions[i]); e != nil {
			p.excl = append(p.excl, e)
		}
	}
	for i := range cfg.Routes {
		if rt := compileRouteSpec(pr, document.At(nil, "routes", i), &cfg.Routes[i]); rt != nil {
			p.routes = append(p.routes, rt)
		}
	}
	if cfg.OpenAPI != nil {
		var routes []*route
		p.openapi, routes = loadOpenAPI(pr, []string{"openapi"}, cfg.OpenAPI, env.dir)
		p.routes = append(p.routes, routes...)
	}
	ids := map[string]int{}
	for i := range cfg.RateLimits {
		path := document.At(nil, "rateLimits", i)
		if j, dup := ids[cfg.RateLimits[i].ID]; dup {
			pr.Add(document.At(path, "id"), "duplicate rate limit id %q (first used by rateLimits[%d])", cfg.RateLimits[i].ID, j)
		}
		ids[cfg.RateLimits[i].ID] = i
		if rl := compileRateLimit(pr, path, &cfg.RateLimits[i]); rl != nil {
			if rl.global >= 0 {
				rl.global = len(p.global)
				p.global = append(p.global, GlobalLimit{ID: rl.id, Limit: int64(cfg.RateLimits[i].Limit), Window: rl.period, Burst: int64(cfg.RateLimits[i].Burst)})
			}
			p.limits = append(p.limits, rl)
		}
	}
	p.compileTriggers(pr, cfg)
	p.compileFlagging(pr, cfg.Flagging)
	p.compileBots(pr, cfg.Bots)
	p.compileLogins(pr, cfg.Logins)
	p.compileResponses(pr, cfg.Responses)
	p.compileErrorRatios(pr, cfg.ErrorRatios)
	if len(p.counters) > 0 {
		p.local = newLocalCounters(p.counters)
	}
	if err := pr.Err(env.source); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Policy) compileList(pr *document.Problems, path []string, l *document.List) {
	if _, dup := p.lists[l.Name]; dup {
		pr.Add(document.At(path, "name"), "duplicate list name %q", l.Name)
		return
	}
	kind := l.Kind
	if kind == "" {
		kind = document.ListString
	}
	cl := &compiledList{kind: kind}
	switch kind {
	case document.ListString:
		cl.set = &stringSet{set: make(map[string]struct{}, len(l.Items)), fold: l.IgnoreCase}
		for _, it := range l.Items {
			if l.IgnoreCase {
				it = strings.ToLower(it)
			}
			cl.set.set[it] = struct{}{}
		}
	case document.ListIP:
		cl.set = &stringSet{ips: make(map[netip.Addr]struct{}, len(l.Items))}
		for j, it := range l.Items {
			a, err := netip.ParseAddr(strings.TrimSpace(it))
			if err != nil {
				pr.Add(document.At(path, "items", j), "expected an IP address, got %q", it)
				continue
			}
			cl.set.ips[a.Unmap()] = struct{}{}
		}
	case document.ListCIDR:
		cl.prefix = &prefixSet{}
		for j, it := range l.Items {
			pfx, err := parseCIDR(it)
			if err != nil {
				pr.Add(document.At(path, "items", j), "expected a CIDR such as 10.0.0.0/8 or an IP address, got %q", it)
				continue
			}
			cl.prefix.add(pfx)
		}
	default:
		pr.Add(document.At(path, "type"), "expected string, ip or cidr, got %q", kind)
		return
	}
	p.lists[l.Name] = cl
}

func (p *Policy) compileRule(pr *document.Problems, path []string, r *document.Rule) *rule {
	n := pr.Len()
	cr := &rule{id: r.ID, mode: ModeBlock}
	if r.ID == "" {
		pr.Add(document.At(path, "id"), "missing rule id")
	}
	if r.Mode != "" {
		switch r.Mode {
		case ModeBlock, ModeLog, ModeOff, ModeShadow:
			cr.mode = r.Mode
		default:
			pr.Add(document.At(path, "mode"), "expected block, log, off or shadow, got %q", r.Mode)
		}
	}
	if r.Expires != "" {
		t, err := time.Parse(time.RFC3339, r.Expires)
		if err != nil {
			pr.Add(document.At(path, "expires"), "expected an RFC 3339 time such as 2027-01-01T00:00:00Z, got %q", r.Expires)
		} else {
			cr.expires = t
			if !t.After(time.Now()) {
				p.warnings = append(p.warnings, fmt.Sprintf("rule %q expired at %s and is ignored", r.ID, r.Expires))
			}
		}
	}
	if r.When == nil {
		pr.Add(document.At(path, "when"), "missing condition")
	} else {
		cr.when = p.compileCond(pr, document.At(path, "when"), r.When)
	}
	if r.Action == nil {
		pr.Add(document.At(path, "action"), "missing action")
	} else {
		p.compileAction(pr, document.At(path, "action"), r.Action, cr)
	}
	if pr.Len() > n || cr.mode == ModeOff {
		return nil
	}
	cr.post = cr.when.needsWalk() || cr.remove != nil
	return cr
}

func (p *Policy) compileAction(pr *document.Problems, path []string, a *document.Action, cr *rule) {
	switch a.Type {
	case document.ActionAllow, document.ActionBlock, document.ActionLog, document.ActionContinue:
		cr.action = a.Type
	default:
		pr.Add(document.At(path, "type"), "expected allow, block, log or continue, got %q", a.Type)
	}
	if a.Type != document.ActionBlock && (a.Status != 0 || a.Body != "" || a.ContentType != "") {
		pr.Add(document.At(path, "status"), "status, body and contentType apply to block actions only")
	}
	if a.Status != 0 && (a.Status < 200 || a.Status > 599) {
		pr.Add(document.At(path, "status"), "expected an HTTP status 200-599, got %d", a.Status)
	}
	cr.status, cr.ctype, cr.body = a.Status, a.ContentType, []byte(a.Body)
	cr.labels = a.Labels
	if s := a.AddSignal; s != nil {
		if s.Score < 0 || s.Score > 10 {
			pr.Add(document.At(path, "addSignal", "score"), "expected a score 1-10, got %d", s.Score)
		}
		sig := detect.Signal{Class: s.Class, Rule: s.Rule, Location: s.Location, Record: -1, Score: s.Score}
		if sig.Rule == "" {
			sig.Rule = "rule:" + cr.id
		}
		if sig.Score == 0 {
			sig.Score = 10
		}
		cr.addSignal = &sig
	}
	if a.Remove != nil {
		cr.remove = compileSigMatch(pr, document.At(path, "removeSignals"), a.Remove)
	}
}

func compileSigMatch(pr *document.Problems, path []string, s *document.SigMatch) *sigMatcher {
	m := &sigMatcher{class: s.Class, rule: s.Rule, minScore: s.MinScore}
	if s.Location != "" {
		lp, err := compileLocPattern(s.Location)
		if err != nil {
			pr.Add(document.At(path, "location"), "%v", err)
		} else {
			m.loc = &lp
		}
	}
	return m
}

func (p *Policy) compileCond(pr *document.Problems, path []string, c *document.Condition) *cond {
	groups := 0
	for _, set := range []bool{c.All != nil, c.Any != nil, c.Not != nil, c.Field != "" || c.Signal != nil} {
		if set {
			groups++
		}
	}
	if groups != 1 {
		pr.Add(path, "expected exactly one of all, any, not, or field with an operator (or signal)")
		return &cond{kind: cAll}
	}
	switch {
	case c.All != nil:
		out := &cond{kind: cAll}
		for i, k := range c.All {
			out.kids = append(out.kids, p.compileCond(pr, document.At(path, "all", i), k))
		}
		return out
	case c.Any != nil:
		out := &cond{kind: cAny}
		for i, k := range c.Any {
			out.kids = append(out.kids, p.compileCond(pr, document.At(path, "any", i), k))
		}
		return out
	case c.Not != nil:
		return &cond{kind: cNot, kids: []*cond{p.compileCond(pr, document.At(path, "not"), c.Not)}}
	}
	if c.Signal != nil || c.Field == "signal" {
		if c.Field != "" && c.Field != "signal" {
			pr.Add(document.At(path, "field"), "a signal condition takes no other field, got %q", c.Field)
		}
		if c.Signal == nil {
			pr.Add(path, "field signal needs a signal: {class, rule, location, minScore} matcher")
			return &cond{kind: cAll}
		}
		return &cond{kind: cSignal, sig: compileSigMatch(pr, document.At(path, "signal"), c.Signal)}
	}
	f, msg := compileField(c.Field)
	if msg != "" {
		pr.Add(document.At(path, "field"), "%s, got %q", msg, c.Field)
		return &cond{kind: cAll}
	}
	if f.kind == fValue {
		if p.valueSlots == nil {
			p.valueSlots = map[string]int{}
		}
		slot, ok := p.valueSlots[f.pat.raw]
		if !ok {
			slot = len(p.valueSlots)
			p.valueSlots[f.pat.raw] = slot
		}
		f.slot = slot
	}
	out := &cond{kind: cLeaf, field: f}
	ops := 0
	var numeric []numCheck
	fold := c.IgnoreCase
	if c.Equals != nil {
		ops++
		out.m = equalsMatcher{v: scalarString(c.Equals), fold: fold}
	}
	if c.Prefix != nil {
		ops++
		out.m = prefixMatcher{v: *c.Prefix, fold: fold}
	}
	if c.Suffix != nil {
		ops++
		out.m = suffixMatcher{v: *c.Suffix, fold: fold}
	}
	if c.Contains != nil {
		ops++
		out.m = containsMatcher{v: *c.Contains}
		if fold {
			out.m = foldContainsMatcher{lower: strings.ToLower(*c.Contains)}
		}
	}
	if c.Regex != nil {
		ops++
		expr := *c.Regex
		if fold {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			pr.Add(document.At(path, "regex"), "invalid RE2 regular expression: %v", unwrapRegexErr(err))
		} else {
			out.m = newRegexMatcher(re, expr)
		}
	}
	if c.In != nil {
		ops++
		out.m = p.compileIn(pr, document.At(path, "in"), c.In, fold)
	}
	if c.CIDR != nil {
		ops++
		out.m = p.compileCIDR(pr, document.At(path, "cidr"), c.CIDR)
	}
	if c.Exists != nil {
		ops++
		out.kind = cExists
		out.exists = *c.Exists
	}
	for _, nc := range []struct {
		v  *float64
		op numOp
	}{{c.GT, opGT}, {c.GTE, opGTE}, {c.LT, opLT}, {c.LTE, opLTE}} {
		if nc.v != nil {
			numeric = append(numeric, numCheck{op: nc.op, v: *nc.v})
		}
	}
	if len(numeric) > 0 {
		ops++
		out.m = numMatcher{checks: numeric}
	}
	if c.Length != nil {
		ops++
		var checks []numCheck
		for _, nc := range []struct {
			v  *float64
			op numOp
		}{{c.Length.Equals, opEQ}, {c.Length.GT, opGT}, {c.Length.GTE, opGTE}, {c.Length.LT, opLT}, {c.Length.LTE, opLTE}} {
			if nc.v != nil {
				checks = append(checks, numCheck{op: nc.op, v: *nc.v})
			}
		}
		if len(checks) == 0 {
			pr.Add(document.At(path, "length"), "expected at least one of equals, gt, gte, lt, lte")
		}
		out.m = lengthMatcher{checks: checks}
	}
	if ops != 1 {
		pr.Add(path, "expected exactly one operator (equals, prefix, suffix, contains, regex, in, cidr, exists, gt/gte/lt/lte, length) for field %q, got %d", c.Field, ops)
		return &cond{kind: cAll}
	}
	if out.kind == cLeaf && out.m == nil {
		// The operator failed to compile and was reported.
		return &cond{kind: cAll}
	}
	return out
}

func unwrapRegexErr(err error) string {
	if se, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("%s in %q", se.Code, se.Expr)
	}
	return err.Error()
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// compileIn compiles an in-list operator: a list name or an inline list.
func (p *Policy) compileIn(pr *document.Problems, path []string, v any, fold bool) matcher {
	switch x := v.(type) {
	case string:
		l, ok := p.lists[x]
		if !ok {
			pr.Add(path, "unknown list %q; expected the name of a list under lists", x)
			return nil
		}
		if l.prefix != nil {
			return l.prefix
		}
		return l.set
	case []any:
		s := &stringSet{set: make(map[string]struct{}, len(x)), fold: fold}
		for _, it := range x {
			str := scalarString(it)
			if fold {
				str = strings.ToLower(str)
			}
			s.set[str] = struct{}{}
		}
		return s
	}
	pr.Add(path, "expected a list name or a list of strings")
	return nil
}

// compileCIDR compiles a cidr operator: a list name, one CIDR, or a list.
func (p *Policy) compileCIDR(pr *document.Problems, path []string, v any) matcher {
	set := &prefixSet{}
	switch x := v.(type) {
	case string:
		if l, ok := p.lists[x]; ok {
			if l.prefix == nil {
				pr.Add(path, "list %q is of type %s; expected a cidr list", x, l.kind)
				return nil
			}
			return l.prefix
		}
		pfx, err := parseCIDR(x)
		if err != nil {
			pr.Add(path, "expected a CIDR such as 10.0.0.0/8, an IP address, or the name of a cidr list, got %q", x)
			return nil
		}
		set.add(pfx)
	case []any:
		for i, it := range x {
			s, _ := it.(string)
			pfx, err := parseCIDR(s)
			if err != nil {
				pr.Add(document.At(path, i), "expected a CIDR such as 10.0.0.0/8 or an IP address, got %q", s)
				continue
			}
			set.add(pfx)
		}
	default:
		pr.Add(path, "expected a CIDR, a list of CIDRs or a list name")
		return nil
	}
	return set
}

func compileExclusion(pr *document.Problems, path []string, e *document.Exclusion) *exclusion {
	out := &exclusion{id: e.ID}
	out.routes, _ = compileRoutes(pr, path, e.Routes)
	for i, l := range e.Locations {
		lp, err := compileLocPattern(l)
		if err != nil {
			pr.Add(document.At(path, "locations", i), "%v", err)
			continue
		}
		out.locs = append(out.locs, lp)
	}
	if len(e.Classes) > 0 {
		out.class = map[detect.Class]bool{}
		for _, c := range e.Classes {
			out.class[c] = true
		}
		out.classList = slices.Sorted(maps.Keys(out.class))
	}
	if len(e.Rules) > 0 {
		out.rules = map[string]bool{}
		for _, r := range e.Rules {
			out.rules[r] = true
		}
		out.ruleList = slices.Sorted(maps.Keys(out.rules))
		// Classes and rules together mean "these rules of these classes":
		// the detectors leave out the rules; Excluded filters by both.
		out.classList = nil
	}
	if len(e.Routes) == 0 && len(e.Locations) == 0 && len(e.Classes) == 0 && len(e.Rules) == 0 {
		pr.Add(path, "an exclusion needs at least one of classes, rules, locations or routes (an empty one would switch detection off)")
		return nil
	}
	return out
}

// Mode returns the function-wide mode from the configuration.
func (p *Policy) Mode() Mode { return p.mode }

// Source names the document the policy came from.
func (p *Policy) Source() string { return p.source }

// Warnings lists non-fatal remarks found while compiling (expired rules).
func (p *Policy) Warnings() []string { return p.warnings }

// DisabledClasses lists the signal classes configured off, for the
// detection engine to skip entirely.
func (p *Policy) DisabledClasses() []detect.Class {
	var out []detect.Class
	for c, m := range p.classMode {
		if m == ModeOff {
			out = append(out, c)
		}
	}
	return out
}

// Paranoia is the configured detection paranoia level, 0 when the
// configuration leaves it to the engine's default.
func (p *Policy) Paranoia() int { return p.paranoia }

// DisabledRules lists the detector rules configured off.
func (p *Policy) DisabledRules() []string {
	var out []string
	for r, m := range p.ruleMode {
		if m == ModeOff {
			out = append(out, r)
		}
	}
	return out
}

// Summary describes the policy in one line, for the CLI and start-up logs.
func (p *Policy) Summary() string {
	ops := 0
	if p.openapi != nil {
		ops = p.openapi.operations
	}
	n := func(k int, what string) string {
		if k == 1 {
			return "1 " + what
		}
		return fmt.Sprintf("%d %ss", k, what)
	}
	return fmt.Sprintf("mode %s, %s, %s, %s, %s (%d from OpenAPI), %s", p.mode, n(len(p.rules), "rule"), n(len(p.lists), "list"),
		n(len(p.excl), "exclusion"), n(len(p.routes), "route"), ops, n(len(p.limits), "rate limit"))
}
