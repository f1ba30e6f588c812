package policy

import (
	"fmt"
	"strings"
)

// locPattern matches event.Value locations such as "body.items[2].sku".
// Segments are separated by '.' or written as [index]; in a pattern, *
// matches one segment (a key or an index), [*] any index, ** any number of
// segments (including none), and a * inside a key is a glob ("x-amz-*").
type locPattern struct {
	raw  string
	segs []patSeg
}

type patSeg struct {
	text  string
	index bool // written [..]
	any   bool // * or [*]
	deep  bool // **
	glob  bool // key containing *
}

func compileLocPattern(s string) (locPattern, error) {
	p := locPattern{raw: s}
	if s == "" {
		return p, fmt.Errorf("empty location pattern")
	}
	for i := 0; i < len(s); {
		seg, index, j, ok := nextSeg(s, i)
		if !ok {
			return p, fmt.Errorf("malformed location pattern %q (unbalanced [ ] or empty segment)", s)
		}
		ps := patSeg{text: seg, index: index}
		switch {
		case seg == "**" && !index:
			ps.deep = true
		case seg == "*":
			ps.any = true
		case strings.Contains(seg, "*"):
			if index {
				return p, fmt.Errorf("location pattern %q: an index is a number or *", s)
			}
			ps.glob = true
		}
		p.segs = append(p.segs, ps)
		i = j
	}
	deep := 0
	for _, ps := range p.segs {
		if ps.deep {
			deep++
		}
	}
	if deep > 1 {
		// Each ** backtracks over the location's segments: one keeps a
		// match linear in the (attacker-controlled) location's length.
		return p, fmt.Errorf("location pattern %q: at most one ** per pattern", s)
	}
	return p, nil
}

// nextSeg reads the segment starting at s[i]: "a" in "a.b", "2" (index) in
// "[2].b". ok is false on malformed input.
func nextSeg(s string, i int) (seg string, index bool, next int, ok bool) {
	if i < len(s) && s[i] == '.' {
		i++
	}
	if i >= len(s) {
		return "", false, i, false
	}
	if s[i] == '[' {
		k := strings.IndexByte(s[i:], ']')
		if k < 0 {
			return "", false, i, false
		}
		return s[i+1 : i+k], true, i + k + 1, true
	}
	j := i
	for j < len(s) && s[j] != '.' && s[j] != '[' {
		j++
	}
	if j == i {
		return "", false, i, false
	}
	return s[i:j], false, j, true
}

func (p *locPattern) match(loc string) bool {
	return matchSegs(p.segs, loc, 0)
}

func matchSegs(pat []patSeg, loc string, i int) bool {
	for k, ps := range pat {
		if ps.deep {
			rest := pat[k+1:]
			if len(rest) == 0 {
				return true
			}
			for j := i; ; {
				if matchSegs(rest, loc, j) {
					return true
				}
				_, _, nj, ok := nextSeg(loc, j)
				if !ok {
					return false
				}
				j = nj
			}
		}
		seg, index, j, ok := nextSeg(loc, i)
		if !ok {
			return false
		}
		switch {
		case ps.any:
			if ps.index && !index {
				return false
			}
		case ps.index != index:
			return false
		case ps.glob:
			if !globMatch(ps.text, seg) {
				return false
			}
		case ps.text != seg:
			return false
		}
		i = j
	}
	return i >= len(loc)
}

// globMatch matches s against a pattern where * matches any run of bytes.
func globMatch(pat, s string) bool {
	// Classic linear-time wildcard matching with one backtrack point.
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pat) && pat[px] == '*':
			star, mark = px, sx
			px++
		case px < len(pat) && pat[px] == s[sx]:
			px++
			sx++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pat) && pat[px] == '*' {
		px++
	}
	return px == len(pat)
}

// routePattern matches a request's method and path: "POST /users/{id}",
// "/static/**", "GET /a/*/b". A request also matches when the route the
// platform matched (routeKey, resource) is the pattern itself.
type routePattern struct {
	raw    string
	method string // "" = any
	tmpl   string // the path template as written
	segs   []routeSeg
	params []string // names of {param} segments, in order
}

type routeSeg struct {
	text  string
	param bool // {x} or *
	deep  bool // ** or {x+}
}

func compileRoute(s string) (routePattern, error) {
	r := routePattern{raw: s}
	s = strings.TrimSpace(s)
	if m, rest, ok := strings.Cut(s, " "); ok {
		r.method = strings.ToUpper(m)
		if r.method == "ANY" || r.method == "*" {
			r.method = ""
		}
		s = strings.TrimSpace(rest)
	}
	if !strings.HasPrefix(s, "/") {
		return r, fmt.Errorf("route %q: expected \"[METHOD] /path\" with the path starting with /", r.raw)
	}
	r.tmpl = s
	for _, seg := range strings.Split(strings.Trim(s, "/"), "/") {
		if seg == "" {
			continue
		}
		switch {
		case seg == "**":
			r.segs = append(r.segs, routeSeg{deep: true})
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}"):
			r.params = append(r.params, seg[1:len(seg)-2])
			r.segs = append(r.segs, routeSeg{deep: true, param: true, text: seg[1 : len(seg)-2]})
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			r.params = append(r.params, seg[1:len(seg)-1])
			r.segs = append(r.segs, routeSeg{param: true, text: seg[1 : len(seg)-1]})
		case seg == "*":
			r.segs = append(r.segs, routeSeg{param: true})
		case strings.ContainsAny(seg, "{}"):
			return r, fmt.Errorf("route %q: a parameter must be a whole segment ({name})", r.raw)
		default:
			r.segs = append(r.segs, routeSeg{text: seg})
		}
	}
	for i, sg := range r.segs {
		if sg.deep && i != len(r.segs)-1 {
			return r, fmt.Errorf("route %q: ** or {name+} must be the last segment", r.raw)
		}
	}
	return r, nil
}

// match reports whether the request matches; when params is non-nil, the
// values of named parameters are appended to it in order.
func (r *routePattern) match(method, path string, params []string) ([]string, bool) {
	if r.method != "" && method != "" && r.method != method {
		return params, false
	}
	i := 0
	for len(path) > 0 && path[0] == '/' {
		path = path[1:]
	}
	for k, sg := range r.segs {
		if sg.deep {
			if sg.param {
				params = append(params, path[i:])
			}
			return params, true
		}
		for i < len(path) && path[i] == '/' {
			i++
		}
		if i >= len(path) {
			return params, false
		}
		j := strings.IndexByte(path[i:], '/')
		if j < 0 {
			j = len(path)
		} else {
			j += i
		}
		seg := path[i:j]
		if sg.param {
			if sg.text != "" {
				params = append(params, seg)
			}
		} else if seg != sg.text {
			return params, false
		}
		i = j
		_ = k
	}
	for i < len(path) && path[i] == '/' {
		i++
	}
	return params, i >= len(path)
}

// matchRequest matches the route against the platform's route key first
// (cheap and exact), then the path.
func (r *routePattern) matchRequest(method, path, routeKey string) bool {
	if routeKey != "" && (routeKey == r.raw || routeKey == r.tmpl && (r.method == "" || r.method == method)) {
		return true
	}
	_, ok := r.match(method, path, nil)
	return ok
}

// locSet answers whether a location matches any of a set of patterns
// without trying every pattern on every value: patterns that begin with a
// plain key ("body", "header") are filed under it, so a value is tried only
// against the patterns of its own first segment and those that begin with
// a wildcard or an index. Identical patterns (many rules read the same
// field) are tried once. It is built once per policy and never changed.
type locSet struct {
	pats  []locPattern
	byKey map[string][]int // first segment → indexes into pats
	rest  []int            // patterns whose first segment is not a plain key
	// firsts marks the first bytes of byKey's keys: with no rest, a
	// location that opens with none of them matches nothing, and every
	// decoded value is asked about (a header's, a cookie's, while the
	// rules read the body)
	firsts [256]bool
}

func newLocSet(pats []locPattern) locSet {
	s := locSet{byKey: map[string][]int{}}
	seen := map[string]bool{}
	for _, p := range pats {
		if seen[p.raw] {
			continue
		}
		seen[p.raw] = true
		i := len(s.pats)
		s.pats = append(s.pats, p)
		if len(p.segs) > 0 {
			if f := p.segs[0]; !f.index && !f.any && !f.deep && !f.glob {
				s.byKey[f.text] = append(s.byKey[f.text], i)
				s.firsts[f.text[0]] = true
				continue
			}
		}
		s.rest = append(s.rest, i)
	}
	return s
}

// match reports whether loc matches any pattern of the set.
func (s *locSet) match(loc string) bool {
	if len(s.rest) == 0 && (loc == "" || loc[0] != '.' && !s.firsts[loc[0]]) {
		return false // no key opens with its first byte (nextSeg skips a leading '.')
	}
	// A plain-key first segment matches only a location whose first
	// segment is that key (matchSegs compares it as text).
	if seg, index, _, ok := nextSeg(loc, 0); ok && !index {
		for _, i := range s.byKey[seg] {
			if s.pats[i].match(loc) {
				return true
			}
		}
	}
	for _, i := range s.rest {
		if s.pats[i].match(loc) {
			return true
		}
	}
	return false
}
