package ssrf

import "testing"

// TestFoldHost checks the look-alike folding of host names: enclosed and
// fullwidth digits, ideographic dots and backslashes fold; an
// internationalised name is left alone.
func TestFoldHost(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"①②⑦.⓪.⓪.①", "127.0.0.1"}, {"⑩.⑳", "10.20"}, {"１２７．０．０．１", "127.0.0.1"}, {`\l\o`, "lo"}} {
		got, changed := FoldHost(nil, c.in)
		if string(got) != c.want || !changed {
			t.Errorf("FoldHost(%q) = %q, %v; want %q", c.in, got, changed, c.want)
		}
	}
	if _, changed := FoldHost(nil, "bücher.example"); changed {
		t.Error("FoldHost changed an internationalised name")
	}
}
