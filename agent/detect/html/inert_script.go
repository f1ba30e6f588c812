package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// maxInertScripts bounds the script elements InertScripts reads: a value
// with more is not a sentence that mentions one.
const maxInertScripts = 3

// InertScripts reports whether every <script> element in s (lower-cased)
// is one a sentence mentions and a browser could not run anything from:
// "Why is my <script> tag not executing?", "<script defer> and <script
// async>". Each must load nothing (no attribute but defer, async,
// nomodule, type, language, charset, nonce or crossorigin: no src) and
// hold, up to its end tag or the value's end, no JavaScript that acts:
// no call ("f(", ")(", "f?.(", a tag before a template, "f`x`"), no '=' (an
// assignment, a handler set), no constructor or import ("new ",
// "import"), no template substitution, and none of the names through
// which a coercion calls a function ("valueOf", "toString",
// "Symbol.toPrimitive", "hasInstance"). Such text is a syntax error, an
// unknown name or an expression without effect, so the element runs
// nothing; a value with no <script> at all is not one this reports on.
func InertScripts(s string) bool {
	n := 0
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "<script")
		if i < 0 {
			break
		}
		i += off
		if n++; n > maxInertScripts {
			return false
		}
		open := i + len("<script")
		if open < len(s) && lex.IsWord(s[open]) {
			return false // <scripts>, <script_x>: not the element; let others judge
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 || !inertScriptAttributes(s[open:open+end]) {
			return false
		}
		body := s[open+end+1:]
		if close := strings.Index(body, "</script"); close >= 0 {
			body = body[:close]
		}
		if !inertScriptBody(body) {
			return false
		}
		off = open + end + 1
	}
	return n > 0
}

// inertScriptAttributes reports whether a script tag's attribute text
// names only attributes that load and run nothing by themselves.
func inertScriptAttributes(attrs string) bool {
	for _, f := range strings.Fields(strings.TrimSuffix(attrs, "/")) {
		name, _, _ := strings.Cut(f, "=")
		switch name {
		case "defer", "async", "nomodule", "type", "language", "charset", "nonce", "crossorigin":
		default:
			if strings.ContainsAny(f, "\"'") && !strings.Contains(f, "=") {
				continue // the rest of a quoted value: type="text/javascript"
			}
			return false
		}
	}
	return true
}

// inertScriptBody reports whether JavaScript source b (lower-cased) holds
// nothing that acts (see InertScripts).
func inertScriptBody(b string) bool {
	if strings.IndexByte(b, '=') >= 0 || strings.Contains(b, "${") {
		return false
	}
	for _, w := range [...]string{"new ", "import", "valueof", "tostring", "toprimitive", "hasinstance", "symbol"} {
		if strings.Contains(b, w) {
			return false
		}
	}
	template := false // inside a template literal, whose text calls nothing
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '`' && template {
			template = false
			continue
		}
		if c != '(' && c != '`' || template {
			continue
		}
		template = c == '`'
		p := lex.SkipSpaceBack(b, i)
		if p > 0 && (lex.IsWord(b[p-1]) || b[p-1] == ')' || b[p-1] == ']' || b[p-1] == '$' || b[p-1] == '.') {
			return false // a call, or a tag before a template
		}
	}
	return true
}
