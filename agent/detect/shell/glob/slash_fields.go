package glob

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// slashFields yields, in order, the fields of strings.FieldsSeq(s) that
// begin with '/', the only fields File reads as paths. It jumps from one
// '/' to the next with strings.IndexByte rather than reading every rune
// of s, so a long value with few paths costs a vectorised scan; the
// fields are the same, as TestSlashFieldsAgree checks: a '/' is an ASCII
// byte, so it always starts a rune of s, and it starts a field when s
// begins there or the rune before it (decoded backwards, which finds the
// rune forward decoding finds) is a space.
func slashFields(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for from := 0; from < len(s); {
			i := strings.IndexByte(s[from:], '/')
			if i < 0 {
				return
			}
			i += from
			if i > 0 && !spaceBefore(s, i) {
				// inside a field: its '/' bytes start no field, so
				// skip to the field's end
				from = i + 1 + fieldEnd(s[i+1:])
				continue
			}
			end := i + 1 + fieldEnd(s[i+1:])
			if !yield(s[i:end]) {
				return
			}
			from = end
		}
	}
}

// spaceBefore reports whether the rune of s ending at i is a space, as
// strings.FieldsSeq tells one.
func spaceBefore(s string, i int) bool {
	if c := s[i-1]; c < utf8.RuneSelf {
		return asciiSpace(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}

// fieldEnd returns the length of the field at the start of s: the index
// of its first space rune, or len(s).
func fieldEnd(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// asciiSpace reports whether c is one of the ASCII bytes
// strings.FieldsSeq splits on.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
