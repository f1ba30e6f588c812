package evasion

import "strings"

// EncodedBracket reports whether lower-cased s is, whole, one angle
// bracket ('<' or '>') spelt as only a filter probe spells it: a numeric
// character reference with leading zeros or without its ';' (&#060;,
// &#x0003c, &#x3c), or a JavaScript or CSS escape (\x3c, \u003c, \u{3c},
// \3c). Such a value asks which encodings a filter decodes before the
// markup is sent; text has no use for them. The plain references &lt;,
// &#60; and &#x3c; are what an editor writes for a literal bracket and
// are not read.
func EncodedBracket(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 3 || len(s) > 16 {
		return false
	}
	switch {
	case strings.HasPrefix(s, "&#"):
		v, n := NumericRef(s[2:])
		if n == 0 || v != '<' && v != '>' || len(s) != 2+n {
			return false
		}
		digits := strings.TrimPrefix(s[2:], "x")
		semi := strings.HasSuffix(digits, ";")
		return !semi || len(digits) > 2 && digits[0] == '0'
	case s[0] == '\\':
		e := s[1:]
		switch {
		case strings.HasPrefix(e, "u{") && strings.HasSuffix(e, "}"):
			e = e[2 : len(e)-1]
		case e[0] == 'x' || e[0] == 'u':
			e = e[1:]
		}
		e = strings.TrimLeft(e, "0")
		return e == "3c" || e == "3e"
	}
	return false
}
