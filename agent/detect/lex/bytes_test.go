package lex

import (
	"strings"
	"testing"
)

func TestByteClasses(t *testing.T) {
	for _, c := range []struct {
		b                                byte
		alpha, digit, alnum, word, space bool
	}{
		{'a', true, false, true, true, false},
		{'Z', true, false, true, true, false},
		{'7', false, true, true, true, false},
		{'_', false, false, false, true, false},
		{' ', false, false, false, false, true},
		{'\n', false, false, false, false, true},
		{'@', false, false, false, false, false},
		{0xc3, false, false, false, false, false}, // a UTF-8 lead byte is no letter
	} {
		if IsAlpha(c.b) != c.alpha || IsDigit(c.b) != c.digit || IsAlnum(c.b) != c.alnum || IsWord(c.b) != c.word || IsSpace(c.b) != c.space {
			t.Errorf("classes of %q wrong", c.b)
		}
	}
	if got := SkipSpace("  \t x", 0); got != 4 {
		t.Errorf("SkipSpace = %d, want 4", got)
	}
	if got := SkipSpace("   ", 1); got != 3 {
		t.Errorf("SkipSpace on blanks = %d, want 3", got)
	}
}

func TestSkipSpaceBackStopsAfterTheSignBeforeTheBlanks(t *testing.T) {
	for _, tt := range []struct {
		s    string
		i    int
		want int
	}{
		{"a  \tb", 4, 1}, {"(select", 1, 1}, {"  x", 2, 0}, {"", 0, 0}, {"ab", 2, 2}, {"a\n\r\v\fb", 5, 1},
	} {
		if got := SkipSpaceBack(tt.s, tt.i); got != tt.want {
			t.Errorf("SkipSpaceBack(%q, %d) = %d, want %d", tt.s, tt.i, got, tt.want)
		}
	}
}

// TestTrimBlanksMatchesStrings holds TrimBlanks, TrimBlanksLeft and
// TrimBlanksRight to strings.Trim, TrimLeft and TrimRight with " \t".
func TestTrimBlanksMatchesStrings(t *testing.T) {
	for _, s := range []string{"", " ", "\t \t", "a", " a ", "\ta b\t ", " \n a \r ", "a\t", "\t\ta"} {
		if got, want := TrimBlanks(s), strings.Trim(s, " \t"); got != want {
			t.Errorf("TrimBlanks(%q) = %q, want %q", s, got, want)
		}
		if got, want := TrimBlanksLeft(s), strings.TrimLeft(s, " \t"); got != want {
			t.Errorf("TrimBlanksLeft(%q) = %q, want %q", s, got, want)
		}
		if got, want := TrimBlanksRight(s), strings.TrimRight(s, " \t"); got != want {
			t.Errorf("TrimBlanksRight(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestIsLetters(t *testing.T) {
	for s, want := range map[string]bool{"": false, "abc": true, "AbC": true, "ab1": false, "a-b": false, "é": false} {
		if got := IsLetters(s); got != want {
			t.Errorf("IsLetters(%q) = %v, want %v", s, got, want)
		}
	}
}
