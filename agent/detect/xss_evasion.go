package detect

import (
	"strings"
	"unicode/utf8"
)

// XSS filter evasions: markup and script URLs written so that the text
// itself holds no "<script" or "javascript:", while a browser, an XML
// reader or a lenient server sees one. Each reading below is one that
// legitimate input has no reason to need; every scan is linear in the
// value (a bounded window per candidate, and the windows of successive
// candidates do not overlap).

// detectXSSEvasions judges the readings whose trigger bytes ('+', '&',
// high bytes, backslash escapes) the XSS prefilter does not admit on
// their own. It reports whether it emitted a signal.
func (in *input) detectXSSEvasions() bool {
	m := in.mask
	if m.has(bPlus) && m.has(bDash) && in.detectUTF7() {
		return true
	}
	if m.has(bAmp) {
		if off, ok := in.entityScriptURL(); ok {
			in.emit(XSS, "xss-script-url", 8, off, off+24)
			return true
		}
	}
	if m.has(bHigh) || m.has(bBackslash) {
		if off, ok := in.highBitTag(); ok {
			in.emit(XSS, "xss-tag", 8, off, off+32)
			return true
		}
	}
	return false
}

// detectXSSPlain judges a value the prefilter found plain (letters,
// digits, blanks, '+', '-' ...) for the one markup such a value can
// hide: UTF-7, whose shifted sequences are made of exactly those bytes.
func (in *input) detectXSSPlain() {
	if in.e.Enabled(XSS) && !in.certain() {
		in.detectUTF7()
	}
}

// detectUTF7 finds markup written in UTF-7 (+ADw-script+AD4- is <script>
// to a UTF-7 reader: old browsers sniffed the charset of a page); it
// reports whether it emitted a signal.
func (in *input) detectUTF7() bool {
	if !strings.Contains(in.lower(), "+ad") {
		return false
	}
	if w, ok := utf7Decode(in.text); ok { // base64 is case-sensitive
		if off, sc := htmlTag(strings.ToLower(w)); sc > 0 {
			in.emit(XSS, "xss-tag", sc, off, off+32)
			return true
		}
	}
	return false
}

// entityScriptURL decodes the character references a browser decodes in
// an attribute before it parses the URL (&colon;, &#106;, &#x3a;) and the
// ones it then drops from the URL (&Tab;, &NewLine;, &#9;, &#10;, &#13;):
// "ja&Tab;vascript:" and "v&NewLine;b&Tab;s...t&colon;" are script URLs.
// An entity inside the scheme name is evidence on its own, even with no
// code after the colon yet; an encoded scheme with its letters intact
// needs code after the colon, as a plain one does.
func (in *input) entityScriptURL() (int, bool) {
	s := in.lower()
	if !strings.Contains(s, "&tab") && !strings.Contains(s, "&newline") && !strings.Contains(s, "&colon") && !strings.Contains(s, "&#") {
		return 0, false
	}
	var changed bool
	in.sc.tmp, changed = decodeURLEntities(in.sc.tmp[:0], s)
	if !changed {
		return 0, false
	}
	w := unsafeString(in.sc.tmp)
	if off, ok := scriptURL(w); ok {
		return min(off, len(s)), true
	}
	if _, ok := scriptURLEmpty(w); ok {
		for _, lit := range [...]string{"javascript:", "vbscript:", "livescript:"} {
			if strings.Contains(s, lit) {
				return 0, false // the scheme was written plainly: it needs code
			}
		}
		return 0, true
	}
	return 0, false
}

// decodeURLEntities appends s to dst with the character references of
// URL punctuation decoded and those of tab, line feed and carriage return
// removed (the URL parser strips those anywhere in a URL). Numeric
// references of other ASCII characters are decoded too; &lt; and its
// kin stay, since "&lt;script&gt;" is how text shows markup safely.
func decodeURLEntities(dst []byte, s string) ([]byte, bool) {
	changed := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '&' {
			dst = append(dst, c)
			continue
		}
		r := s[i+1:]
		switch {
		case strings.HasPrefix(r, "tab;"):
			i += len("tab;")
			changed = true
			continue
		case strings.HasPrefix(r, "newline;"):
			i += len("newline;")
			changed = true
			continue
		case strings.HasPrefix(r, "colon;"):
			dst = append(dst, ':')
			i += len("colon;")
			changed = true
			continue
		case strings.HasPrefix(r, "#"):
			if v, n := numericRef(r[1:]); n > 0 && v < 0x80 {
				if v != '\t' && v != '\n' && v != '\r' {
					dst = append(dst, byte(v))
				}
				i += 1 + n
				changed = true
				continue
			}
		}
		dst = append(dst, c)
	}
	return dst, changed
}

// numericRef reads the digits of a numeric character reference after
// "&#" ("106;", "x6a", "0000106"), browsers' way: the ';' is optional and
// leading zeros are allowed. n is the bytes read (0: none); the value is
// capped so that overlong digit runs cannot overflow.
func numericRef(r string) (v int, n int) {
	hex := len(r) > 0 && r[0] == 'x'
	i := 0
	if hex {
		i = 1
	}
	start := i
digits:
	for ; i < len(r) && i-start < 16; i++ {
		c := r[i]
		var d int
		switch {
		case isDigit(c):
			d = int(c - '0')
		case hex && c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		default:
			break digits
		}
		if hex {
			v = min(v*16+d, 1<<24)
		} else {
			v = min(v*10+d, 1<<24)
		}
	}
	if i == start {
		return 0, 0
	}
	if i < len(r) && r[i] == ';' {
		i++
	}
	return v, i
}

// scriptURLEmpty is scriptURL without the need for code after the colon.
func scriptURLEmpty(s string) (int, bool) {
	return scriptURLAt(s, false)
}

// highBitTag reads the value the way a server that decodes it as 7-bit
// US-ASCII does: the high bit of each byte (or the low seven bits of each
// character) dropped, so "¼script¾" (0xBC, 0xBE), "\xbcscript\xbe" and
// the Cyrillic "мscriptо" (U+043C, U+043E) all become "<script>". Only the
// markup punctuation such a reading produces is kept (other characters
// become '_', which no tag name holds), so non-Latin prose cannot spell a
// tag name: the name after the '<' must be ASCII in the value itself. The
// reading counts only for a whole script-running element (see below).
func (in *input) highBitTag() (int, bool) {
	s := in.lower()
	esc := in.mask.has(bBackslash) && strings.Contains(s, `\xbc`)
	if !esc && strings.IndexByte(s, 0xbc) < 0 {
		return 0, false // every form of '<' in this reading has a 0xBC byte
	}
	raw := s
	if esc {
		// \xHH escapes (a JavaScript, PHP or C string) first
		in.sc.norm = in.sc.norm[:0]
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
				if b, ok := unhex2(s[i+2], s[i+3]); ok {
					in.sc.norm = append(in.sc.norm, b)
					i += 3
					continue
				}
			}
			in.sc.norm = append(in.sc.norm, s[i])
		}
		raw = unsafeString(in.sc.norm)
	}
	in.sc.tmp = in.sc.tmp[:0]
	lt := false
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			in.sc.tmp = append(in.sc.tmp, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(raw[i:])
		low := byte(r & 0x7f)
		if r == utf8.RuneError && n == 1 {
			low = c & 0x7f
		}
		i += n
		switch low {
		case '<':
			lt = true
		case '>', '"', '\'', '(', ')', '/', '=', ' ':
		default:
			low = '_'
		}
		in.sc.tmp = append(in.sc.tmp, low)
	}
	if !lt {
		return 0, false
	}
	r := unsafeString(in.sc.tmp)
	off, sc := htmlTag(r)
	if sc < 8 {
		return 0, false
	}
	// The reading is a guess about the server, so it must give a whole
	// element, not just one stray '<' beside an ASCII word: a script
	// container opened and closed ("<script>...</script>"), or another
	// tag closed by its '>'.
	k := off + 1
	for k < len(r) && isAlnum(r[k]) {
		k++
	}
	switch name := r[off+1 : k]; name {
	case "script", "iframe", "object", "embed", "applet":
		c := strings.Index(r[k:], "</"+name)
		return 0, c >= 0 && strings.HasPrefix(r[k+c+2+len(name):], ">")
	}
	return 0, strings.IndexByte(r[k:], '>') >= 0
}

// spacedTags are the elements whose names filter-evasion payloads write
// letter by letter ("<f o r m", "<s c r i p t"), for sanitisers that
// collapse blanks before they render or store the text.
var spacedTags = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true, "embed": true, "applet": true,
	"svg": true, "math": true, "img": true, "image": true, "form": true, "dialog": true, "details": true,
	"body": true, "base": true, "meta": true, "link": true, "style": true, "video": true, "audio": true,
	"source": true, "input": true, "button": true, "textarea": true, "select": true, "keygen": true,
	"template": true, "marquee": true, "isindex": true, "xmp": true, "plaintext": true, "noscript": true,
	"portal": true, "animate": true, "set": true,
}

// spacedTag finds '<' followed by a tag name written as single letters
// separated by blanks, at least three of them: "<f o r m", "< d i a l o g".
// Prose puts words after '<', not a dangerous element spelled out.
func spacedTag(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		i += off
		k := skipBlank(s, i+1)
		var name [16]byte
		n := 0
		for k < len(s) && isAlpha(s[k]) && n < len(name) && (k+1 == len(s) || !isAlnum(s[k+1])) {
			name[n] = s[k]
			n++
			e := skipBlank(s, k+1)
			if e == k+1 || e >= len(s) || !isAlpha(s[e]) {
				k++
				break
			}
			k = e
		}
		if n >= 3 && spacedTags[string(name[:n])] {
			return i
		}
		off = max(i+1, k)
	}
	return -1
}

// skipBlank returns the index of the first byte at or after i that is not
// a space or tab.
func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// namespacedScript finds a script element under an XML namespace prefix,
// "<x:script" (XHTML documents run it), also with the blanks an evasion
// puts around the colon ("< x: script"). score is 8 for the plain form,
// 7 with blanks.
func namespacedScript(s string) (int, int) {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return 0, 0
		}
		i += off
		j := skipBlank(s, i+1)
		p := j
		for p < len(s) && (isAlnum(s[p]) || s[p] == '-' || s[p] == '_') {
			p++
		}
		off = max(i+1, p)
		if p == j || p-j > 32 {
			continue
		}
		q := skipBlank(s, p)
		if q >= len(s) || s[q] != ':' {
			continue
		}
		r := skipBlank(s, q+1)
		if strings.HasPrefix(s[r:], "script") && (r+6 == len(s) || !isAlnum(s[r+6])) {
			if j == i+1 && q == p && r == q+1 {
				return i, 8
			}
			return i, 7
		}
	}
	return 0, 0
}

// htcImport finds Internet Explorer's HTML-component import,
// "<?import implementation=" or "<import implementation=", which loads
// a behaviour (script) from a URL; also with the blank removed.
func htcImport(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "implementation")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("implementation")
		if e := skipSpace(s, off); e >= len(s) || s[e] != '=' {
			continue
		}
		b := i
		for b > 0 && isSpace(s[b-1]) {
			b--
		}
		if b < len("<import") || s[b-6:b] != "import" {
			continue
		}
		b -= 6
		if s[b-1] == '?' {
			b--
		}
		if b > 0 && s[b-1] == '<' {
			return b - 1
		}
	}
	return -1
}

// dataMarkup finds a data: URL whose content is markup, "data:,<svg
// onload=...>", "data: text/html , <x>": inline HTML handed to a frame or
// an object, with the blanks evasions add around the parts.
func dataMarkup(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "data:")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("data:")
		if i > 0 && strings.IndexByte("\"'=( <`\t\n\r[{,;", s[i-1]) < 0 {
			continue
		}
		k := skipSpace(s, off)
		// the media type and its parameters: text/html;charset=utf-8
		for e := k + 128; k < len(s) && k < e && (isAlnum(s[k]) || strings.IndexByte("/+.;=-_", s[k]) >= 0); k++ {
		}
		k = skipSpace(s, k)
		if k >= len(s) || s[k] != ',' {
			continue
		}
		k = skipSpace(s, k+1)
		if k+1 < len(s) && s[k] == '<' && (isAlpha(s[k+1]) || s[k+1] == '!') {
			return i
		}
	}
	return -1
}

// cssScriptURL finds a CSS url() whose target is a script URL,
// "background:url(javascript:...)", also cut before the colon
// ("x:url(javascript"): no style sheet loads an image from a script
// scheme.
func cssScriptURL(s string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "url(")
		if i < 0 {
			return -1
		}
		i += off
		off = i + len("url(")
		k := off
		for k < len(s) && k < off+64 && (isSpace(s[k]) || s[k] == '"' || s[k] == '\'' || s[k] == '\\') {
			k++
		}
		r := s[k:]
		for _, w := range [...]string{"javascript", "vbscript", "livescript"} {
			// the scheme word, then its colon, padding or the cut end;
			// not a path ("url(javascripts/app.png)")
			if strings.HasPrefix(r, w) && (len(r) == len(w) || r[len(w)] == ':' || r[len(w)] == '&' || r[len(w)] <= ' ') {
				return i
			}
		}
	}
	return -1
}

// detectXSSShapes runs the evasion shapes keyed on '<', ':' and '(';
// s is lower-cased. It reports whether it emitted a signal.
func (in *input) detectXSSShapes(s string) bool {
	m := in.mask
	if m.has(bLT) {
		if i := spacedTag(s); i >= 0 {
			in.emit(XSS, "xss-tag", 7, i, i+24)
			return true
		}
		if m.has(bColon) {
			if i, sc := namespacedScript(s); sc > 0 {
				in.emit(XSS, "xss-tag", sc, i, i+24)
				return true
			}
			if i := dataMarkup(s); i >= 0 {
				in.emit(XSS, "xss-script-url", 7, i, i+24)
				return true
			}
		}
		if m.has(bEq) {
			if i := htcImport(s); i >= 0 {
				in.emit(XSS, "xss-tag", 7, i, i+32)
				return true
			}
		}
	}
	if m.has(bParen) {
		if i := cssScriptURL(s); i >= 0 {
			in.emit(XSS, "xss-script-url", 7, i, i+24)
			return true
		}
	}
	return false
}
