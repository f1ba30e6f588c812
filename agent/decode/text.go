package decode

import (
	"html"
	"strings"
	"unicode/utf8"
)

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// percentDecode decodes %XX, IIS-style %uXXXX and, when plus is set, '+'
// as a space. Invalid escapes are kept as they are. It reports whether
// anything changed, whether an escape was invalid and whether %u was used.
func percentDecode(s string, plus bool) (out string, changed, invalid, unicode bool) {
	return percentDecodeOpt(s, plus, true)
}

// percentDecodeStd decodes %XX (and '+' when plus is set) only, as every
// standard library does: it leaves %uXXXX as it is.
func percentDecodeStd(s string, plus bool) (string, bool) {
	out, changed, _, _ := percentDecodeOpt(s, plus, false)
	return out, changed
}

// percentDecodeOpt decodes as percentDecode, %uXXXX only when iis is set.
// Nothing is allocated until an escape (or a '+') decodes: a text whose
// every '%' is stray, the common case for the decodings of a decoding,
// costs a scan and no copy.
func percentDecodeOpt(s string, plus, iis bool) (out string, changed, invalid, unicode bool) {
	// the stray '%' before the first escape that decodes, or the first
	// '+' when plus is set
	plusAt := -1
	if plus {
		plusAt = strings.IndexByte(s, '+')
	}
	i := strings.IndexByte(s, '%')
	for {
		if plusAt >= 0 && (i < 0 || plusAt < i) {
			i = plusAt
			break
		}
		if i < 0 {
			return s, false, invalid, false
		}
		if _, n := percentEscape(s, i, iis); n > 0 {
			break
		}
		invalid = true
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			i = -1
		} else {
			i += 1 + j
		}
	}
	// the result is never longer than s (an escape of 6 bytes decodes
	// to at most 3): written by index, no append's check per byte
	buf := make([]byte, len(s))
	o := copy(buf, s[:i])
	for i < len(s) {
		switch c := s[i]; {
		case c == '%':
			v, n := percentEscape(s, i, iis)
			switch n {
			case 6:
				o += utf8.EncodeRune(buf[o:], v)
				unicode = true
			case 3:
				buf[o] = byte(v)
				o++
			default:
				invalid = true
				buf[o] = c
				o++
				n = 1
			}
			i += n
		case c == '+' && plus:
			buf[o] = ' '
			o++
			i++
		default:
			buf[o] = c
			o++
			i++
		}
	}
	return stringOf(buf[:o]), true, invalid, unicode
}

// percentEscape reads the escape at s[i] (a '%'): IIS's %uXXXX when iis
// is set (n = 6, v a code point), else %XX (n = 3, v a byte); n is 0 when
// no escape is valid there.
func percentEscape(s string, i int, iis bool) (v rune, n int) {
	if iis && i+5 < len(s) && s[i+1]|0x20 == 'u' {
		a, b, c, d := hexDigit[s[i+2]], hexDigit[s[i+3]], hexDigit[s[i+4]], hexDigit[s[i+5]]
		if (a|b|c|d)&0x80 == 0 {
			return rune(a)<<12 | rune(b)<<8 | rune(c)<<4 | rune(d), 6
		}
	}
	if i+2 < len(s) {
		a, b := hexDigit[s[i+1]], hexDigit[s[i+2]]
		if (a|b)&0x80 == 0 {
			return rune(a)<<4 | rune(b), 3
		}
	}
	return 0, 0
}

// hexDigit is the value of each hexadecimal digit, 0xff for other bytes.
var hexDigit = func() (t [256]byte) {
	for c := range t {
		t[c] = 0xff
		if v := unhex(byte(c)); v >= 0 {
			t[c] = byte(v)
		}
	}
	return t
}()

// urlDecode decodes a value whose transport is URL encoding, reporting
// invalid escapes as an issue at loc. The encoding it returns is encURL, or
// encURLUnicode when %uXXXX escapes were used.
func (w *walker) urlDecode(s string, plus bool, loc string) (string, enc, bool) {
	d, changed, invalid, unicode := percentDecode(s, plus)
	if invalid {
		w.issue(BadURLEncoding, loc)
	}
	if unicode {
		return d, encURLUnicode, changed
	}
	return d, encURL, changed
}

// htmlUnescape decodes HTML character references (named, decimal, hex).
func htmlUnescape(s string) (string, bool) {
	if strings.IndexByte(s, ';') < 0 && !strings.Contains(s, "&#") || !mayHoldReference(s) {
		return s, false
	}
	d, changed, ok := unescapeCommon(s)
	if !ok {
		d = html.UnescapeString(s)
		changed = d != s
	}
	return d, changed
}

// unescapeCommon is html.UnescapeString for a text whose references are
// all numeric (outside 0x80-0x9F, which UnescapeString maps through
// Windows-1252) or among &amp; &lt; &gt; &quot; &apos;, the references
// attacks use: one allocation of the result's exact length, where
// UnescapeString copies the text twice, and none when no reference
// decodes (changed is false). ok is false when a reference needs html's
// table of names; the caller then asks UnescapeString.
func unescapeCommon(s string) (_ string, changed, ok bool) {
	_, size, changed, ok := appendUnescaped(nil, s, false)
	if !ok || !changed {
		return s, false, ok
	}
	buf, _, _, _ := appendUnescaped(make([]byte, 0, size), s, true)
	return stringOf(buf), true, true
}

// appendUnescaped appends the unescaping of s to dst when write is set,
// and returns its length either way and whether a reference decoded; ok
// is false at the first reference that needs html's table of names (see
// htmlReference).
func appendUnescaped(dst []byte, s string, write bool) (_ []byte, size int, changed, ok bool) {
	for i := 0; i < len(s); {
		// the text up to the next '&': references often come a few bytes
		// apart, so the first bytes are looked at one by one, the rest
		// searched
		j := 0
		if s[i] != '&' {
			for j = 1; j < 16 && i+j < len(s) && s[i+j] != '&'; j++ {
			}
			if j == 16 && i+j < len(s) {
				if k := strings.IndexByte(s[i+j:], '&'); k < 0 {
					j = len(s) - i
				} else {
					j += k
				}
			}
			if write {
				dst = append(dst, s[i:i+j]...)
			}
			size += j
			if i += j; i == len(s) {
				break
			}
		}
		r, n, kind := htmlReference(s[i:])
		switch kind {
		case refTable:
			return dst, 0, false, false
		case refRune:
			changed = true
			if write {
				dst = utf8.AppendRune(dst, r)
			}
			size += utf8.RuneLen(r)
		default:
			if write {
				dst = append(dst, s[i:i+n]...)
			}
			size += n
		}
		i += n
	}
	return dst, size, changed, true
}

// What htmlReference found.
const (
	refText  = iota // no reference: the bytes stay as they are
	refRune         // a reference to one character
	refTable        // a named reference outside the common ones
)

// htmlReference reads the character reference at the start of s (a '&',
// s running to the end of the text) as html.UnescapeString reads it:
// the bytes n it takes (at least the '&', never another) and what they
// are (see refText). Numeric
// references are read exactly as html/escape.go's unescapeEntity reads
// them (a rune that overflows or is no character is U+FFFD); the Windows-
// 1252 range and named references other than amp, lt, gt, quot and apos
// with their ';' are refTable.
func htmlReference(s string) (r rune, n int, kind int) {
	// the references attacks use most, as the named branch below reads them
	if len(s) >= 4 && s[2] == 't' && s[3] == ';' {
		switch s[1] {
		case 'l':
			return '<', 4, refRune
		case 'g':
			return '>', 4, refRune
		}
	}
	if len(s) >= 5 && s[1:5] == "amp;" {
		return '&', 5, refRune
	}
	if len(s) <= 1 {
		return 0, 1, refText
	}
	if s[1] == '#' {
		if len(s) <= 3 { // at least "&#."
			return 0, 1, refText
		}
		i := 2
		hex := s[i] == 'x' || s[i] == 'X'
		if hex {
			i++
		}
		x := rune(0)
		for i < len(s) {
			c := s[i]
			i++
			if hex {
				if v := hexDigit[c]; v != 0xff {
					x = 16*x + rune(v)
					continue
				}
			} else if '0' <= c && c <= '9' {
				x = 10*x + rune(c) - '0'
				continue
			}
			if c != ';' {
				i--
			}
			break
		}
		switch {
		case i <= 3:
			// no digit: UnescapeString keeps the '&' and reads on after
			// it; what was read here ('#', 'x', ';') holds no '&' and is
			// kept too
			return 0, i, refText
		case 0x80 <= x && x <= 0x9F:
			return 0, 0, refTable
		case x <= 0 || 0xD800 <= x && x <= 0xDFFF || x > 0x10FFFF:
			// zero, a surrogate, beyond Unicode, or overflowed below zero
			// (which UnescapeString's EncodeRune writes as U+FFFD too)
			x = utf8.RuneError
		}
		return x, i, refRune
	}
	i := 1
	for i < len(s) {
		c := s[i]
		i++
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if c != ';' {
			i--
		}
		break
	}
	switch s[1:i] {
	case "":
		return 0, 1, refText
	case ";":
		return 0, 2, refText // no entity is named ";"
	case "amp;":
		return '&', i, refRune
	case "lt;":
		return '<', i, refRune
	case "gt;":
		return '>', i, refRune
	case "quot;":
		return '"', i, refRune
	case "apos;":
		return '\'', i, refRune
	}
	return 0, 0, refTable
}

// mayHoldReference reports whether some '&' in s is followed by '#' or a
// letter or digit. html.UnescapeString leaves every other '&' as it is
// (and what follows it: a reference's name, number and ';' never hold
// a '&'), so without one it returns s unchanged, after copying it twice.
func mayHoldReference(s string) bool {
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 || i+1 >= len(s) {
			return false
		}
		if c := s[i+1]; c == '#' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' {
			return true
		}
		s = s[i+1:]
	}
}

// jsUnescape decodes the escapes of ASCII a JavaScript or PHP string
// literal reads, \xXX, \u00XX ("c\u006fnsole", "\x73ystem") and the
// line breaks and tab (\n, \r, \t: "\nid\n" is a command line): a
// handler that evaluates the value, or pastes it into a script or a
// shell's $'...', reads them so. Other backslashes are kept. It reports
// whether anything changed; nothing is allocated until an escape
// decodes.
func jsUnescape(s string) (string, bool) {
	var b []byte
	last := 0
	for i := strings.IndexByte(s, '\\'); i >= 0 && i+1 < len(s); {
		c, n := jsEscape(s[i:])
		switch {
		case s[i+1] == '\\':
			i += 2 // an escaped backslash: what follows is read as it is
		case n > 0:
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, s[last:i]...)
			b = append(b, c)
			i += n
			last = i
		default:
			i++
		}
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			break
		}
		i += j
	}
	if b == nil {
		return s, false
	}
	return string(append(b, s[last:]...)), true
}

// jsEscape reads one \n, \r, \t, \xXX or \u00XX escape of an ASCII byte
// at the start of s; n is its length, 0 when s starts with none.
func jsEscape(s string) (c byte, n int) {
	switch s[1] {
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	}
	switch {
	case len(s) >= 4 && s[1] == 'x':
		n = 4
	case len(s) >= 6 && s[1] == 'u' && s[2] == '0' && s[3] == '0':
		n = 6
	default:
		return 0, 0
	}
	hi, lo := unhex(s[n-2]), unhex(s[n-1])
	if hi < 0 || lo < 0 || hi >= 8 {
		return 0, 0
	}
	return byte(hi<<4 | lo), n
}

// cookieUnquote reads the inside of a quoted cookie value as Python's
// http.cookies (SimpleCookie, and the frameworks built on it) unquotes
// it: a backslash and three octal digits, the first 0-3, is that byte
// ("\047" is "'"), and a backslash before any other character is that
// character. It reports whether anything changed.
func cookieUnquote(s string) (string, bool) {
	i := strings.IndexByte(s, '\\')
	if i < 0 || i+1 >= len(s) {
		return s, false
	}
	out := make([]byte, 0, len(s))
	out = append(out, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		if i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
			continue
		}
		out = append(out, s[i+1])
		i++
	}
	return string(out), true
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// fullwidthFold folds the fullwidth forms of ASCII (U+FF01-U+FF5E) and
// the ideographic space to ASCII, as Unicode's compatibility
// normalization (NFKC) does and a handler that normalizes its input, or
// a database or code page that maps characters to their "best fit",
// reads "１＇ ＯＲ ＇１＇＝＇１" as "1' OR '1'='1". It reports whether
// anything changed; a text without those characters is not copied.
func fullwidthFold(s string) (string, bool) {
	if !strings.Contains(s, "\xef\xbc") && !strings.Contains(s, "\xef\xbd") && !strings.Contains(s, "\u3000") {
		return s, false
	}
	out := make([]byte, 0, len(s))
	changed := false
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			out = append(out, byte(r-0xFEE0))
			changed = true
		case r == 0x3000:
			out = append(out, ' ')
			changed = true
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return string(out), changed
}
