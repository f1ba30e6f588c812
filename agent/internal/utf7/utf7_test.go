package utf7

import "testing"

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		s, want string
		changed bool
	}{
		{"+ADw-script+AD4-", "<script>", true},
		{"+ADw-b+AD4-bold", "<b>bold", true},
		{"1+ACc- OR 1+AD0-1", "1' OR 1=1", true},
		{"x+AGE", "xa", true},               // a run ended by the text's end
		{"+ZeVnLIqe-", "日本語", true},         // non-ASCII, as Python reads it
		{"+2D3eAA-", "😀", true},             // a surrogate pair
		{"a +- b", "a + b", true},           // "+-" is a plus sign
		{"C++ and A+", "C++ and A+", false}, // a '+' that starts no run is kept
		{"a+ b", "a+ b", false},
		{"plain", "plain", false},
	} {
		if got, changed := Decode(c.s); got != c.want || changed != c.changed {
			t.Errorf("Decode(%q) = %q, %v; want %q, %v", c.s, got, changed, c.want, c.changed)
		}
	}
}

// FuzzDecode holds Decode's contract: unchanged means the text itself,
// and a text grows by at most an eighth (a run of non-ASCII characters).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"+ADw-a+-b+", "+2D3eAA-", "a+ b", "+/v8-", "C++"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out, changed := Decode(s); !changed && out != s || len(out) > len(s)+len(s)/8+3 {
			t.Fatalf("Decode(%q) = %q, %v", s, out, changed)
		}
	})
}
