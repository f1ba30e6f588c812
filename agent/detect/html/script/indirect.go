package script

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// indirectCall finds a sink taken as a value, not called by its name, and
// called all the same: assigned to a name that s then calls (a=eval;a(b),
// $$$=eval,$$$(x), x=alert;x`1`), called in parentheses ((alert)(1)), or
// handed to a method that calls it ([1].find(alert), x.map(eval)).
// Filters that look for the sink's name followed by "(" miss each. It
// returns the offset of the sink, or -1.
//
// Two passes, each linear: the assignments of a sink to a name (the first
// of each name kept), then the calls, each looked up by the name before
// its "(" or "`" among the names assigned before it.
func indirectCall(s string, have *lex.ByteSet) int {
	if !have.Has('(') && !have.Has('`') {
		return -1
	}
	assigns := have.Has('=')
	type site struct{ sink, end int } // the sink's offset, where its assignment ends
	var assigned map[string]site
	var first, last lex.ByteSet // the first and last bytes of the names assigned
	prev := ""                  // the name assigned last: a run of one name is looked up once
	for i, w := range sinkOccurrences(s, have) {
		if calledAsValue(s, i, w) {
			return i
		}
		if !assigns {
			continue
		}
		if name, end, ok := aliasAssignment(s, i, w); ok {
			if assigned == nil {
				assigned = make(map[string]site)
			}
			if name == prev {
				continue // a run of one name: its first assignment is kept
			}
			prev = name
			if _, ok := assigned[name]; !ok {
				assigned[name] = site{i, end}
			}
			first.Add(name[0])
			last.Add(name[len(name)-1])
		}
	}
	if assigned == nil {
		return -1
	}
	for off := 0; off < len(s); {
		j := strings.IndexAny(s[off:], "(`")
		if j < 0 {
			break
		}
		j += off
		off = j + 1
		e := lex.SkipSpaceBack(s, j)
		b := e
		for b > 0 && e-b < 32 && (lex.IsWord(s[b-1]) || s[b-1] == '$' || s[b-1] == '.') {
			b--
		}
		if b == e || b > 0 && (lex.IsWord(s[b-1]) || s[b-1] == '$' || s[b-1] == '.') || !first.Has(s[b]) || !last.Has(s[e-1]) {
			continue
		}
		if a, ok := assigned[s[b:e]]; ok && a.end <= b {
			return a.sink
		}
	}
	return -1
}

// aliasAssignment reports whether the sink w at s[i:] is assigned, as a
// value, to a name (returned), and where that assignment ends.
func aliasAssignment(s string, i int, w string) (name string, end int, ok bool) {
	k := lex.SkipSpace(s, i+len(w))
	if k < len(s) && (lex.IsWord(s[k]) || s[k] == '(' || s[k] == '`' || s[k] == '.' || s[k] == '$' || s[k] == '[') {
		return "", 0, false // called, a longer name, or a member of it
	}
	if i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '$' || s[i-1] == '.') {
		return "", 0, false // the end of a longer name
	}
	b := lex.SkipSpaceBack(s, i)
	if b == 0 || s[b-1] != '=' || b >= 2 && strings.IndexByte("=!<>+-*/%&|^", s[b-2]) >= 0 {
		return "", 0, false // not a plain assignment
	}
	e := lex.SkipSpaceBack(s, b-1)
	start := e
	for start > 0 && e-start < 32 && (lex.IsWord(s[start-1]) || s[start-1] == '$' || s[start-1] == '.') {
		start--
	}
	if start == e || s[start] == '.' {
		return "", 0, false
	}
	return s[start:e], k, true
}

// calledAsValue reports whether the sink w at s[i:] stands alone in
// parentheses that are called, (alert)(1), or that pass it to a method,
// [1].find(alert).
func calledAsValue(s string, i int, w string) bool {
	k := i + len(w)
	if i == 0 || s[i-1] != '(' || k >= len(s) || s[k] != ')' {
		return false
	}
	if k+1 < len(s) && (s[k+1] == '(' || s[k+1] == '`') {
		return true // (alert)(1)
	}
	b := i - 1
	for b > 0 && lex.IsWord(s[b-1]) {
		b--
	}
	return b < i-1 && b > 0 && s[b-1] == '.' // .find(alert)
}
