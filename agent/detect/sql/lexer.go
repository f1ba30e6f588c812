// Package sql holds what the SQL readings share: a lexer of lower-cased
// text as SQL tokens, and SQL's vocabulary (the functions injection calls,
// the words only SQL uses, the words SQL reserves). The readings themselves
// live in the subpackages statement, shape, fragment and prose; the engine
// in agent/detect runs them and emits the signals.
package sql

// The SQL lexer: lower-cased text as a stream of SQL tokens, for the
// readings in statement, shape, fragment and prose.

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// Kind is the class of a SQL token.
type Kind uint8

const (
	None Kind = iota
	Word
	Num
	Str     // closed string literal
	OpenStr // string literal left open at the end of the input
	Op      // comparison or arithmetic operator
	Logic   // or, and, xor, not, ||, &&
	Semi
	LParen
	RParen
	Comma
	Comment // -- or # line comment, or an unterminated /* comment
	Var     // @x, @@x
	Other
)

// Token is one SQL token: its kind and its span in the lexed text.
type Token struct {
	Kind       Kind
	Start, End int
}

// lexer tokenizes lower-cased text as SQL; /* */ comments are whitespace
// (MySQL /*! */ comments are transparent so their content is lexed).
type lexer struct {
	s string
	i int
}

func (l *lexer) next() Token {
	s := l.s
	for l.i < len(s) {
		c := s[l.i]
		if lex.IsSpace(c) || c == 0 || c == 0xa0 {
			l.i++
			continue
		}
		if c == '/' && l.i+1 < len(s) && s[l.i+1] == '*' {
			if l.i+2 < len(s) && s[l.i+2] == '!' {
				l.i += 3
				for l.i < len(s) && lex.IsDigit(s[l.i]) {
					l.i++
				}
				continue
			}
			j := strings.Index(s[l.i+2:], "*/")
			if j < 0 {
				t := Token{Comment, l.i, len(s)}
				l.i = len(s)
				return t
			}
			l.i += j + 4
			continue
		}
		if c == '*' && l.i+1 < len(s) && s[l.i+1] == '/' { // end of a /*! comment
			l.i += 2
			continue
		}
		break
	}
	if l.i >= len(s) {
		return Token{Kind: None, Start: len(s), End: len(s)}
	}
	st := l.i
	c := s[st]
	switch {
	case c == '\'' || c == '"' || c == '`':
		j := st + 1
		for j < len(s) {
			if s[j] == '\\' {
				j += 2
				continue
			}
			if s[j] == c {
				if j+1 < len(s) && s[j+1] == c { // doubled quote escape
					j += 2
					continue
				}
				l.i = j + 1
				return Token{Str, st, j + 1}
			}
			j++
		}
		l.i = len(s)
		return Token{OpenStr, st, len(s)}
	case c == '-' && st+1 < len(s) && s[st+1] == '-', c == '#':
		j := strings.IndexByte(s[st:], '\n')
		if j < 0 {
			l.i = len(s)
		} else {
			l.i = st + j
		}
		return Token{Comment, st, l.i}
	case lex.IsDigit(c) || c == '.' && st+1 < len(s) && lex.IsDigit(s[st+1]):
		j := st
		if c == '0' && st+1 < len(s) && (s[st+1] == 'x' || s[st+1] == 'b') {
			j += 2
		}
		for j < len(s) && (lex.IsAlnum(s[j]) || s[j] == '.') {
			j++
		}
		l.i = j
		return Token{Num, st, j}
	case c == '@':
		j := st + 1
		for j < len(s) && (s[j] == '@' || lex.IsWord(s[j]) || s[j] == '.') {
			j++
		}
		l.i = j
		return Token{Var, st, j}
	case lex.IsWord(c) || c == '$' || c >= 0x80:
		j := st
		for j < len(s) && (lex.IsWord(s[j]) || s[j] == '$' || s[j] == '.' || s[j] >= 0x80) {
			j++
		}
		l.i = j
		w := s[st:j]
		switch w {
		case "or", "and", "xor", "not", "div", "like", "rlike", "regexp", "is", "between", "in", "sounds":
			if w == "or" || w == "and" || w == "xor" {
				return Token{Logic, st, j}
			}
			return Token{Op, st, j}
		}
		return Token{Word, st, j}
	case c == '|' && st+1 < len(s) && s[st+1] == '|', c == '&' && st+1 < len(s) && s[st+1] == '&':
		l.i = st + 2
		return Token{Logic, st, st + 2}
	case c == ';':
		l.i++
		return Token{Semi, st, st + 1}
	case c == '(':
		l.i++
		return Token{LParen, st, st + 1}
	case c == ')':
		l.i++
		return Token{RParen, st, st + 1}
	case c == ',':
		l.i++
		return Token{Comma, st, st + 1}
	case strings.IndexByte("=<>!+-*/%^|&~:", c) >= 0:
		j := st + 1
		for j < len(s) && j < st+3 && strings.IndexByte("=<>!|&", s[j]) >= 0 {
			j++
		}
		l.i = j
		return Token{Op, st, j}
	}
	l.i++
	return Token{Other, st, st + 1}
}

// LexWindow bounds the text lexed after each of many candidate positions
// (every ";", every "(select"), so that the checks stay linear in the
// value: the few tokens a check needs fit in it.
const LexWindow = 256

// LexN lexes up to len(buf) tokens of s starting at i.
func LexN(s string, i int, buf []Token) []Token {
	l := lexer{s: s, i: i}
	n := 0
	for n < len(buf) {
		t := l.next()
		if t.Kind == None {
			break
		}
		buf[n] = t
		n++
	}
	return buf[:n]
}

// Text returns the token's text in s, the string it was lexed from.
func (t Token) Text(s string) string { return s[t.Start:t.End] }

// IsComparison reports an operator token that compares two operands.
func IsComparison(t Token, s string) bool {
	if t.Kind != Op {
		return false
	}
	switch t.Text(s) {
	case "=", "==", "<", ">", "<=", ">=", "<>", "!=", "<=>", "like", "rlike", "regexp", "is", "in", "between", "sounds":
		return true
	}
	return false
}

// IsOperand reports a token that can stand on either side of an operator.
func IsOperand(t Token, s string) bool {
	switch t.Kind {
	case Num, Str, OpenStr, Var:
		return true
	case Word:
		return true
	}
	return false
}

// IsBoolLiteral reports a token a condition can be made of alone: a
// number, true, false or null.
func IsBoolLiteral(t Token, s string) bool {
	if t.Kind == Num {
		return true
	}
	if t.Kind == Word {
		switch t.Text(s) {
		case "true", "false", "null":
			return true
		}
	}
	return false
}
