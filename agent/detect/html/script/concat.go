package script

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Concatenation appends to dst s with every chain of JavaScript string
// literals joined by '+' written as the one literal it builds
// ('java'+'scr'+'ipt:'+'alert(1)' becomes 'javascript:alert(1)',
// document['coo'+'kie'] becomes document['cookie']), and reports whether
// s held a chain of two literals or more. Splitting a name across
// literals hides it from every reading of the text as it stands; the
// joined literal is what the page's script builds and runs. One pass; dst
// grows by at most len(s).
func Concatenation(dst []byte, s string) ([]byte, bool) {
	found := false
	// A literal that does not close leaves every later quote of its kind
	// on its line unclosed too (each was read as escaped): failed[k] is
	// where that line ends, so that "'\\'\\'\\'…" is read once, not once per
	// quote.
	var failed [2]int
	end := func(j int) int {
		k := 0
		if s[j] == '"' {
			k = 1
		}
		if j < failed[k] {
			return -1
		}
		e := literalEnd(s, j)
		if e < 0 {
			failed[k] = len(s)
			if nl := strings.IndexByte(s[j:], '\n'); nl >= 0 {
				failed[k] = j + nl
			}
		}
		return e
	}
	for i := 0; i < len(s); {
		q := s[i]
		if q != '\'' && q != '"' {
			k := i + 1
			for k < len(s) && s[k] != '\'' && s[k] != '"' {
				k++
			}
			dst = append(dst, s[i:k]...)
			i = k
			continue
		}
		// a chain: literal ('+' literal)*
		start := len(dst)
		dst = append(dst, q)
		n := 0
		j := i
		for {
			e := end(j)
			if e < 0 {
				break
			}
			dst = appendLiteral(dst, s[j+1:e-1])
			n++
			j = e
			k := lex.SkipSpace(s, e)
			if k >= len(s) || s[k] != '+' {
				break
			}
			k = lex.SkipSpace(s, k+1)
			if k >= len(s) || s[k] != '\'' && s[k] != '"' {
				break
			}
			j = k
		}
		if n < 2 {
			// no chain: s as it stands, up to where the reading stopped
			if j <= i || n == 0 {
				j = i + 1
			}
			dst = append(dst[:start], s[i:j]...)
		} else {
			found = true
			dst = append(dst, q)
		}
		i = j
	}
	return dst, found
}

// literalEnd returns the index after the string literal opening at s[i]
// (its closing quote included), or -1 when it does not close on its line.
func literalEnd(s string, i int) int {
	q := s[i]
	for k := i + 1; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case q:
			return k + 1
		case '\n':
			return -1
		}
	}
	return -1
}

// appendLiteral appends a literal's text with its backslash escapes of
// single bytes removed (\' is ').
func appendLiteral(dst []byte, lit string) []byte {
	for k := 0; k < len(lit); k++ {
		if lit[k] == '\\' && k+1 < len(lit) {
			k++
		}
		dst = append(dst, lit[k])
	}
	return dst
}
