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
	buf := make([]byte, 0, len(s))
	buf = append(buf, s[:i]...)
	for i < len(s) {
		switch c := s[i]; {
		case c == '%':
			v, n := percentEscape(s, i, iis)
			switch n {
			case 6:
				buf = utf8.AppendRune(buf, v)
				unicode = true
			case 3:
				buf = append(buf, byte(v))
			default:
				invalid = true
				buf = append(buf, c)
				n = 1
			}
			i += n
		case c == '+' && plus:
			buf = append(buf, ' ')
			i++
		default:
			buf = append(buf, c)
			i++
		}
	}
	return stringOf(buf), true, invalid, unicode
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
	d := html.UnescapeString(s)
	return d, d != s
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
