package evasion

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// DecodeURLEntities appends s to dst with the character references of
// URL punctuation decoded and those of tab, line feed and carriage return
// removed (the URL parser strips those anywhere in a URL). Numeric
// references of other ASCII characters are decoded too; &lt; and its
// kin stay, since "&lt;script&gt;" is how text shows markup safely.
func DecodeURLEntities(dst []byte, s string) ([]byte, bool) {
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
			if v, n := NumericRef(r[1:]); n > 0 && v < 0x80 {
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

// NumericRef reads the digits of a numeric character reference after
// "&#" ("106;", "x6a", "0000106"), browsers' way: the ';' is optional and
// leading zeros are allowed. n is the bytes read (0: none); the value is
// capped so that overlong digit runs cannot overflow.
func NumericRef(r string) (v int, n int) {
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
		case lex.IsDigit(c):
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
