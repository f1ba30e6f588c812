package shell

import "testing"

// TestDocument checks which texts read as a shell document (a script or a
// transcript) rather than one injected command line.
func TestDocument(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{{"# a\nb", true}, {"sh1# cat x\n1 2", true}, {"ls -la /tmp\nx", true}, {"ls -la /tmp", false}, {"hello world\n;id", false}, {"1;\nid", false}} {
		if got := Document(c.s); got != c.want {
			t.Errorf("Document(%q) = %v", c.s, got)
		}
	}
}
