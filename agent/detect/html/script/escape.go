package script

import "github.com/lambdawaf/lambdawaf/agent/detect/lex"

// EscapedIdentifier finds a JavaScript identifier that spells ASCII
// letters with escapes, at least two of them: "\u0076\u0061l\u0075e",
// "c\x6f\x6esole". Engines read it as the plain name (valueOf,
// console); no encoder escapes plain letters (JSON escapes quotes,
// controls, non-ASCII and sometimes <>&), so only a filter bypass writes
// them. Windows paths ("C:\xampp\apps") are not hex escapes.
func EscapedIdentifier(s string) int {
	start, escaped := -1, 0
	for i := 0; i < len(s); {
		n, c := escapeAt(s, i)
		switch {
		case n > 0 && lex.IsAlpha(c):
			if start < 0 {
				start = i
			}
			escaped++
			if escaped >= 2 {
				return start
			}
			i += n
		case n == 0 && (lex.IsWord(s[i]) || s[i] == '$'):
			if start < 0 {
				start = i
			}
			i++
		default:
			start, escaped = -1, 0
			i += max(n, 1)
		}
	}
	return -1
}

// escapeAt decodes a \u00XX or \xXX escape of an ASCII byte at s[i:];
// n is its length, 0 when there is none.
func escapeAt(s string, i int) (n int, c byte) {
	if s[i] != '\\' || i+3 >= len(s) {
		return 0, 0
	}
	switch {
	case s[i+1] == 'x':
		if b, ok := lex.Unhex2(s[i+2], s[i+3]); ok && b < 0x80 {
			return 4, b
		}
	case s[i+1] == 'u' && i+5 < len(s) && s[i+2] == '0' && s[i+3] == '0':
		if b, ok := lex.Unhex2(s[i+4], s[i+5]); ok && b < 0x80 {
			return 6, b
		}
	}
	return 0, 0
}
