package detect

// The SQL lexer: lower-cased text as a stream of SQL tokens, for the
// readings of sqli.go, sqli_shapes.go and sqli_conditions.go.

import "strings"

type tkind uint8

const (
	tNone tkind = iota
	tWord
	tNum
	tStr     // closed string literal
	tOpenStr // string literal left open at the end of the input
	tOp      // comparison or arithmetic operator
	tLogic   // or, and, xor, not, ||, &&
	tSemi
	tLParen
	tRParen
	tComma
	tComment // -- or # line comment, or an unterminated /* comment
	tVar     // @x, @@x
	tOther
)

type tok struct {
	k          tkind
	start, end int
}

// sqlLexer tokenizes lower-cased text as SQL; /* */ comments are whitespace
// (MySQL /*! */ comments are transparent so their content is lexed).
type sqlLexer struct {
	s string
	i int
}

func (l *sqlLexer) next() tok {
	s := l.s
	for l.i < len(s) {
		c := s[l.i]
		if isSpace(c) || c == 0 || c == 0xa0 {
			l.i++
			continue
		}
		if c == '/' && l.i+1 < len(s) && s[l.i+1] == '*' {
			if l.i+2 < len(s) && s[l.i+2] == '!' {
				l.i += 3
				for l.i < len(s) && isDigit(s[l.i]) {
					l.i++
				}
				continue
			}
			j := strings.Index(s[l.i+2:], "*/")
			if j < 0 {
				t := tok{tComment, l.i, len(s)}
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
		return tok{k: tNone, start: len(s), end: len(s)}
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
				return tok{tStr, st, j + 1}
			}
			j++
		}
		l.i = len(s)
		return tok{tOpenStr, st, len(s)}
	case c == '-' && st+1 < len(s) && s[st+1] == '-', c == '#':
		j := strings.IndexByte(s[st:], '\n')
		if j < 0 {
			l.i = len(s)
		} else {
			l.i = st + j
		}
		return tok{tComment, st, l.i}
	case isDigit(c) || c == '.' && st+1 < len(s) && isDigit(s[st+1]):
		j := st
		if c == '0' && st+1 < len(s) && (s[st+1] == 'x' || s[st+1] == 'b') {
			j += 2
		}
		for j < len(s) && (isAlnum(s[j]) || s[j] == '.') {
			j++
		}
		l.i = j
		return tok{tNum, st, j}
	case c == '@':
		j := st + 1
		for j < len(s) && (s[j] == '@' || isWord(s[j]) || s[j] == '.') {
			j++
		}
		l.i = j
		return tok{tVar, st, j}
	case isWord(c) || c == '$' || c >= 0x80:
		j := st
		for j < len(s) && (isWord(s[j]) || s[j] == '$' || s[j] == '.' || s[j] >= 0x80) {
			j++
		}
		l.i = j
		w := s[st:j]
		switch w {
		case "or", "and", "xor", "not", "div", "like", "rlike", "regexp", "is", "between", "in", "sounds":
			if w == "or" || w == "and" || w == "xor" {
				return tok{tLogic, st, j}
			}
			return tok{tOp, st, j}
		}
		return tok{tWord, st, j}
	case c == '|' && st+1 < len(s) && s[st+1] == '|', c == '&' && st+1 < len(s) && s[st+1] == '&':
		l.i = st + 2
		return tok{tLogic, st, st + 2}
	case c == ';':
		l.i++
		return tok{tSemi, st, st + 1}
	case c == '(':
		l.i++
		return tok{tLParen, st, st + 1}
	case c == ')':
		l.i++
		return tok{tRParen, st, st + 1}
	case c == ',':
		l.i++
		return tok{tComma, st, st + 1}
	case strings.IndexByte("=<>!+-*/%^|&~:", c) >= 0:
		j := st + 1
		for j < len(s) && j < st+3 && strings.IndexByte("=<>!|&", s[j]) >= 0 {
			j++
		}
		l.i = j
		return tok{tOp, st, j}
	}
	l.i++
	return tok{tOther, st, st + 1}
}

// lexWindow bounds the text lexed after each of many candidate positions
// (every ";", every "(select"), so that the checks stay linear in the
// value: the few tokens a check needs fit in it.
const lexWindow = 256

// lexN lexes up to len(buf) tokens of s starting at i.
func lexN(s string, i int, buf []tok) []tok {
	l := sqlLexer{s: s, i: i}
	n := 0
	for n < len(buf) {
		t := l.next()
		if t.k == tNone {
			break
		}
		buf[n] = t
		n++
	}
	return buf[:n]
}

func (t tok) text(s string) string { return s[t.start:t.end] }

func isComparison(t tok, s string) bool {
	if t.k != tOp {
		return false
	}
	switch t.text(s) {
	case "=", "==", "<", ">", "<=", ">=", "<>", "!=", "<=>", "like", "rlike", "regexp", "is", "in", "between", "sounds":
		return true
	}
	return false
}

func isOperand(t tok, s string) bool {
	switch t.k {
	case tNum, tStr, tOpenStr, tVar:
		return true
	case tWord:
		return true
	}
	return false
}

func isBoolLiteral(t tok, s string) bool {
	if t.k == tNum {
		return true
	}
	if t.k == tWord {
		switch t.text(s) {
		case "true", "false", "null":
			return true
		}
	}
	return false
}
