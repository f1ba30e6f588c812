package bundle

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidVersionAgreesWithItsGrammar holds validVersion to the grammar it
// spells out, ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$.
func TestValidVersionAgreesWithItsGrammar(t *testing.T) {
	grammar := regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$`)
	cases := []string{
		"", "v1", "2026-12-07.1", "_x", "-x", ".", "..", ".v1", "v1/", "v 1", "v1\n", "é",
		strings.Repeat("a", 64), strings.Repeat("a", 65), "a" + strings.Repeat(".", 63),
	}
	for c := byte(0); c < 128; c++ {
		cases = append(cases, string(c), "v"+string(c))
	}
	for _, v := range cases {
		if got, want := validVersion(v), grammar.MatchString(v); got != want {
			t.Errorf("validVersion(%q) = %v, grammar says %v", v, got, want)
		}
	}
}
