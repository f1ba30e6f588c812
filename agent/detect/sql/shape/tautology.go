package shape

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// NumericTautology reports whether lower-cased s, the whole value, is a
// number joined by OR to a constant: "1 or 1", "0 || 1", "-1 or 2",
// "null or 1". Spliced where the application compares a numeric column
// ("where id = " + value), it makes the condition true for every row. In
// prose the same words need a sentence around them ("we sell 1 or 2
// units a day"); the caller asks only for a parameter that names an
// identifier or a count.
func NumericTautology(s string) bool {
	s = strings.TrimSpace(s)
	_, rest, ok := numberOrNull(s)
	if !ok {
		return false
	}
	rest = lex.TrimBlanksLeft(rest)
	switch {
	case strings.HasPrefix(rest, "||"):
		rest = rest[2:]
	case strings.HasPrefix(rest, "or ") || strings.HasPrefix(rest, "or\t"):
		rest = rest[2:]
	case strings.HasPrefix(rest, "xor "):
		rest = rest[3:]
	default:
		return false
	}
	rest = lex.TrimBlanksLeft(rest)
	b, tail, ok := numberOrNull(rest)
	if !ok || strings.TrimSpace(tail) != "" {
		return false
	}
	return b != "0" && b != "null" // "1 or 0" widens nothing
}

// numberOrNull reads an optionally signed integer or NULL at the start of
// s and returns it and the rest.
func numberOrNull(s string) (string, string, bool) {
	if strings.HasPrefix(s, "null") && (len(s) == 4 || !lex.IsWord(s[4])) {
		return "null", s[4:], true
	}
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	j := i
	for j < len(s) && lex.IsDigit(s[j]) {
		j++
	}
	if j == i || j < len(s) && lex.IsWord(s[j]) {
		return "", s, false
	}
	n := strings.TrimLeft(s[i:j], "0")
	if n == "" {
		n = "0"
	}
	return n, s[j:], true
}
