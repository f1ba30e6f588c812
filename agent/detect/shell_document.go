package detect

import "strings"

// shellDocument reports whether s reads as a shell document rather than a
// value spliced into a command line: two or more lines, the first opening
// with a comment ("# save the seed") or an interactive prompt ("$ ls",
// "bash$ cat", "sh1# mount", "PS C:\> dir"). In the shell's own grammar
// such a first line runs nothing ("#" comments the line out, a prompt is no
// command), so nothing in the value breaks out of an argument: it is a
// transcript or a commented script, shown the way documentation shows
// them. Its separators chain the commands it shows, which is how a markdown
// code span is read (see spanCommandRuns): only a shell, an interpreter or
// a network tool behind one still counts.
func shellDocument(s string) bool {
	nl := strings.IndexByte(s, '\n')
	if nl < 0 || strings.TrimSpace(s[nl+1:]) == "" {
		return false
	}
	first := strings.TrimLeft(s[:nl], " \t")
	if strings.HasPrefix(first, "#") {
		return true
	}
	// a prompt: one word ending in $, #, % or >, then a blank
	sp := strings.IndexAny(first, " \t")
	if sp <= 0 || sp > 32 {
		return false
	}
	w := first[:sp]
	switch w[len(w)-1] {
	case '$', '#', '%', '>':
	default:
		return false
	}
	for i := 0; i < len(w)-1; i++ {
		if c := w[i]; !(isWord(c) || strings.IndexByte("@:~/.-\\[]", c) >= 0) {
			return false
		}
	}
	return true
}
