package glob

import "testing"

// TestMatch checks shell pattern matching: '?', '*', bracket classes
// and ranges, negation, and placeholders that are no class.
func TestMatch(t *testing.T) {
	for _, c := range []struct {
		p, name string
		want    bool
	}{{"ca?", "cat", true}, {"?s?", "usr", true}, {"c*t", "cat", true}, {"c*t", "chmod", false}, {"*", "", true}, {"a[bc]d", "abd", true}, {"a[bc]d", "aed", false}, {"[a-z]in", "bin", true}, {"[!a-c]in", "bin", false}, {"[pid]", "1", false}, {"??", "cat", false}} {
		if got := Match(c.p, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.p, c.name, got)
		}
	}
}
