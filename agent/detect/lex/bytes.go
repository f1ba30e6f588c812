// Package lex holds the byte classes every reading of agent/detect and its
// family packages (shell, traversal, ssrf, code, template, nosql, ssi, ...)
// lexes with, so that "a word byte" or "a blank" means the same thing in
// every grammar, and the keyword scanners they search their vocabularies
// with (ByteSet, WordList, FirstIndex).
// ASCII only: the values are lower-cased ASCII before any grammar reads
// them, and multi-byte runes are never word bytes.
package lex

import (
	"slices"
)

// IsAlpha reports whether c is an ASCII letter.
func IsAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsDigits reports whether s is a non-empty run of ASCII digits: a
// number field of a protocol line.
func IsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// IsLetters reports whether s is a non-empty run of ASCII letters.
func IsLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsAlpha(s[i]) {
			return false
		}
	}
	return s != ""
}

// IsAlnum reports whether c is an ASCII letter or digit.
func IsAlnum(c byte) bool { return IsAlpha(c) || IsDigit(c) }

// IsWord reports whether c can be part of an identifier: a letter, a digit
// or '_'.
func IsWord(c byte) bool { return IsAlnum(c) || c == '_' }

// IsSpace reports whether c is an ASCII blank: space, tab, newline,
// carriage return, vertical tab or form feed.
func IsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// AppendLower appends s to dst with its ASCII letters lower-cased; other
// bytes are copied, so offsets into the result are offsets into s.
func AppendLower(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, len(s))[:n+len(s)]
	b := dst[n:] // one bounds check for the whole copy: len(b) == len(s)
	for i := 0; i < len(b) && i < len(s); i++ {
		b[i] = lowerASCII[s[i]]
	}
	return dst
}

// lowerASCII maps each byte to itself with ASCII letters lower-cased.
var lowerASCII = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// SkipSpace returns the index of the first non-blank byte of s at or after
// i (len(s) if there is none).
func SkipSpace(s string, i int) int {
	for i < len(s) && IsSpace(s[i]) {
		i++
	}
	return i
}

// SkipSpaceBack returns the offset of the blanks that end s[:i], or i
// when s[i-1] is not one: where the word or sign before them ends.
func SkipSpaceBack(s string, i int) int {
	for i > 0 && IsSpace(s[i-1]) {
		i--
	}
	return i
}

// WordAt reports whether s has the word w at i with word boundaries around it.
func WordAt(s string, i int, w string) bool {
	if i < 0 || i+len(w) > len(s) || s[i:i+len(w)] != w {
		return false
	}
	if i > 0 && IsWord(s[i-1]) {
		return false
	}
	return i+len(w) == len(s) || !IsWord(s[i+len(w)])
}

// IndexWord returns the index of the first bounded occurrence of w in s, or -1.
func IndexWord(s, w string) int {
	return IndexWhere(s, w, func(i int) bool { return WordAt(s, i, w) })
}

// IndexWhere returns the index of the first occurrence of w in s that ok
// accepts, or -1. Every occurrence is asked about: one rejected (a decoy
// inside a longer word) must not hide a later one.
func IndexWhere(s, w string, ok func(i int) bool) int {
	for off := 0; off < len(s); {
		i := Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		if ok(i) {
			return i
		}
		off = i + 1
	}
	return -1
}

// TrimBlanks returns s without its leading and trailing spaces and tabs,
// as strings.Trim(s, " \t") does, without building a byte set per call.
func TrimBlanks(s string) string { return TrimBlanksRight(TrimBlanksLeft(s)) }

// TrimBlanksLeft returns s without its leading spaces and tabs.
func TrimBlanksLeft(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[i:]
}

// TrimBlanksRight returns s without its trailing spaces and tabs.
func TrimBlanksRight(s string) string {
	i := len(s)
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
		i--
	}
	return s[:i]
}
