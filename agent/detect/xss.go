package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/html/script"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection"
)

// detectXSS judges text as HTML or as a URL/attribute that reaches a page:
// libinjection's HTML5 tokenizer in five contexts, plus script-scheme URLs
// with whitespace and control obfuscation, event handlers, and JavaScript
// sinks after a string breakout.
func (in *input) detectXSS() {
	if in.mask.has(bParen) && in.e.Enabled(CodeInj) && in.detectScriptProbe() {
		return
	}
	if !in.e.Enabled(XSS) {
		return
	}
	m := in.mask
	if m.has(bPlus|bAmp|bHigh|bBackslash) && in.detectXSSEvasions() {
		return
	}
	if !m.has(bLT | bColon | bEq | bParen | bBacktick | bBracket | bStar) {
		if m.has(bGT) {
			in.detectXSSFragments()
		}
		return
	}
	s := in.lower()
	markup, markupLow := in.text, s // what the markup readings judge
	if m.has(bLT) && !in.paranoid() && scriptInSentence(s) && html.InertScripts(s) {
		// every <script> in it is a mention that runs nothing ("why is
		// my <script> tag not executing?"): the rest of its markup is
		// still read
		markup, markupLow = mentionedScripts(in.text, s), mentionedScripts(s, s)
	}
	if m.has(bLT) || m.has(bEq) && m.has(bQuote|bDQuote|bBacktick|bSpace|bSlash) {
		if libinjection.IsXSS(markup) && !xssFalsePositive(in.text, m) && (in.paranoid() || !html.OnlyInertStyle(in.text)) {
			in.emit(XSS, "xss-libinjection", 8, 0, len(in.text))
			return
		}
	}
	if m.has(bHigh) && strings.Contains(s, "\uff1c") { // fullwidth ＜script＞
		w := strings.NewReplacer("\uff1c", "<", "\uff1e", ">").Replace(s)
		if off, sc := html.Tag(w); sc > 0 || libinjection.IsXSS(w) {
			in.emit(XSS, "xss-tag", 8, off, off+32)
			return
		}
	}
	if m.has(bColon) {
		if off, ok := html.ScriptURL(s); ok {
			in.emit(XSS, "xss-script-url", 8, off, off+16)
			return
		}
	}
	if m.has(bLT) {
		if off, sc := html.Tag(markupLow); sc > 0 {
			in.emit(XSS, "xss-tag", sc, off, off+32)
			return
		}
		if off := html.RawTextClose(s); off >= 0 {
			in.emit(XSS, "xss-tag", 7, off, off+16)
			return
		}
	}
	if m.has(bLT|bParen) && in.detectXSSShapes(s) {
		return
	}
	if m.has(bEq) && (m.has(bQuote|bDQuote|bLT|bBacktick|bSlash) || isSpace(s[0])) {
		if i := html.LooseHandler(s); i >= 0 {
			in.emit(XSS, "xss-event-handler", 6, i, i+24)
			return
		}
		// formaction= after a quote breakout turns a button into a
		// script-URL submitter: "'formaction=javascript:..."
		if i := strings.Index(s, "formaction"); i > 0 && (s[i-1] == '"' || s[i-1] == '\'' || s[i-1] == '/' || isSpace(s[i-1]) && strings.ContainsAny(s[:i], "\"'")) {
			if e := skipSpace(s, i+10); e < len(s) && s[e] == '=' {
				in.emit(XSS, "xss-event-handler", 6, i, i+24)
				return
			}
		}
	}
	if m.has(bLT) && strings.Contains(s, "vmlframe") {
		in.emit(XSS, "xss-tag", 7, strings.Index(s, "vmlframe"), 32)
		return
	}
	if m.has(bPlus) && m.has(bQuote|bDQuote) && in.detectConcatenated(s) {
		return
	}
	if m.has(bParen | bBacktick | bEq | bBracket | bStar) {
		if off, sc := script.Sink(s, in.lowerBytes()); sc > 0 {
			in.emit(XSS, "xss-js-sink", sc, off, off+24)
			return
		}
	}
	if m.has(bBackslash|bEq) && in.detectXSSScriptFragments() {
		return
	}
	if m.has(bGT | bLT) {
		in.detectXSSFragments()
	}
}

// detectConcatenated judges what the string literals joined by '+' in s
// spell ('java'+'script:'+'alert(1)'): a script URL or a sink call that
// only the script's own concatenation puts together. It reports whether
// it emitted a signal.
func (in *input) detectConcatenated(s string) bool {
	b, ok := script.Concatenation(nil, s)
	if !ok {
		return false
	}
	f := string(b)
	if _, ok := html.ScriptURL(f); ok {
		in.emit(XSS, "xss-script-url", 8, 0, 32)
		return true
	}
	have := lex.BytesOf(f)
	if _, sc := script.Sink(f, &have); sc > 0 {
		in.emit(XSS, "xss-js-sink", sc, 0, 32)
		return true
	}
	return false
}

// xssFalsePositive skips libinjection hits on text with no tag and no quote
// or equals sign to break out with (libinjection judges unquoted attribute
// context, where "a=b" style prose can look like an attribute).
func xssFalsePositive(s string, m mask) bool {
	if m.has(bLT) {
		// XML documents and prologs: libinjection flags "<?xml" and
		// DOCTYPEs; they need a real script vector to count.
		t := strings.ToLower(strings.TrimLeft(s, " \t\r\n\ufeff"))
		if strings.HasPrefix(t, "<?xml") || strings.HasPrefix(t, "<!doctype") || strings.HasPrefix(t, "<soap") {
			_, tag := html.Tag(t)
			_, url := html.ScriptURL(t)
			tb := lex.BytesOf(t)
			_, sink := script.Sink(t, &tb)
			return tag == 0 && !url && sink == 0
		}
		return false
	}
	// attribute-context hits need an event-handler-like or script-url token
	ls := strings.ToLower(s)
	return !strings.Contains(ls, "on") && !strings.Contains(ls, "script") && !strings.Contains(ls, "style") && !strings.Contains(ls, "src")
}

// mentionedScripts returns t with each "<script" that low (t lower-cased,
// byte for byte) holds spelt "<scr_pt": a name no markup reading takes for
// the script element, at the same offsets. A copy only when there is one.
func mentionedScripts(t, low string) string {
	if len(t) != len(low) {
		return t
	}
	var b []byte
	for off := 0; ; {
		i := strings.Index(low[off:], "<script")
		if i < 0 {
			break
		}
		i += off
		if b == nil {
			b = []byte(t)
		}
		b[i+4] = '_'
		off = i + len("<script")
	}
	if b == nil {
		return t
	}
	return string(b)
}

// scriptInSentence reports whether s (lower-cased) reads as a sentence that
// mentions a script element: a word stands before the first "<script",
// and the value has at least three blanks. A probe ("\"><script>", a
// lone "<script>") is neither.
func scriptInSentence(s string) bool {
	i := strings.Index(s, "<script")
	if i <= 0 || !blanksAtLeast(s, 3) {
		return false
	}
	j := lex.SkipSpaceBack(s, i)
	for j > 0 && (s[j-1] == '(' || s[j-1] == '`' || s[j-1] == '"' || s[j-1] == '\'') {
		j-- // "(for example <script>", "the `<script>` tag"
	}
	return j > 0 && lex.IsAlpha(s[j-1])
}
