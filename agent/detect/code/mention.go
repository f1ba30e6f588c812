package code

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// InProse reports whether lower-cased s is English prose that names
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
func InProse(s string) bool {
	runs, inRow := 0, 0
	quote := byte(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\'' || c == '"' || c == '`' {
			// Words inside a string literal are data a payload may
			// carry ("system('echo you are hacked')"); an apostrophe
			// between letters ("doesn't") opens nothing.
			if !(c == '\'' && i > 0 && lex.IsAlpha(s[i-1]) && i+1 < len(s) && lex.IsAlpha(s[i+1])) {
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
			case c == '/' && regexAllowed(s, i):
				// A JavaScript regular expression literal holds words
				// the way a string does: "/ aa bb cc /.test(x) ||
				// require(...)" is code.
				if e := strings.IndexAny(s[i+1:], "/\n"); e >= 0 && s[i+1+e] == '/' {
					i, inRow = i+1+e+1, 0
					continue
				}
			case (c == ';' || c == ')' && (endsLine(s, i+1) || chainsStatement(s, i+1))) && runs == 0:
				// A statement ends before any sentence began. Ruby,
				// Groovy and Perl read the words that follow as calls
				// ("system('id'); the quick brown fox" runs id, then
				// fails on "the"), so a sentence after a complete
				// statement does not stop it from running. Prose that
				// names code introduces it first ("the old code used
				// exec(cmd); we replaced it").
				return false
			}
		}
		if quote != 0 || !lex.IsAlpha(c) {
			i++
			continue
		}
		j := i
		for j < len(s) && lex.IsAlpha(s[j]) {
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

// regexAllowed reports whether a '/' at s[i] opens a JavaScript regular
// expression literal: it starts the value or follows an operator or an
// opening bracket, where a division cannot stand ("x = /a b/", "(/a b/").
// After a word or a number it divides or joins ("and/or").
func regexAllowed(s string, i int) bool {
	k := i
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	return k == 0 || strings.IndexByte("(=,;!&|?:{}[", s[k-1]) >= 0
}

// chainsStatement reports whether s[i:] goes on with a boolean operator
// that runs the next expression after the one before it: "system('id')
// and the quick brown fox" runs id in Ruby and Perl before it reaches
// the words.
func chainsStatement(s string, i int) bool {
	i = lex.SkipSpace(s, i)
	r := s[i:min(len(s), i+4)]
	return strings.HasPrefix(r, "&&") || strings.HasPrefix(r, "||") || lex.WordAt(s, i, "and") || lex.WordAt(s, i, "or")
}

// endsLine reports whether only blanks stand between s[i] and a line end.
func endsLine(s string, i int) bool {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i < len(s) && s[i] == '\n'
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
