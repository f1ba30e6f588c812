package prose

import "testing"

// TestJSONMembers tells JSON object members, whose quotes libinjection
// reads as a string breakout, from a double-quote breakout.
func TestJSONMembers(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{`"windowsDebug": "@powershell -Command $env:DEBUG='*';node app.js",`, true},
		{`"a": 1, "b": [true, null]`, true},
		{`" or "1"="1`, false},
		{`" or 1=1 -- "`, false},
		{`"x"`, false},
	} {
		if got := JSONMembers(c.s); got != c.want {
			t.Errorf("JSONMembers(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
