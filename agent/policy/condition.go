package policy

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/detect"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// evalCtx is what conditions look at while one event is judged.
type evalCtx struct {
	req     *event.Request
	values  []event.Value // the decoded values rules asked for
	signals []detect.Signal
	labels  []string
	scratch []string

	// the values of each value location pattern (field.slot), found once
	// per evaluation: see valuesAt
	valueSlots int
	memo       []valueMemo
	memoVals   []string
	memoBuf    [4]valueMemo // memo's and memoVals' first room, in the Evaluation
	valsBuf    [8]string
}

// valueMemo is where the values of one pattern stand in evalCtx.memoVals,
// and for how many kept values they were found (plus one: zero means
// not yet).
type valueMemo struct{ start, end, kept int }

// valuesAt returns the texts of the kept values whose location f.pat
// matches, matching each value once per evaluation whatever the number of
// rules that read the pattern (a value kept since is matched anew).
func (ctx *evalCtx) valuesAt(f *field) []string {
	if f.slot >= ctx.valueSlots {
		return nil
	}
	if ctx.memo == nil {
		if ctx.valueSlots <= len(ctx.memoBuf) {
			ctx.memo, ctx.memoVals = ctx.memoBuf[:ctx.valueSlots], ctx.valsBuf[:0]
		} else {
			ctx.memo = make([]valueMemo, ctx.valueSlots)
		}
	}
	m := &ctx.memo[f.slot]
	if m.kept == len(ctx.values)+1 {
		return ctx.memoVals[m.start:m.end:m.end]
	}
	start := len(ctx.memoVals)
	for i := range ctx.values {
		if f.pat.match(ctx.values[i].Location) {
			ctx.memoVals = append(ctx.memoVals, ctx.values[i].Text)
		}
	}
	*m = valueMemo{start: start, end: len(ctx.memoVals), kept: len(ctx.values) + 1}
	return ctx.memoVals[start:m.end:m.end]
}

type fieldKind uint8

const (
	fMethod fieldKind = iota
	fPath
	fRoute
	fTrigger
	fSourceIP
	fForwardedFor
	fContentType
	fLabel
	fHeader
	fCookie
	fQuery
	fClaim
	fValue // a decoded value location pattern
	fSignal
)

// field is a compiled condition field.
type field struct {
	kind fieldKind
	name string // header/cookie/query/claim name, lower-cased for headers; "*" = all
	pat  locPattern
	slot int // for fValue: the pattern's number among the policy's (Policy.valueSlots)
}

// needsWalk reports whether the field needs the decoded values or the
// signals, which exist only after the event is walked.
func (f field) needsWalk() bool { return f.kind == fValue || f.kind == fSignal }

func compileField(s string) (field, string) {
	switch s {
	case "method":
		return field{kind: fMethod}, ""
	case "path":
		return field{kind: fPath}, ""
	case "route":
		return field{kind: fRoute}, ""
	case "trigger":
		return field{kind: fTrigger}, ""
	case "source-ip", "ip":
		return field{kind: fSourceIP}, ""
	case "forwarded-for":
		return field{kind: fForwardedFor}, ""
	case "content-type":
		return field{kind: fContentType}, ""
	case "label":
		return field{kind: fLabel}, ""
	case "signal":
		return field{kind: fSignal}, ""
	}
	prefix, name, ok := strings.Cut(s, ".")
	if ok && name != "" && !strings.ContainsAny(name, ".[") {
		switch prefix {
		case "header":
			return field{kind: fHeader, name: strings.ToLower(name)}, ""
		case "cookie":
			return field{kind: fCookie, name: name}, ""
		case "query":
			return field{kind: fQuery, name: name}, ""
		case "claim":
			return field{kind: fClaim, name: name}, ""
		}
	}
	if prefix == "claim" && name != "" {
		// Claim names may contain dots (namespaced claims).
		return field{kind: fClaim, name: name}, ""
	}
	switch {
	case strings.HasPrefix(s, "body"), strings.HasPrefix(s, "records"), strings.HasPrefix(s, "query."),
		strings.HasPrefix(s, "header."), strings.HasPrefix(s, "cookie."), strings.HasPrefix(s, "path"), strings.HasPrefix(s, "**"):
		p, err := compileLocPattern(s)
		if err != nil {
			return field{}, err.Error()
		}
		return field{kind: fValue, pat: p}, ""
	}
	return field{}, "unknown field; expected method, path, route, trigger, source-ip, forwarded-for, content-type, label, signal, header.<name>, cookie.<name>, query.<name>, claim.<name>, or a value location such as body.items[*].sku or records[*].body.id"
}

// values returns the strings the field designates, in ctx.scratch.
func (f *field) values(ctx *evalCtx) []string {
	out := ctx.scratch[:0]
	r := ctx.req
	switch f.kind {
	case fMethod:
		if r.Method != "" {
			out = append(out, r.Method)
		}
	case fPath:
		if r.Path != "" {
			out = append(out, r.Path)
		}
	case fRoute:
		if r.Route != "" {
			out = append(out, r.Route)
		}
	case fTrigger:
		out = append(out, string(r.Trigger))
	case fSourceIP:
		if r.SourceIP != "" {
			out = append(out, r.SourceIP)
		}
	case fForwardedFor:
		out = append(out, r.ForwardedFor()...)
	case fContentType:
		if r.ContentType != "" {
			out = append(out, r.ContentType)
		}
	case fLabel:
		out = append(out, ctx.labels...)
	case fHeader:
		out = appendMulti(out, r.Headers, f.name)
	case fCookie:
		out = appendMulti(out, r.Cookies, f.name)
	case fQuery:
		out = appendMulti(out, r.Query, f.name)
	case fClaim:
		if f.name == "*" {
			for _, v := range r.Claims {
				out = append(out, v)
			}
		} else if v, ok := r.Claims[f.name]; ok {
			out = append(out, v)
		} else {
			// Claims are namespaced by where the platform put them
			// (jwt.sub, claims.sub, lambda.tenant): a bare name matches
			// it under any namespace.
			for k, v := range r.Claims {
				if len(k) > len(f.name) && k[len(k)-len(f.name)-1] == '.' && k[len(k)-len(f.name):] == f.name {
					out = append(out, v)
				}
			}
		}
	case fValue:
		return ctx.valuesAt(f)
	}
	ctx.scratch = out
	return out
}

func appendMulti(out []string, m map[string][]string, name string) []string {
	if name == "*" {
		for _, vs := range m {
			out = append(out, vs...)
		}
		return out
	}
	return append(out, m[name]...)
}

// matcher tests one string.
type matcher interface {
	match(s string) bool
}

type equalsMatcher struct {
	v    string
	fold bool
}

func (m equalsMatcher) match(s string) bool {
	if m.fold {
		return strings.EqualFold(s, m.v)
	}
	return s == m.v
}

type prefixMatcher struct {
	v    string
	fold bool
}

func (m prefixMatcher) match(s string) bool {
	if len(s) < len(m.v) {
		return false
	}
	if m.fold {
		return strings.EqualFold(s[:len(m.v)], m.v)
	}
	return s[:len(m.v)] == m.v
}

type suffixMatcher struct {
	v    string
	fold bool
}

func (m suffixMatcher) match(s string) bool {
	if len(s) < len(m.v) {
		return false
	}
	if m.fold {
		return strings.EqualFold(s[len(s)-len(m.v):], m.v)
	}
	return s[len(s)-len(m.v):] == m.v
}

type containsMatcher struct{ v string }

func (m containsMatcher) match(s string) bool { return strings.Contains(s, m.v) }

// foldContainsMatcher is a case-insensitive contains: both sides lower-
// cased, then a plain substring search, linear in the value whatever its
// size (window-by-window EqualFold, or a (?i) regex, costs value × needle
// on a 6 MB body). ToLower does not copy values without upper case.
type foldContainsMatcher struct{ lower string }

func (m foldContainsMatcher) match(s string) bool {
	return strings.Contains(strings.ToLower(s), m.lower)
}

// stringSet is a compiled string list; with fold, keys are lower-cased.
type stringSet struct {
	set  map[string]struct{}
	fold bool
	ips  map[netip.Addr]struct{} // for ip lists: canonical addresses
}

func (m *stringSet) match(s string) bool {
	if m.ips != nil {
		if a, err := netip.ParseAddr(s); err == nil {
			_, ok := m.ips[a.Unmap()]
			return ok
		}
		return false
	}
	if m.fold {
		// Lists are small keys; folding allocates only for mixed-case input.
		if _, ok := m.set[s]; ok {
			return true
		}
		_, ok := m.set[strings.ToLower(s)]
		return ok
	}
	_, ok := m.set[s]
	return ok
}

// prefixSet is a set of CIDRs, indexed by prefix length: a lookup masks the
// address once per distinct length present (at most 33 or 129 map probes,
// usually a handful) instead of scanning every CIDR.
type prefixSet struct {
	v4, v6 []prefixBucket
}

type prefixBucket struct {
	bits int
	set  map[netip.Prefix]struct{}
}

func (p *prefixSet) add(pr netip.Prefix) {
	pr = pr.Masked()
	if pr.Addr().Is4In6() {
		pr = netip.PrefixFrom(pr.Addr().Unmap(), pr.Bits()-96).Masked()
	}
	buckets := &p.v6
	if pr.Addr().Is4() {
		buckets = &p.v4
	}
	for i := range *buckets {
		if (*buckets)[i].bits == pr.Bits() {
			(*buckets)[i].set[pr] = struct{}{}
			return
		}
	}
	*buckets = append(*buckets, prefixBucket{bits: pr.Bits(), set: map[netip.Prefix]struct{}{pr: {}}})
}

func (p *prefixSet) contains(a netip.Addr) bool {
	a = a.Unmap()
	buckets := p.v6
	if a.Is4() {
		buckets = p.v4
	}
	for _, b := range buckets {
		pr, err := a.Prefix(b.bits)
		if err != nil {
			continue
		}
		if _, ok := b.set[pr]; ok {
			return true
		}
	}
	return false
}

func (p *prefixSet) match(s string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	return p.contains(a)
}

// parseCIDR accepts a CIDR or a single address (as a /32 or /128).
func parseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

type numOp uint8

const (
	opEQ numOp = iota
	opGT
	opGTE
	opLT
	opLTE
)

type numCheck struct {
	op numOp
	v  float64
}

func (c numCheck) test(x float64) bool {
	switch c.op {
	case opEQ:
		return x == c.v
	case opGT:
		return x > c.v
	case opGTE:
		return x >= c.v
	case opLT:
		return x < c.v
	}
	return x <= c.v
}

// numMatcher compares a value parsed as a number; non-numbers never match.
type numMatcher struct{ checks []numCheck }

func (m numMatcher) match(s string) bool {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return false
	}
	for _, c := range m.checks {
		if !c.test(x) {
			return false
		}
	}
	return true
}

// lengthMatcher compares a value's length in characters.
type lengthMatcher struct{ checks []numCheck }

func (m lengthMatcher) match(s string) bool {
	n := float64(utf8.RuneCountInString(s))
	for _, c := range m.checks {
		if !c.test(n) {
			return false
		}
	}
	return true
}

// sigMatcher matches detection signals.
type sigMatcher struct {
	class    detect.Class
	rule     string
	loc      *locPattern
	minScore int
}

func (m *sigMatcher) matches(s *detect.Signal) bool {
	if m.class != "" && s.Class != m.class {
		return false
	}
	if m.rule != "" && s.Rule != m.rule {
		return false
	}
	if m.minScore > 0 && s.Score < m.minScore {
		return false
	}
	if m.loc != nil && !m.loc.match(strings.TrimSuffix(s.Location, "#key")) {
		return false
	}
	return true
}

type condKind uint8

const (
	cAll condKind = iota
	cAny
	cNot
	cLeaf
	cExists
	cSignal
)

// cond is a compiled condition.
type cond struct {
	kind   condKind
	kids   []*cond
	field  field
	m      matcher
	exists bool
	sig    *sigMatcher
}

func (c *cond) eval(ctx *evalCtx) bool {
	switch c.kind {
	case cAll:
		for _, k := range c.kids {
			if !k.eval(ctx) {
				return false
			}
		}
		return true
	case cAny:
		for _, k := range c.kids {
			if k.eval(ctx) {
				return true
			}
		}
		return false
	case cNot:
		return !c.kids[0].eval(ctx)
	case cSignal:
		for i := range ctx.signals {
			if c.sig.matches(&ctx.signals[i]) {
				return true
			}
		}
		return false
	case cExists:
		return (len(c.field.values(ctx)) > 0) == c.exists
	}
	for _, v := range c.field.values(ctx) {
		if c.m.match(v) {
			return true
		}
	}
	return false
}

// needsWalk reports whether the condition looks at decoded values or
// signals.
func (c *cond) needsWalk() bool {
	if c.kind == cSignal {
		return true
	}
	if c.kind == cLeaf || c.kind == cExists {
		return c.field.needsWalk()
	}
	for _, k := range c.kids {
		if k.needsWalk() {
			return true
		}
	}
	return false
}

// valuePatterns appends the value location patterns the condition reads.
func (c *cond) valuePatterns(out []locPattern) []locPattern {
	if (c.kind == cLeaf || c.kind == cExists) && c.field.kind == fValue {
		out = append(out, c.field.pat)
	}
	for _, k := range c.kids {
		out = k.valuePatterns(out)
	}
	return out
}
