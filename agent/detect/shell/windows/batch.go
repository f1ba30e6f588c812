// Package windows reads a value as Windows cmd.exe batch: FOR loops and IF
// statements (IF EXIST, IF ERRORLEVEL, IF [/I] a==b command), which run a
// command no POSIX shell reading sees. Python, JavaScript and C conditions
// that share the words do not parse.
package windows

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

// Batch finds cmd.exe FOR and IF statements: "for %%g in (...) do",
// "for /f ... in (...) do", "if exist x echo", "if %errorlevel% gtr 2".
func Batch(s string) int {
	if BatchIf(s) {
		return 0
	}
	// FOR needs a % variable or a /switch before IN: a text without
	// either is not read for one
	if i := lex.IndexWord(s, "for"); i >= 0 && (strings.IndexByte(s[i:], '%') >= 0 || strings.IndexByte(s[i:], '/') >= 0) {
		r := s[i+3:]
		in := strings.Index(r, " in ")
		do := strings.Index(r, " do")
		if in < 0 {
			in = strings.Index(r, " in(")
		}
		if do < 0 {
			do = strings.Index(r, ")do")
		}
		if in >= 0 && do > in && (strings.Contains(r[:in], "%") || strings.Contains(r[:in], "/")) && strings.IndexByte(r[in:], '(') >= 0 {
			return i
		}
	}
	if i := lex.IndexWord(s, "if"); i >= 0 {
		// IF's condition and command stand on one line: a C "if (a ==
		// b) {" has its statements on the next ones
		line := s[i+2:]
		if e := strings.IndexByte(line, '\n'); e >= 0 {
			line = line[:e]
		}
		// the line between blanks, " cond ... ", built whole only when
		// a condition word calls for its commands: without a %
		// variable, a condition word counts among its first 16 bytes, so
		// only their head is read first
		t := strings.TrimSpace(line)
		pct := strings.IndexByte(t, '%') >= 0
		const headLen = 16 + len(" cmdextversion ")
		var head string
		if pct || len(t)+2 <= headLen {
			head = " " + t + " "
		} else {
			var buf [headLen]byte // the head of a long line, on the stack
			buf[0] = ' '
			copy(buf[1:], t)
			head = lex.View(buf[:])
		}
		if i == 0 {
			for _, w := range [...]string{" exist ", " not exist ", " errorlevel ", " defined ", " not defined "} {
				if strings.HasPrefix(head, w) {
					return i
				}
			}
		}
		for _, w := range [...]string{" exist ", " not exist ", " errorlevel ", " defined ", " equ ", " neq ", " lss ", " leq ", " gtr ", " geq ", " /i ", "==", " cmdextversion "} {
			if j := strings.Index(head, w); j >= 0 && (j < 16 || pct) {
				r := " " + t + " "
				for _, c := range [...]string{"echo", "goto", "call", "cmd", "del", "copy", "set", "start", "exit", "cd", "type", "dir", "move", "ren", "md", "rd"} {
					if lex.IndexWord(r, c) >= 0 {
						return i
					}
				}
			}
		}
	}
	return -1
}
