package evasion

import "testing"

func TestEncodedBracketReadsOnlyProbeSpellings(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"&#060;", true},
		{"&#0000060;", true},
		{"&#x03c", true},
		{"&#x0003c;", true},
		{"&#x3c", true},
		{"&#62", true},
		{"\\x3c", true},
		{"\\u003c", true},
		{"\\u{3c}", true},
		{"\\3e", true},
		{"&lt;", false},   // what an editor writes
		{"&#60;", false},  // the plain reference
		{"&#x3c;", false}, // likewise
		{"&#x3c;b", false},
		{"&#065;", false}, // another character
		{"\\x41", false},
		{"a &#x3c", false}, // not the whole value
	} {
		if got := EncodedBracket(c.s); got != c.want {
			t.Errorf("EncodedBracket(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
