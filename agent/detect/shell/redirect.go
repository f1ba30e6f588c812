package shell

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// shellRedirect reports whether seg holds a redirect the shell would
// perform: '<' or '>' followed by a target. An angle-bracketed
// placeholder, "<module>", "<your-token>", "<path>", is not one: in the
// shell its '>' has no target and the whole line is a syntax error, so a
// traceback ("in <module>") or a usage line ("ssh <host>") runs nothing.
// "$" (a variable) still counts, as in SegmentLooksShell.
func shellRedirect(seg string) bool {
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '$' {
			return true
		}
		if c != '<' && c != '>' {
			continue
		}
		if c == '<' {
			// a placeholder: <word> whose '>' ends the token
			j := i + 1
			for j < len(seg) && (lex.IsWord(seg[j]) || seg[j] == '-' || seg[j] == '.' || seg[j] == ':') {
				j++
			}
			if j > i+1 && j < len(seg) && seg[j] == '>' && (j+1 == len(seg) || !redirectTarget(seg[j+1]) && seg[j+1] != '>' && seg[j+1] != '&') &&
				!fileWordAt(seg, j+1) {
				i = j
				continue
			}
		}
		// an operator: <, <<, >, >>, >&, 2>&1, <( ... then its target
		k := i + 1
		for k < len(seg) && (seg[k] == '<' || seg[k] == '>' || seg[k] == '&' || seg[k] == '(' || seg[k] == '|') {
			k++
		}
		if k = lex.SkipSpace(seg, k); k < len(seg) && redirectTarget(seg[k]) {
			return true
		}
	}
	return false
}

// fileWordAt reports whether the word after the blanks at seg[i:] names
// a file: the shell skips those blanks, so "cat <config.php> out.txt"
// reads one file into another; a sentence goes on with a plain word
// ("replace <token> with yours").
func fileWordAt(seg string, i int) bool {
	k := lex.SkipSpace(seg, i)
	if k == i {
		return false
	}
	e := k
	for e < len(seg) && !lex.IsSpace(seg[e]) {
		e++
	}
	return strings.ContainsAny(seg[k:e], "./~$")
}

// redirectTarget reports whether c can start the file word of a redirect.
func redirectTarget(c byte) bool {
	return lex.IsWord(c) || c == '/' || c == '~' || c == '.' || c == '$' || c == '"' || c == '\'' || c == '-'
}
