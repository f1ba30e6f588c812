package detect

import (
	"strings"

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
	if m.has(bLT) || m.has(bEq) && m.has(bQuote|bDQuote|bBacktick|bSpace|bSlash) {
		if libinjection.IsXSS(in.text) && !xssFalsePositive(in.text, m) && (in.paranoid() || !onlyInertStyle(in.text)) {
			in.emit(XSS, "xss-libinjection", 8, 0, len(in.text))
			return
		}
	}
	s := in.lower()
	if m.has(bHigh) && strings.Contains(s, "\uff1c") { // fullwidth ＜script＞
		w := strings.NewReplacer("\uff1c", "<", "\uff1e", ">").Replace(s)
		if off, sc := htmlTag(w); sc > 0 || libinjection.IsXSS(w) {
			in.emit(XSS, "xss-tag", 8, off, off+32)
			return
		}
	}
	if m.has(bColon) {
		if off, ok := scriptURL(s); ok {
			in.emit(XSS, "xss-script-url", 8, off, off+16)
			return
		}
	}
	if m.has(bLT) {
		if off, sc := htmlTag(s); sc > 0 {
			in.emit(XSS, "xss-tag", sc, off, off+32)
			return
		}
	}
	if m.has(bLT|bParen) && in.detectXSSShapes(s) {
		return
	}
	if m.has(bEq) && (m.has(bQuote|bDQuote|bLT|bBacktick|bSlash) || isSpace(s[0])) {
		if i := looseHandler(s); i >= 0 {
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
	if m.has(bParen | bBacktick | bEq | bBracket | bStar) {
		if off, sc := jsSink(s); sc > 0 {
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

// xssFalsePositive skips libinjection hits on text with no tag and no quote
// or equals sign to break out with (libinjection judges unquoted attribute
// context, where "a=b" style prose can look like an attribute).
func xssFalsePositive(s string, m mask) bool {
	if m.has(bLT) {
		// XML documents and prologs: libinjection flags "<?xml" and
		// DOCTYPEs; they need a real script vector to count.
		t := strings.ToLower(strings.TrimLeft(s, " \t\r\n\ufeff"))
		if strings.HasPrefix(t, "<?xml") || strings.HasPrefix(t, "<!doctype") || strings.HasPrefix(t, "<soap") {
			_, tag := htmlTag(t)
			_, url := scriptURL(t)
			_, sink := jsSink(t)
			return tag == 0 && !url && sink == 0
		}
		return false
	}
	// attribute-context hits need an event-handler-like or script-url token
	ls := strings.ToLower(s)
	return !strings.Contains(ls, "on") && !strings.Contains(ls, "script") && !strings.Contains(ls, "style") && !strings.Contains(ls, "src")
}

// onlyInertStyle reports whether libinjection's finding in s is owed to
// inline CSS alone: every style attribute has a quoted value with no
// construct that runs script or loads anything (expression(), url(),
// behavior, -moz-binding, @import, escapes, comments, entities) and no
// positioning (a fixed or absolute link laid over the whole page sends
// every click to the attacker's site), and s with those attributes
// renamed is no longer XSS. Rich-text editors emit
// style="text-align:center" on every paragraph; paranoia 2 still flags it.
func onlyInertStyle(s string) bool {
	low := string(appendLower(nil, s)) // ASCII only: offsets stay those of s
	if !strings.Contains(low, "style") {
		return false
	}
	b := []byte(s)
	renamed := false
	for off := 0; off < len(low); {
		i := strings.Index(low[off:], "style")
		if i < 0 {
			break
		}
		i += off
		off = i + 5
		if i == 0 || !(isSpace(low[i-1]) || low[i-1] == '"' || low[i-1] == '\'' || low[i-1] == '/') {
			continue
		}
		j := skipSpace(low, i+5)
		if j >= len(low) || low[j] != '=' {
			continue
		}
		j = skipSpace(low, j+1)
		if j >= len(low) || low[j] != '"' && low[j] != '\'' {
			return false // an unquoted style value: not judged here
		}
		e := strings.IndexByte(low[j+1:], low[j])
		if e < 0 {
			return false
		}
		v := low[j+1 : j+1+e]
		for _, w := range [...]string{"expression", "url(", "script", "behavior", "binding", "import", "position", "\\", "/*", "&", "<", ">"} {
			if strings.Contains(v, w) {
				return false
			}
		}
		if !cssFunctionsInert(v) {
			return false
		}
		b[i] = 'x' // "xtyle" is no attribute libinjection watches
		renamed = true
		off = j + 1 + e
	}
	return renamed && !libinjection.IsXSS(string(b))
}

// cssFunctionsInert reports whether every function call in a CSS value
// is one that computes a color, length or transform.
func cssFunctionsInert(v string) bool {
	for off := 0; off < len(v); {
		i := strings.IndexByte(v[off:], '(')
		if i < 0 {
			return true
		}
		i += off
		b := i
		for b > 0 && (isAlpha(v[b-1]) || v[b-1] == '-') {
			b--
		}
		switch v[b:i] {
		case "rgb", "rgba", "hsl", "hsla", "calc", "var", "min", "max", "clamp", "linear-gradient", "radial-gradient",
			"translate", "translatex", "translatey", "rotate", "scale", "minmax", "repeat":
		default:
			return false
		}
		off = i + 1
	}
	return true
}

var scriptSchemes = [...]string{"javascript:", "vbscript:", "livescript:", "data:text/html", "data:image/svg+xml", "data:application/x-javascript", "data:text/javascript", "data:application/xhtml"}

// scriptURL finds a script-capable URL scheme, ignoring the whitespace,
// control bytes and entity padding browsers ignore inside schemes, with
// code after the colon.
func scriptURL(s string) (int, bool) { return scriptURLAt(s, true) }

// scriptURLAt is scriptURL; needCode false accepts a script scheme with
// nothing after the colon.
func scriptURLAt(s string, needCode bool) (int, bool) {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], ':')
		if i < 0 {
			return 0, false
		}
		i += off
		// walk back over the scheme letters, skipping padding
		j := i
		var buf [24]byte
		n := 0
		for j > 0 && n < len(buf) {
			c := s[j-1]
			if isAlpha(c) {
				buf[len(buf)-1-n] = c
				n++
			} else if !(c <= ' ' || c == 0x7f) {
				break
			}
			j--
		}
		scheme := string(buf[len(buf)-n:])
		switch scheme {
		case "javascript", "vbscript", "livescript":
			// must be at the start of the value or after a URL-ish delimiter
			if j == 0 || strings.IndexByte("\"'=( <`[{,;", s[j-1]) >= 0 {
				rest := s[i+1:]
				if !needCode || len(strings.TrimSpace(rest)) > 0 {
					return j, true
				}
			}
		case "data":
			rest := s[i+1:]
			for _, d := range scriptSchemes[3:] {
				if strings.HasPrefix(rest, d[5:]) && (j == 0 || strings.IndexByte("\"'=( <`", s[j-1]) >= 0) {
					return j, true
				}
			}
		}
		off = i + 1
	}
	return 0, false
}

var dangerousTags = [...]string{"script", "iframe", "object", "embed", "svg", "math", "frameset", "frame", "applet", "base", "meta", "link", "style", "xss", "isindex", "marquee", "details", "form", "body", "img", "image", "video", "audio", "source", "input", "button", "textarea", "select", "keygen", "template", "a", "div", "x", "animate", "set", "xmp", "noscript", "plaintext", "portal", "html", "table", "td"}

// htmlTag finds a tag that executes script: <script>, or any tag carrying an
// on* event handler or a script URL attribute.
func htmlTag(s string) (int, int) {
	for off := 0; off < len(s); {
		i := off
		if s[i] != '<' { // in a run of tags the next one starts where this ended
			i = strings.IndexByte(s[off:], '<')
			if i < 0 {
				return 0, 0
			}
			i += off
		}
		j := i + 1
		if j < len(s) && s[j] == '/' {
			j++
		}
		k := j
		for k < len(s) && (isAlnum(s[k]) || s[k] == ':' || s[k] == '-') {
			k++
		}
		name := s[j:k]
		if name == "" {
			off = i + 1
			continue
		}
		// The tag's attributes: up to '>', the next tag, or 2 KiB, so
		// that the attribute windows of a value do not overlap and a
		// value of "<a<a<a..." is read in linear time. A later tag's
		// window covers what is cut ("<a x='<b onclick=...").
		attrs := s[k:min(len(s), k+2048)]
		if end := tagAttrsEnd(attrs); end >= 0 {
			attrs = attrs[:end]
		}
		if attrs == "" && !scriptElement(name) {
			// no attribute: only the element's name can count ("<a<a<a")
			off = max(i+1, k)
			continue
		}
		if scriptElement(name) || name == "meta" && strings.Contains(attrs, "http-equiv") || name == "base" && strings.Contains(attrs, "href") {
			return i, 9
		}
		if eventHandler(attrs) {
			return i, 8
		}
		if strings.Contains(attrs, "src") || strings.Contains(attrs, "href") || strings.Contains(attrs, "action") || strings.Contains(attrs, "style") {
			if _, ok := scriptURL(attrs); ok {
				return i, 8
			}
			if strings.Contains(attrs, "expression(") || strings.Contains(attrs, "-moz-binding") {
				return i, 7
			}
		}
		off = max(i+1, k+len(attrs))
	}
	return 0, 0
}

// scriptElement reports whether an element of this name runs or loads
// script whatever its attributes.
func scriptElement(name string) bool {
	switch name {
	case "script", "iframe", "object", "embed", "applet":
		return true
	}
	return false
}

// tagAttrsEnd returns where a tag's attribute text ends: at '>' or at the
// next '<' that opens a tag, or -1.
func tagAttrsEnd(attrs string) int {
	for i := 0; i < len(attrs); i++ {
		switch attrs[i] {
		case '>':
			return i
		case '<':
			if n := i + 1; n < len(attrs) && (isAlnum(attrs[n]) || attrs[n] == ':' || attrs[n] == '-' || attrs[n] == '/') {
				return i
			}
		}
	}
	return -1
}

// compactJS removes /* */ comments and blanks.
func compactJS(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '/' && i+1 < len(s) && s[i+1] == '*' {
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				break
			}
			i += j + 3
			continue
		}
		if isSpace(s[i]) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// looseHandler finds an event handler attribute injected after a quote or
// '<' without a complete tag: "onwebkitanimationend=, ' onabcdef =.
func looseHandler(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "on")
		if i < 0 {
			return -1
		}
		i += off
		off = i + 2
		b := i
		for b > 0 && isSpace(s[b-1]) {
			b--
		}
		// After a quote, '<' or '/', or, in an unquoted attribute, after
		// the blanks that open the value ("  onload= ").
		if b == 0 && b == i || b > 0 && !(s[b-1] == '"' || s[b-1] == '\'' || s[b-1] == '<' || s[b-1] == '/' || s[b-1] == '`') {
			continue
		}
		k := i + 2
		for k < len(s) && isAlpha(s[k]) {
			k++
		}
		if k-i < 6 {
			continue
		}
		e := skipSpace(s, k)
		if e < len(s) && s[e] == '=' {
			return i
		}
	}
	return -1
}

// eventHandler reports an on*= attribute in a tag's attribute text.
func eventHandler(attrs string) bool {
	for off := 0; off < len(attrs); {
		i := strings.Index(attrs[off:], "on")
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && (isAlnum(attrs[i-1]) || attrs[i-1] == '-' || attrs[i-1] == '_') {
			off = i + 2
			continue
		}
		k := i + 2
		for k < len(attrs) && isAlpha(attrs[k]) {
			k++
		}
		if k-i > 3 {
			e := k
			for e < len(attrs) && (isSpace(attrs[e]) || attrs[e] == 0) {
				e++
			}
			if e < len(attrs) && attrs[e] == '=' {
				return true
			}
		}
		off = i + 2
	}
	return false
}

var jsSinks = [...]string{"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "fromcharcode", "atob", "document.write", "import", "fetch", "function"}

// jsSink finds JavaScript that runs a sink after breaking out of a string or
// attribute: '-alert(1)-', ";prompt`1`//", document.cookie exfiltration.
func jsSink(s string) (int, int) {
	if i := strings.Index(s, "document.cookie"); i >= 0 {
		return i, 6
	}
	// Tagged-template calls run code without parentheses: x.call`${eval}`,
	// also with blanks and comments between the tokens.
	// compacted is s without comments and blanks, built at most once
	var compact string
	built := false
	compacted := func() string {
		if !built {
			compact, built = compactJS(s), true
		}
		return compact
	}
	t := s
	if strings.IndexByte(s, '`') >= 0 && strings.ContainsAny(s, " \t\n/") {
		t = compacted()
	}
	for _, w := range [...]string{".call`", ".apply`", ".bind`", "`${eval}", "${alert", "import("} {
		if i := strings.Index(t, w); i >= 0 {
			if len(t) != len(s) {
				i = 0
			}
			return i, 7
		}
	}
	if jsFuck(s) {
		return 0, 7
	}
	// The value is exactly a call of a JavaScript encoding builtin, a
	// probe for evaluation: atob(), btoa(x).
	if t := strings.TrimSpace(s); (strings.HasPrefix(t, "atob(") || strings.HasPrefix(t, "btoa(")) && strings.HasSuffix(t, ")") && strings.Count(t, "(") == 1 {
		return 0, 4
	}
	if i := domWrite(s); i >= 0 {
		return i, 6
	}
	// Comments and blanks between tokens: document /*x*/ . cookie,
	// (document)["cookie"], self /**/ ["alert"].
	if strings.Contains(s, "/*") || strings.Contains(s, "[") {
		c := compacted()
		for _, w := range [...]string{"document.cookie", "document[\"cookie\"]", "document['cookie']", "(document)[\"cookie\"]", "(document)['cookie']", "self[\"alert\"]", "self['alert']", "window[\"alert\"]", "top[\"alert\"]", "[\"constructor\"]", "['constructor']"} {
			if strings.Contains(c, w) {
				return 0, 7
			}
		}
	}
	// JSFuck: code written with []()!+ only.
	if len(s) > 40 {
		n := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '[', ']', '(', ')', '!', '+':
				n++
			}
		}
		if n*10 >= len(s)*9 {
			return 0, 7
		}
	}
	for _, w := range [...]string{"document.domain", "window.location", "document.location", ".innerhtml", "document.write(", "-moz-binding", "window.name", "top.location", "location.href", "localstorage.", "constructor.constructor", "window[", "self[", "top["} {
		if i := strings.Index(s, w); i >= 0 {
			return i, 6
		}
	}
	for _, w := range jsSinks[:6] {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			i += off
			k := i + len(w)
			for k < len(s) && (isSpace(s[k]) || s[k] == ')' && false) {
				k++
			}
			if (i == 0 || !isWord(s[i-1])) && k < len(s) && (s[k] == '(' || s[k] == '`') {
				a := skipSpace(s, k+1)
				// an argument that is a literal, not prose
				// setTimeout(code, 1), setInterval(name, 9): a string or
				// identifier run as code after a delay
				timer := w == "settimeout" || w == "setinterval"
				if timer && a < len(s) && isAlpha(s[a]) {
					e := a
					for e < len(s) && (isWord(s[e]) || s[e] == '.') {
						e++
					}
					if e = skipSpace(s, e); e < len(s) && s[e] == ',' {
						a = len(s) + 1
					}
				}
				if a == len(s)+1 || a < len(s) && (isDigit(s[a]) || s[a] == '\'' || s[a] == '"' || s[a] == '`' || s[a] == '/' || s[a] == ')' || strings.HasPrefix(s[a:], "document") || strings.HasPrefix(s[a:], "window") || strings.HasPrefix(s[a:], "this") || strings.HasPrefix(s[a:], "string.") || strings.HasPrefix(s[a:], "atob(") || strings.HasPrefix(s[a:], "self") || strings.HasPrefix(s[a:], "top") || strings.HasPrefix(s[a:], "location") || strings.HasPrefix(s[a:], "origin") || strings.HasPrefix(s[a:], "navigator") || strings.HasPrefix(s[a:], "globalthis")) {
					// a breakout or separator before the call
					b := i
					for b > 0 && isSpace(s[b-1]) {
						b--
					}
					if b == 0 || strings.IndexByte("'\";-+*/|&(=`>,{}[", s[b-1]) >= 0 || s[b-1] == '.' {
						return i, 7
					}
				}
			}
			off = i + 1
		}
	}
	return 0, 0
}

// htmlElementOpen reports whether s opens an HTML element: "<" directly
// followed by a tag name and then a blank, "/" or ">" ("<img src=...",
// "<svg/onload=...", "<script>"), not a comparison such as "a <b".
func htmlElementOpen(s string) bool {
	for off := 0; off < len(s); {
		i := off
		if s[i] != '<' { // "<a<a<a": the next '<' is where the name ended
			i = strings.IndexByte(s[off:], '<')
			if i < 0 {
				return false
			}
			i += off
		}
		j := i + 1
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j > i+1 && isAlpha(s[i+1]) && j < len(s) && (isSpace(s[j]) || s[j] == '/' || s[j] == '>') {
			return true
		}
		off = max(i+1, j) // s[i+1:j] holds no '<'
	}
	return false
}

// jsFuck reports JavaScript written only with []()!+ (and blanks, which a
// form decoder makes of "+"): "+!![]", "(![]+[])[+!+[]]". The value must
// hold an array literal and at least two operators, which no prose,
// markdown ("![]()") or empty list ("[]") does.
func jsFuck(s string) bool {
	ops, arr, n := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '!', '+':
			ops++
		case '[':
			arr = arr || i+1 < len(s) && s[i+1] == ']'
		case ']', '(', ')':
		case ' ', '\t':
			continue
		default:
			return false
		}
		n++
	}
	return arr && ops >= 2 && n >= 4
}

// domWrite finds script that writes to the page: a document lookup or
// element creation followed by a write to the DOM (textContent=,
// innerHTML=, appendChild(...)).
func domWrite(s string) int {
	i := strings.Index(s, "document.")
	if i < 0 || i > 0 && isWord(s[i-1]) {
		return -1
	}
	r := s[i+len("document."):]
	if !(strings.HasPrefix(r, "queryselector") || strings.HasPrefix(r, "getelementby") || strings.HasPrefix(r, "createelement") || strings.HasPrefix(r, "body.")) {
		return -1
	}
	for _, w := range [...]string{".textcontent", ".innertext", ".outerhtml", ".insertadjacenthtml(", ".appendchild(", ".setattribute(", ".src", ".href"} {
		if j := strings.Index(r, w); j >= 0 {
			e := skipSpace(r, j+len(w))
			if w[len(w)-1] == '(' || e < len(r) && r[e] == '=' && (e+1 >= len(r) || r[e+1] != '=') {
				return i
			}
		}
	}
	return -1
}

// utf7Decode decodes the UTF-7 shifted sequences (+<modified base64>-) of
// s that encode ASCII, which is how "+ADw-" hides "<"; ok is false when s
// holds none.
func utf7Decode(s string) (string, bool) {
	var b strings.Builder
	ok := false
	for i := 0; i < len(s); i++ {
		if s[i] != '+' {
			b.WriteByte(s[i])
			continue
		}
		j := i + 1
		for j < len(s) && b64Value(s[j]) >= 0 {
			j++
		}
		if j == i+1 {
			b.WriteByte('+')
			continue
		}
		// 16-bit units, big-endian, in base64 without padding
		var acc uint32
		bits := 0
		var units []uint16
		for k := i + 1; k < j; k++ {
			acc = acc<<6 | uint32(b64Value(s[k]))
			bits += 6
			if bits >= 16 {
				bits -= 16
				units = append(units, uint16(acc>>uint(bits)))
				acc &= 1<<uint(bits) - 1
			}
		}
		for _, u := range units {
			if u < 0x80 {
				b.WriteByte(byte(u))
				ok = true
			}
		}
		i = j
		if j < len(s) && s[j] != '-' {
			i = j - 1
		}
	}
	return b.String(), ok
}

// b64Value is the value of a base64 digit, or -1.
func b64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}
