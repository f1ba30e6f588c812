package decode

import (
	"encoding/base64"
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
			if i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
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

// minBase64 is the shortest value worth trying as base64: shorter tokens
// are mostly words and identifiers.
const minBase64 = 12

// base64Text decodes s when it looks like base64 (standard or URL
// alphabet, padded or not) and the result is printable text.
func base64Text(s string) (string, bool) {
	return base64TextBuf(s, nil)
}

// base64TextBuf is base64Text decoding into scratch first, so that the
// common case, a token that decodes to binary, allocates nothing.
func base64TextBuf(s string, scratch []byte) (string, bool) {
	if len(s) < minBase64 {
		return "", false
	}
	urlSafe, std := false, false
	pad := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if pad > 0 {
				return "", false
			}
		case c == '+' || c == '/':
			std = true
		case c == '-' || c == '_':
			urlSafe = true
		case c == '=':
			pad++
			if pad > 2 {
				return "", false
			}
		default:
			return "", false
		}
	}
	if urlSafe && std {
		return "", false
	}
	body := s[:len(s)-pad]
	if len(body)%4 == 1 || (pad > 0 && len(s)%4 != 0) {
		return "", false
	}
	enc := base64.RawStdEncoding
	if urlSafe {
		enc = base64.RawURLEncoding
	}
	need := enc.DecodedLen(len(body))
	buf := scratch[:0]
	if cap(buf) < need {
		buf = make([]byte, need)
	}
	buf = buf[:need]
	n, err := enc.Decode(buf, bytesOf(body))
	if err != nil {
		return "", false
	}
	buf = buf[:n]
	if !printable(buf) {
		return "", false
	}
	return string(buf), true
}

// printable reports whether b is valid UTF-8 text without control
// characters other than tab and line breaks, and with some letters.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	letters := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			letters++
		}
	}
	return letters > 0
}
