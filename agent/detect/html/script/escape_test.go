package script

import "testing"

func TestEscapedIdentifier(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{`"in \u0076\u0061l\u0075e\u004F\u0066=`, 4},
		{`' in \x76\x61lueOf=`, 5},
		{`c\x6f\x6esole`, 0},
		{`\u003cb\u003e bold`, -1},   // markup escaped as JSON does
		{`caf\u00e9 cr\u00e8me`, -1}, // non-ASCII
		{`C:\xampp\htdocs`, -1},      // a Windows path
		{`the letter \u0041 is A`, -1},
	} {
		if got := EscapedIdentifier(c.s); got != c.want {
			t.Errorf("EscapedIdentifier(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
