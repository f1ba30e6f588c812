package policy

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// regexMatcher is a regex condition with a prefilter: literals one of
// which every match contains, found in the expression's syntax tree, so
// that a value holding none of them is answered without running the
// expression. Rules such as user-agent (?i)(curl|wget)/ are asked about
// every request, and almost every value holds none of their words.
type regexMatcher struct {
	re *regexp.Regexp
	// need holds the literals, lower-cased when fold is set; empty when
	// the expression has no such set (.*, a class, an optional part).
	need []string
	fold bool
}

// newRegexMatcher compiles expr's prefilter beside re.
func newRegexMatcher(re *regexp.Regexp, expr string) regexMatcher {
	m := regexMatcher{re: re}
	t, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return m
	}
	need, fold, ok := required(t.Simplify())
	if !ok {
		return m
	}
	if fold {
		for i, n := range need {
			need[i] = strings.ToLower(n)
		}
	}
	m.need, m.fold = need, fold
	return m
}

func (m regexMatcher) match(s string) bool {
	if len(m.need) > 0 && !m.mayMatch(s) {
		return false
	}
	return m.re.MatchString(s)
}

// mayMatch reports whether s holds one of the needed literals. A folded
// comparison is ASCII's: a value with other bytes may match by Unicode
// folding (the Kelvin sign is a 'k' to (?i)) and is left to the
// expression.
func (m regexMatcher) mayMatch(s string) bool {
	if m.fold {
		if !isASCII(s) {
			return true
		}
		// lower-cased once, searched as foldContainsMatcher does: linear
		// in the value whatever the needles
		s = strings.ToLower(s)
	}
	for _, n := range m.need {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// maxNeeded bounds the literals of a prefilter: past that many, running
// the expression costs less than looking for each.
const maxNeeded = 8

// required returns literals one of which every match of t contains, and
// whether any is case-folded (then all are compared so); ok is false when
// there is no such set. Only ASCII literals are kept.
func required(t *syntax.Regexp) (need []string, fold, ok bool) {
	switch t.Op {
	case syntax.OpLiteral:
		s := string(t.Rune)
		if s == "" || !isASCII(s) {
			return nil, false, false
		}
		return []string{s}, t.Flags&syntax.FoldCase != 0 && hasLetter(s), true
	case syntax.OpCapture, syntax.OpPlus:
		return required(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return required(t.Sub[0])
		}
	case syntax.OpConcat:
		// the part whose literals are the rarest: the longest shortest one
		best := -1
		for _, sub := range t.Sub {
			n, f, ok := required(sub)
			if !ok {
				continue
			}
			if short := shortest(n); short > best {
				best, need, fold = short, n, f
			}
		}
		return need, fold, best > 0
	case syntax.OpAlternate:
		for _, sub := range t.Sub {
			n, f, ok := required(sub)
			if !ok || len(need)+len(n) > maxNeeded {
				return nil, false, false
			}
			need, fold = append(need, n...), fold || f
		}
		return need, fold, len(need) > 0
	}
	return nil, false, false
}

func shortest(need []string) int {
	n := -1
	for _, s := range need {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }) >= 0
}
