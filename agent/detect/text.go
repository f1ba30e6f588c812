package detect

import (
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// mask is a set of byte classes present in a text, computed in one pass; it
// is the prefilter that lets most benign values skip the lexers.
type mask uint64

const (
	bQuote mask = 1 << iota
	bDQuote
	bBacktick
	bLT
	bGT
	bParen
	bSemi
	bPipe
	bAmp
	bDollar
	bLBrace
	bRBrace
	bSlash
	bBackslash
	bDot
	bPercent
	bEq
	bHash
	bStar
	bColon
	bAt
	bDash
	bSpace
	bCtl
	bHigh
	bDigit
	bAlpha
	bNUL
	bComma
	bPlus
	bBracket
	bBang
	bQuestion
	bTilde
	bCaret
	bUnderscore
	bNewline
)

// plainMask are the classes whose presence alone cannot make an attack.
const plainMask = bAlpha | bDigit | bSpace | bDot | bComma | bAt | bDash | bUnderscore | bPlus | bHigh | bQuestion | bBang | bColon

var byteClass = func() (t [256]mask) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = bAlpha
		t[c-32] = bAlpha
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = bDigit
	}
	for c := 0; c < 0x20; c++ {
		t[c] = bCtl
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = bHigh
	}
	t[0] = bCtl | bNUL
	t['\n'] = bCtl | bNewline
	t['\r'] = bCtl | bNewline
	t['\t'] = bSpace
	t[0x0b] = bSpace | bCtl
	t[0x0c] = bSpace | bCtl
	t[0x7f] = bCtl
	t[' '] = bSpace
	t['\''] = bQuote
	t['"'] = bDQuote
	t['`'] = bBacktick
	t['<'] = bLT
	t['>'] = bGT
	t['('] = bParen
	t[')'] = bParen
	t[';'] = bSemi
	t['|'] = bPipe
	t['&'] = bAmp
	t['$'] = bDollar
	t['{'] = bLBrace
	t['}'] = bRBrace
	t['/'] = bSlash
	t['\\'] = bBackslash
	t['.'] = bDot
	t['%'] = bPercent
	t['='] = bEq
	t['#'] = bHash
	t['*'] = bStar
	t[':'] = bColon
	t['@'] = bAt
	t['-'] = bDash
	t[','] = bComma
	t['+'] = bPlus
	t['['] = bBracket
	t[']'] = bBracket
	t['!'] = bBang
	t['?'] = bQuestion
	t['~'] = bTilde
	t['^'] = bCaret
	t['_'] = bUnderscore
	return t
}()

func scanMask(s string) mask {
	var m mask
	for i := 0; i < len(s); i++ {
		m |= byteClass[s[i]]
	}
	return m
}

func (m mask) has(c mask) bool    { return m&c != 0 }
func (m mask) hasAll(c mask) bool { return m&c == c }

// plain reports whether only harmless classes occur.
func (m mask) plain() bool { return m&^plainMask == 0 }

// appendLower appends the ASCII-lowercased s to dst.
func appendLower(dst []byte, s string) []byte { return lex.AppendLower(dst, s) }

// MaxExcerpt bounds Signal.Excerpt in bytes.
const MaxExcerpt = 64

// Excerpt returns at most MaxExcerpt bytes of s around s[off:end], with
// control bytes replaced and secret-looking tokens (JWTs, AWS access keys,
// long digit runs such as card numbers) scrubbed. The result never holds the
// whole of a long value.
func Excerpt(s string, off, end int) string {
	if off < 0 {
		off = 0
	}
	if end > len(s) {
		end = len(s)
	}
	if end < off {
		end = off
	}
	// Centre a window of MaxExcerpt bytes on the match, biased to its start.
	start := off - 16
	if start < 0 {
		start = 0
	}
	stop := start + MaxExcerpt
	if stop > len(s) {
		stop = len(s)
		start = stop - MaxExcerpt
		if start < 0 {
			start = 0
		}
	}
	// Do not cut UTF-8 sequences.
	for start > 0 && start < len(s) && !utf8.RuneStart(s[start]) {
		start++
	}
	for stop < len(s) && stop > start && !utf8.RuneStart(s[stop]) {
		stop--
	}
	return scrub(s[start:stop])
}

// scrub replaces secrets and non-printable bytes in a short excerpt.
func scrub(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || (s[j] == ' ' || s[j] == '-') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
				j++
			}
			if digits(s[i:j]) >= 9 {
				b.WriteString("[digits]")
			} else {
				b.WriteString(s[i:j])
			}
			i = j
			continue
		case c == 'e' && strings.HasPrefix(s[i:], "eyJ"):
			j := i
			for j < len(s) && (isB64URL(s[j]) || s[j] == '.') {
				j++
			}
			if j-i >= 16 {
				b.WriteString("[jwt]")
				i = j
				continue
			}
		case (c == 'A' && (strings.HasPrefix(s[i:], "AKIA") || strings.HasPrefix(s[i:], "ASIA"))):
			j := i
			for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			if j-i >= 16 {
				b.WriteString("[aws-key]")
				i = j
				continue
			}
		case c < 0x20 || c == 0x7f:
			b.WriteByte('.')
			i++
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError {
				b.WriteByte('?')
			} else {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func isB64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '+' || c == '/' || c == '='
}

// The byte classes are package lex's, under the short names the readings
// of this package use.
func isAlpha(c byte) bool { return lex.IsAlpha(c) }
func isDigit(c byte) bool { return lex.IsDigit(c) }
func isAlnum(c byte) bool { return lex.IsAlnum(c) }
func isWord(c byte) bool  { return lex.IsWord(c) }
func isSpace(c byte) bool { return lex.IsSpace(c) }

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(s string, i int) int { return lex.SkipSpace(s, i) }

// The word searches and hex digits are package lex's too.
func wordAt(s string, i int, w string) bool { return lex.WordAt(s, i, w) }
func indexWord(s, w string) int             { return lex.IndexWord(s, w) }
func unhex2(a, b byte) (byte, bool)         { return lex.Unhex2(a, b) }
func unsafeString(b []byte) string          { return lex.View(b) }
func skipCodeSpace(s string, j int) int     { return lex.SkipCodeSpace(s, j) }
