package code

import "testing"

// TestInjectedStatement checks where a call spliced into evaluated code
// after a breakout starts, and that sentences with a call are none.
func TestInjectedStatement(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{{";exit(md5('x'));#", 0}, {"'.exit(md5('x'));//", 1}, {"a;b(c);", 1}, {"x.y(z);", -1}, {";exit(", -1}, {";1(2);", -1}} {
		if got := InjectedStatement(c.s); got != c.want {
			t.Errorf("InjectedStatement(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
