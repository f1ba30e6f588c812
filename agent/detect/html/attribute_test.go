package html

import "testing"

func TestLooseHandler(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{`"onwebkitanimationend=alert(1)`, 1},
		{"' onabcdef =x", 2},
		{"  onload= x", 2},
		{"x/onfocus=y", 2},
		{"onload=x", -1},            // no quote, '<' or opening blanks before it
		{`"on=x`, -1},               // too short to be a handler
		{"common sense = good", -1}, // inside a word
	} {
		if got := LooseHandler(c.s); got != c.want {
			t.Errorf("LooseHandler(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestOnlyInertStyle(t *testing.T) {
	for _, c := range []struct {
		name string
		s    string
		want bool
	}{
		{"alignment", `<p style="text-align:center">x</p>`, true},
		{"color function", `<span style="color:rgb(1,2,3)">x</span>`, true},
		{"expression", `<p style="width:expression(alert(1))">x</p>`, false},
		{"url", `<p style="background:url(x)">x</p>`, false},
		{"positioned overlay", `<a style="position:fixed;top:0" href="x">x</a>`, false},
		{"unquoted", `<p style=color:red>x</p>`, false},
		{"handler beside the style", `<p style="color:red" onclick="x()">x</p>`, false},
		{"no style", `<p onclick="x()">x</p>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := OnlyInertStyle(c.s); got != c.want {
				t.Errorf("OnlyInertStyle(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
