package evasion

import "testing"

func TestSpacedTag(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"<f o r m", 0},
		{"bar< d i a l o g", 3},
		{"<i m g src=x", 0},
		{"a <b c d> e", -1},
		{"grades <a b c", -1},
		{"press <s h i f t> twice", -1},
		{"1 < 2 3 4", -1},
	} {
		if got := SpacedTag(c.s); got != c.want {
			t.Errorf("SpacedTag(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestNamespacedScript(t *testing.T) {
	for _, c := range []struct {
		s          string
		off, score int
	}{
		{"<x:script>", 0, 8},
		{"a< x: script", 1, 7},
		{"<soap:body>", 0, 0},
		{"<x:scripts>", 0, 0},
		{"a < b: script", 2, 7}, // the blanks an evasion puts around the colon
	} {
		if off, score := NamespacedScript(c.s); off != c.off || score != c.score {
			t.Errorf("NamespacedScript(%q) = %d, %d; want %d, %d", c.s, off, score, c.off, c.score)
		}
	}
}
