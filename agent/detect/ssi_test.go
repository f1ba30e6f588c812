package detect

import "testing"

func TestSSIDirectives(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		text   string
		attack bool
	}{
		{`<!--#exec cmd="ls" -->`, true},
		{`<!--#include virtual="/index.html" -->`, true},
		{`<!--#echo var="DATE_LOCAL" -->`, true},
		{`<!--#printenv -->`, true},
		{`<!--#config errmsg="x" -->`, true},
		{`<!-- TODO: fix #42 -->`, false},
		{`<!--#region generated -->`, false},
		{`see issue <!--#123-->`, false},
	}
	for _, tt := range tests {
		sigs := e.Inspect(body("comment", tt.text), nil)
		if got := fired(sigs, "ssi-directive"); got != tt.attack {
			t.Errorf("%q fired %q, want ssi-directive %v", tt.text, classes(sigs), tt.attack)
		}
	}
}
