package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// codeInProse reports whether lower-cased s is English prose that names
// code rather than code itself: at least two places where three words of
// two or more letters follow each other, each separated by one blank
// ("rather than os", "it avoids the shell") outside string literals, none
// of them a keyword that lets code put words side by side ("not in",
// "return new", "import os").
// Every language an eval, include or deserializer runs (PHP, Python,
// JavaScript, Java) rejects three bare words in a row, so a dangerous call
// written inside such a sentence ("prefer subprocess.run([...]) over
// os.system") cannot run as the value stands; a payload that breaks out of
// a string in code carries no sentence. One pass.
func codeInProse(s string) bool {
	runs, inRow := 0, 0
	quote := byte(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' || c == '"' || c == '`' {
			// Words inside a string literal are data a payload may
			// carry ("system('echo you are hacked')"); an apostrophe
			// between letters ("doesn't") opens nothing.
			if !(c == '\'' && i > 0 && isAlpha(s[i-1]) && i+1 < len(s) && isAlpha(s[i+1])) {
				switch quote {
				case 0:
					quote = c
				case c:
					quote = 0
				}
			}
			inRow = 0
			i++
			continue
		}
		if quote == 0 {
			// Comments are where code keeps its prose ("system('id'); //
			// run it now please"): their words do not make the value a
			// sentence. After a PHP close tag the rest is output, so the
			// code before it stands as written.
			switch {
			case c == '#' || c == '/' && i+1 < len(s) && s[i+1] == '/' && (i == 0 || s[i-1] != ':'):
				e := strings.IndexByte(s[i:], '\n')
				if e < 0 {
					return false
				}
				i, inRow = i+e+1, 0
				continue
			case c == '/' && i+1 < len(s) && s[i+1] == '*':
				e := strings.Index(s[i+2:], "*/")
				if e < 0 {
					return false
				}
				i, inRow = i+2+e+2, 0
				continue
			case c == '?' && i+1 < len(s) && s[i+1] == '>':
				return false
			}
		}
		if quote != 0 || !isAlpha(c) {
			i++
			continue
		}
		j := i
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		w := s[i:j]
		wordOK := j-i >= 2 && !proseKeyword(w) && (i == 0 || s[i-1] == ' ' && (i < 2 || s[i-2] != ' ')) &&
			(j == len(s) || s[j] == ' ' || s[j] == ',' || s[j] == '.' || s[j] == '?' || s[j] == '!' || s[j] == ':' || s[j] == '\'')
		if wordOK && (inRow == 0 || i > 0 && s[i-1] == ' ') {
			inRow++
			if inRow == 3 {
				runs++
				inRow = 0
				if runs >= 2 {
					return true
				}
			}
		} else {
			inRow = 0
		}
		if j < len(s) && s[j] != ' ' {
			inRow = 0 // "system(" or "os.system": the row ends at code
		}
		i = j
	}
	return false
}

// proseKeyword reports words that code places next to other words.
func proseKeyword(w string) bool {
	switch w {
	case "in", "not", "is", "and", "or", "new", "return", "import", "from", "as", "lambda", "typeof",
		"instanceof", "await", "yield", "def", "class", "function", "var", "let", "const", "if", "else",
		"elif", "for", "while", "echo", "print", "puts", "require", "include", "system", "exec", "eval",
		"throw", "raise", "case", "do", "then", "end", "use", "namespace", "public", "private", "static",
		"final", "void", "extends", "implements", "global", "del", "assert", "with", "async", "delete",
		"of", "die", "exit", "pass", "try", "catch", "finally", "goto", "unset", "list", "array", "fn":
		return true
	}
	return false
}

// codeMention reports whether the value is prose that names code (see
// codeInProse); the code-word detectors leave such mentions alone, while
// open tags, superglobals, serialized objects and shell stay judged.
func (in *input) codeMention() bool {
	return in.v.Part != event.PartPath && codeInProse(in.lower())
}
