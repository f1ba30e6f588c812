package shape

import "testing"

func TestNumericTautology(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"1 or 1", true},
		{"0 || 1", true},
		{"-1 or 2", true},
		{"null or 1", true},
		{"1 xor 1", true},
		{" 5 or 5 ", true},
		{"1 or 0", false},
		{"1 or 00", false},
		{"1 or 2 units", false},
		{"we sell 1 or 2 units a day", false},
		{"1 order", false},
		{"12", false},
		{"1 or", false},
		{"a or 1", false},
	} {
		if got := NumericTautology(c.s); got != c.want {
			t.Errorf("NumericTautology(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
