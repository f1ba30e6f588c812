package lookalike

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Document reports whether s reads as a shell document rather than a
// value spliced into a command line: two or more lines, the first opening
// with a comment ("# save the seed"), an interactive prompt ("$ ls",
// "bash$ cat", "sh1# mount", "C:\> dir") or a command with an option or a
// path ("mknod -m 660 /dev/port c 1 4"). Nothing in such a value breaks
// out of an argument: it starts as commands (or as a comment or a prompt,
// which run nothing) and goes on as commands, a transcript or a script
// shown the way documentation shows them. Its separators chain the
// commands it shows, which is how a markdown code span is read (see
// spanCommandRuns): only a shell, an interpreter or a network tool behind
// one still counts.
func Document(s string) bool {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 || strings.TrimSpace(s[nl+1:]) == "" {
		return false
	}
	first := lex.TrimBlanksLeft(s[:nl])
	if strings.HasPrefix(first, "#") {
		return true
	}
	sp := strings.IndexAny(first, " \t")
	if sp <= 0 || sp > 32 {
		return false
	}
	w := first[:sp]
	switch w[len(w)-1] {
	case '$', '#', '%', '>':
		// a prompt: one word ending in $, #, % or >, then a blank
		for i := 0; i < len(w)-1; i++ {
			if c := w[i]; !(lex.IsWord(c) || strings.IndexByte("@:~/.-\\[]", c) >= 0) {
				return false
			}
		}
		return true
	}
	// a script: its first line a command word with an option or a path,
	// "mknod -m 660 /dev/port c 1 4"
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(lex.IsAlnum(c) || c == '-' || c == '_' || c == '.') || i == 0 && !lex.IsAlpha(c) {
			return false
		}
	}
	arg := lex.TrimBlanksLeft(first[sp:])
	return arg != "" && strings.IndexByte("-/$~", arg[0]) >= 0
}

// InterpreterRunsLocalScript reports whether the command word w, ending
// at s[we], is an interpreter whose argument is a script file named
// relative to the working directory ("node app.js", "python3 manage.py
// migrate"): a project's own program run the way its README says. An
// attack feeds an interpreter code (-e, -c, -r), stdin, or a file it
// dropped somewhere writable (/tmp/x.py); those do not read this way.
func InterpreterRunsLocalScript(s, w string, we int) bool {
	switch w {
	case "node", "python", "python2", "python3", "ruby", "perl", "php", "deno", "bun":
	default:
		return false
	}
	a := lex.SkipSpace(s, we)
	e := a
	for e < len(s) && (lex.IsWord(s[e]) || s[e] == '.' || s[e] == '-' || s[e] == '/') {
		e++
	}
	arg := s[a:e]
	if arg == "" || arg[0] == '-' || arg[0] == '/' || arg[0] == '.' || strings.Contains(arg, "..") {
		return false
	}
	for _, ext := range [...]string{".js", ".mjs", ".cjs", ".ts", ".py", ".rb", ".pl", ".php"} {
		if strings.HasSuffix(arg, ext) {
			return true
		}
	}
	return false
}
