// Package xpath reads a value as a fragment spliced into an XPath query.
package xpath

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// XPath injection: a value spliced into an XPath query
// ("//user[name/text()='" + v + "']") that leaves its string literal and
// asks about the document. The readings need XPath's own grammar, which
// prose and other languages do not write: a location step with an axis
// ("child::node()"), a quote followed by OR/AND and an XPath node
// function ("' or name()='admin"), or a quote that closes the predicate
// and starts another path ("'] | //*").

// axes are XPath 1.0's axis names.
var axes = [...]string{
	"ancestor-or-self::", "ancestor::", "attribute::", "child::", "descendant-or-self::", "descendant::",
	"following-sibling::", "following::", "namespace::", "parent::", "preceding-sibling::", "preceding::", "self::",
}

// funcs are XPath functions that read the document's structure, the
// ones blind XPath injection is made of.
var funcs = [...]string{
	"name(", "local-name(", "text(", "node(", "count(", "string-length(", "substring(", "position(",
	"last(", "contains(", "starts-with(", "string(", "normalize-space(", "translate(", "boolean(",
}

// Injection returns the offset and score of an XPath reading of s
// (lower-cased), or -1.
func Injection(s string) (int, int) {
	for _, a := range axes {
		if i := strings.Index(s, a); i >= 0 && (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') {
			// a node test after the axis: a name, *, or node()/text()
			if j := i + len(a); j < len(s) && (lex.IsAlpha(s[j]) || s[j] == '*') {
				return i, 7
			}
		}
	}
	// a node function over an absolute location path, the shape of blind
	// extraction: substring(//user[userid=5]/username,2,1), count(/*)
	for _, fn := range funcs {
		if i := strings.Index(s, fn); i >= 0 && (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') {
			if a := lex.SkipSpace(s, i+len(fn)); a < len(s) && s[a] == '/' && a+1 < len(s) && (s[a+1] == '/' || s[a+1] == '*' || lex.IsAlpha(s[a+1])) {
				return i, 7
			}
		}
	}
	for off := 0; off < len(s); {
		// (performance only: the next quote by a byte loop, not
		// strings.IndexAny, which builds its byte set on every call and
		// is called once per quote of a quote run)
		q := off
		for q < len(s) && s[q] != '\'' && s[q] != '"' {
			q++
		}
		if q == len(s) {
			break
		}
		off = q + 1
		r := lex.SkipSpace(s, q+1)
		// '] | //x or '] /x: the predicate closed, a new path begins
		if r < len(s) && s[r] == ']' {
			if n := lex.SkipSpace(s, r+1); n < len(s) && (s[n] == '|' || s[n] == '/') {
				return q, 7
			}
		}
		var w string
		switch {
		case strings.HasPrefix(s[r:], "or "):
			w = "or "
		case strings.HasPrefix(s[r:], "and "):
			w = "and "
		default:
			continue
		}
		f := lex.SkipSpace(s, r+len(w))
		for _, fn := range funcs {
			if strings.HasPrefix(s[f:], fn) {
				return q, 8
			}
		}
	}
	return -1, 0
}
