package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/html/script"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Paranoia-2 XSS fragments: pieces of markup that break out of or into a
// page context but also occur in legitimate text ("A --> B" in notes,
// "<style>" in a CMS field).

// detectXSSFragments runs the paranoia-2 markup checks; s is lower-cased.
func (in *input) detectXSSFragments() {
	if !in.paranoid() {
		return
	}
	s := in.lower()
	// the end of an HTML comment: input that closes one the page opened
	if i := lex.Index(s, "-->"); i >= 0 {
		in.emit(XSS, "xss-comment-close", 5, i, i+16)
		return
	}
	if !in.mask.has(bLT) {
		return
	}
	// markup in a parameter name: the page may echo names too
	if (in.isKey || in.sink == sinkKey) && html.ElementOpen(s) {
		in.emit(XSS, "xss-tag", 6, strings.IndexByte(s, '<'), len(s))
		return
	}
	if i := html.LegacyTag(s); i >= 0 {
		in.emit(XSS, "xss-tag", 5, i, i+24)
	}
}

// detectXSSScriptFragments runs the paranoia-2 script checks: pieces of
// JavaScript that break out of a string, which code snippets and
// configuration text can also hold. It reports whether it emitted.
func (in *input) detectXSSScriptFragments() bool {
	if !in.paranoid() {
		return false
	}
	m := in.mask
	if m.has(bBackslash) {
		if i := script.EscapedIdentifier(in.text); i >= 0 {
			in.emit(XSS, "xss-js-escape", 5, i, i+32)
			return true
		}
	}
	if m.has(bEq) && m.has(bDot) && m.has(bQuote|bDQuote) {
		if i := script.BreakoutAssign(in.lower()); i >= 0 {
			in.emit(XSS, "xss-breakout-assign", 5, i, i+32)
			return true
		}
	}
	return false
}
