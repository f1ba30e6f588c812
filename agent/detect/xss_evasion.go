package detect

import (
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/html/evasion"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/internal/utf7"
)

// XSS filter evasions: markup and script URLs written so that the text
// itself holds no "<script" or "javascript:", while a browser, an XML
// reader or a lenient server sees one. The readings are in
// agent/detect/html/evasion; here are the signals they give, and the two
// readings that decode into the input's scratch buffers (character
// references in a scheme, the 7-bit reading). Each is one that legitimate
// input has no reason to need; every scan is linear in the value (a
// bounded window per candidate, and the windows of successive candidates
// do not overlap).

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
	if m.has(bAmp|bBackslash) && len(in.text) <= 24 && evasion.EncodedBracket(in.lower()) {
		in.emit(XSS, "xss-encoded-bracket", 5, 0, len(in.text))
		return true
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
	if w, ok := utf7.Decode(in.text); ok { // base64 is case-sensitive
		if off, sc := html.Tag(strings.ToLower(w)); sc > 0 {
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
	if !urlEntityWords.Contains(s, in.lowerBytes()) {
		return 0, false
	}
	var changed bool
	in.sc.tmp, changed = evasion.DecodeURLEntities(in.sc.tmp[:0], s)
	if !changed {
		return 0, false
	}
	w := unsafeString(in.sc.tmp)
	if off, ok := html.ScriptURL(w); ok {
		return min(off, len(s)), true
	}
	if _, ok := scriptURLEmpty(w); ok {
		for _, name := range html.ScriptSchemes {
			if strings.Contains(s, name+":") {
				return 0, false // the scheme was written plainly: it needs code
			}
		}
		return 0, true
	}
	return 0, false
}

// urlEntityWords open the character references entityScriptURL decodes:
// a text without one has nothing for it to decode. One pass over the
// text looks for all of them.
var urlEntityWords = lex.NewWordList("&tab", "&newline", "&colon", "&#")

// scriptURLEmpty is scriptURL without the need for code after the colon.
func scriptURLEmpty(s string) (int, bool) {
	return html.ScriptURLAt(s, false)
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
			j := i + 1 // ASCII is kept as it is, a run at a time
			for j < len(raw) && raw[j] < utf8.RuneSelf {
				j++
			}
			in.sc.tmp = append(in.sc.tmp, raw[i:j]...)
			i = j
			continue
		}
		var low byte
		if c < 0xc0 {
			// a continuation byte starts no character: DecodeRune's
			// RuneError of one byte, read as its low seven bits
			low = c & 0x7f
			i++
		} else {
			r, n := utf8.DecodeRuneInString(raw[i:])
			low = byte(r & 0x7f)
			if r == utf8.RuneError && n == 1 {
				low = c & 0x7f
			}
			i += n
		}
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
	off, sc := html.Tag(r)
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

// detectXSSShapes runs the evasion shapes keyed on '<', ':' and '(';
// s is lower-cased. It reports whether it emitted a signal.
func (in *input) detectXSSShapes(s string) bool {
	m := in.mask
	if m.has(bLT) {
		if i := evasion.SpacedTag(s); i >= 0 {
			in.emit(XSS, "xss-tag", 7, i, i+24)
			return true
		}
		if m.has(bColon) {
			if i, sc := evasion.NamespacedScript(s); sc > 0 {
				in.emit(XSS, "xss-tag", sc, i, i+24)
				return true
			}
			if i := evasion.DataMarkup(s); i >= 0 {
				in.emit(XSS, "xss-script-url", 7, i, i+24)
				return true
			}
		}
		if m.has(bEq) {
			if i := evasion.HTCImport(s); i >= 0 {
				in.emit(XSS, "xss-tag", 7, i, i+32)
				return true
			}
		}
	}
	if m.has(bParen) {
		if i := evasion.CSSScriptURL(s); i >= 0 {
			in.emit(XSS, "xss-script-url", 7, i, i+24)
			return true
		}
	}
	return false
}
