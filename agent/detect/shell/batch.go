package shell

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// BatchIf reads a value as a cmd.exe IF comparison, the grammar
// IF [/I] [NOT] operand==operand [command]: operands are words, %
// variables, or "quoted", [bracketed] or {braced} text. Python and
// JavaScript conditions ("if a == b:", "if (a == b)") do not parse: their
// operand ends in ':' or opens with '('; bare words spaced around "=="
// need a batch marker (/I, NOT or a % variable).
func BatchIf(s string) bool {
	if !strings.HasPrefix(s, "if") {
		return false
	}
	j := 2
	marker := false
	if strings.HasPrefix(s[j:], "/i") {
		j, marker = j+2, true
	}
	if j < len(s) && !lex.IsSpace(s[j]) {
		return false
	}
	j = lex.SkipSpace(s, j)
	if strings.HasPrefix(s[j:], "/i ") {
		j, marker = lex.SkipSpace(s, j+3), true
	}
	if strings.HasPrefix(s[j:], "not ") {
		j, marker = lex.SkipSpace(s, j+4), true
	}
	a, ok := batchOperand(s, j)
	if !ok {
		return false
	}
	k := lex.SkipSpace(s, a)
	if !strings.HasPrefix(s[k:], "==") {
		return false
	}
	spaced := k > a
	b := lex.SkipSpace(s, k+2)
	spaced = spaced || b > k+2
	e, ok := batchOperand(s, b)
	if !ok || e < len(s) && !lex.IsSpace(s[e]) {
		return false
	}
	if strings.Contains(s[j:e], "%") || s[j] == '"' || s[j] == '[' || s[j] == '{' {
		marker = true
	}
	return marker || !spaced
}

// batchOperand reads one IF operand at s[i] and returns its end.
func batchOperand(s string, i int) (int, bool) {
	if i >= len(s) {
		return i, false
	}
	switch c := s[i]; c {
	case '"', '[', '{':
		closer := map[byte]byte{'"': '"', '[': ']', '{': '}'}[c]
		e := strings.IndexByte(s[i+1:], closer)
		if e < 0 {
			return i, false
		}
		return i + e + 2, true
	}
	j := i
	for j < len(s) && (lex.IsWord(s[j]) || s[j] == '%' || s[j] == '~' || s[j] == '-' || s[j] == '.') {
		j++
	}
	return j, j > i
}
