package script

import "testing"

func TestBreakoutAssign(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"'  infoo.bar=", 0},
		{`"x.y=1`, 0},
		{"';document.domain=1", 0},
		{"set 'name' user.name=bob", -1}, // a balanced pair quotes text
		{"'a.b==c", -1},                  // a comparison
		{"'a.=x", -1},
		{"'abc=x", -1}, // no property
	} {
		if got := BreakoutAssign(c.s); got != c.want {
			t.Errorf("BreakoutAssign(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
