package decode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// An EBCDIC charset is the one kind a request may name that ASCII text
// does not survive: "q=%7D%40%D6%D9" is "' OR" to a handler that decodes
// form fields with the charset the request names (Django does, and
// ASP.NET with its request encoding), and nothing to every other
// reading. Such a body is read in the code pages the label may mean.

// ebcdicPages returns the code pages a charset label means, nil for a
// label outside the EBCDIC family: its own page when the label names one
// of those tabled here or a variant that agrees with it on ASCII's
// characters (IBM01140 is IBM037 with the euro), and every page for one
// named only by family (IBM1047, "EBCDIC-FI-SE"), whose national
// characters may be any of theirs.
func ebcdicPages(label string) []*[256]rune {
	var b strings.Builder
	for _, c := range strings.ToLower(label) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	l := b.String()
	all := []*[256]rune{&ebcdic037, &ebcdic500, &ebcdic273, &ebcdic1026}
	if strings.HasPrefix(l, "ebcdic") {
		switch l {
		case "ebcdiccpus", "ebcdiccpca", "ebcdiccpwt", "ebcdiccpnl", "ebcdiccphe":
			return all[:1]
		case "ebcdiccpbe", "ebcdiccpch":
			return all[1:2]
		}
		return all
	}
	digits := strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(l, "cs"), "ibm"), "cp"), "0")
	if digits == l || digits == "" {
		return nil // not "cp", "ibm" or "csibm" and a number
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return nil
	}
	switch n {
	case 37, 424, 1140:
		return all[:1]
	case 500, 875, 1148:
		return all[1:2]
	case 273, 1141:
		return all[2:3]
	case 1026:
		return all[3:4]
	case 277, 278, 280, 284, 285, 290, 297, 420, 423, 870, 871, 880, 905, 918, 1025, 1047, 1097, 1112, 1122, 1123,
		1142, 1143, 1144, 1145, 1146, 1147, 1149:
		return all
	}
	return nil
}

// ebcdicText decodes every byte of s in page p: a whole body sent in an
// EBCDIC charset.
func ebcdicText(s string, p *[256]rune) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		out = utf8.AppendRune(out, p[s[i]])
	}
	return string(out)
}

// ebcdicUnescape decodes a form value as a parser that unquotes it in
// page p does: each %XX escape is a byte of p, the other characters stay
// as they are ('+' a blank where plus). changed is false when s holds no
// escape.
func ebcdicUnescape(s string, plus bool, p *[256]rune) (_ string, changed bool) {
	if !hasPercentEscape(s) {
		return s, false
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%' && i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0:
			out = utf8.AppendRune(out, p[unhex(s[i+1])<<4|unhex(s[i+2])])
			i += 2
		case c == '+' && plus:
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	return string(out), true
}
