package statement

import "testing"

// TestClauseStart checks the clause reader alone, where libinjection
// would otherwise decide first: a MySQL versioned comment runs SQL, a
// license comment in minified CSS or JavaScript does not.
func TestClauseStart(t *testing.T) {
	cases := []struct {
		s    string
		want bool
	}{
		{"9999 or {if length((/*!5000select username", true},
		{"1 /*!union*/ select 1", true},
		{"/*! normalize.css v8.0.1 | mit license */ html{line-height:1.15}", false},
		{"/*!jquery v3.7.1 | (c) openjs foundation */", false},
		{"declare @b", true},
		{"declare @home as your handle", false},
		{"if(1=", true},
		{"if(a==b)", false},
	}
	for _, tc := range cases {
		if _, _, ok := clauseStart(tc.s); ok != tc.want {
			t.Errorf("clauseStart(%q) = %v, want %v", tc.s, ok, tc.want)
		}
	}
}
