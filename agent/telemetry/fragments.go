package telemetry

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// fragments answers whether a name, lowercased, contains one of a set of
// lowercase fragments: strings.Contains(strings.ToLower(name), f) for any
// f, which is how sensitive names are recognised. A record asks it for
// every header, parameter and field name of its request, and every part
// of their locations (about forty names for a 1 KB event): one
// strings.Contains per fragment and name was a quarter of the cost of an
// allowed event's record. Here an ASCII name is read once, and at each of
// its bytes only the fragments that begin with that byte, in either case,
// are compared; a name with other bytes takes the plain path, since
// strings.ToLower maps some of them to ASCII letters (the Kelvin sign to
// 'k').
type fragments struct {
	all     []string
	byFirst [256][]string // ASCII fragments by first byte, under both cases of a letter
}

func newFragments(all []string) *fragments {
	f := &fragments{all: slices.Clone(all)}
	for _, p := range f.all {
		if p == "" || !isASCII(p) {
			continue // "" never reaches here (NewRedactor drops it); non-ASCII ones match non-ASCII names only
		}
		c := p[0]
		f.byFirst[c] = append(f.byFirst[c], p)
		if c >= 'a' && c <= 'z' {
			f.byFirst[c-'a'+'A'] = append(f.byFirst[c-'a'+'A'], p)
		}
	}
	return f
}

// in reports whether strings.ToLower(name) contains one of the fragments.
func (f *fragments) in(name string) bool {
	if !isASCII(name) {
		lower := strings.ToLower(name)
		for _, p := range f.all {
			if strings.Contains(lower, p) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(name); i++ {
		for _, p := range f.byFirst[name[i]] {
			if len(name)-i >= len(p) && equalLowerASCII(name[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

// equalLowerASCII reports whether the ASCII string s, lowercased, is
// lower.
func equalLowerASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
