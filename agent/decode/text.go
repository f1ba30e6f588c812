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

func percentDecodeOpt(s string, plus, iis bool) (out string, changed, invalid, unicode bool) {
	i := strings.IndexByte(s, '%')
	if plus {
		if j := strings.IndexByte(s, '+'); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	if i < 0 {
		return s, false, false, false
	}
	buf := make([]byte, 0, len(s))
	buf = append(buf, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			buf = append(buf, ' ')
			changed = true
		case c == '%':
			if iis && i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
				a, b, c2, d := unhex(s[i+2]), unhex(s[i+3]), unhex(s[i+4]), unhex(s[i+5])
				if a >= 0 && b >= 0 && c2 >= 0 && d >= 0 {
					buf = utf8.AppendRune(buf, rune(a<<12|b<<8|c2<<4|d))
					i += 5
					changed, unicode = true, true
					continue
				}
			}
			if i+2 < len(s) {
				a, b := unhex(s[i+1]), unhex(s[i+2])
				if a >= 0 && b >= 0 {
					buf = append(buf, byte(a<<4|b))
					i += 2
					changed = true
					continue
				}
			}
			invalid = true
			buf = append(buf, c)
		default:
			buf = append(buf, c)
		}
	}
	if !changed {
		return s, false, invalid, false
	}
	return stringOf(buf), true, invalid, unicode
}

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
	if strings.IndexByte(s, ';') < 0 && !strings.Contains(s, "&#") {
		return s, false
	}
	d := html.UnescapeString(s)
	return d, d != s
}
