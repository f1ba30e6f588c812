package evasion

import "testing"

func TestDecodeURLEntities(t *testing.T) {
	for _, c := range []struct {
		s       string
		want    string
		changed bool
	}{
		{"ja&tab;vascript&colon;x", "javascript:x", true},
		{"&#106;avascript:", "javascript:", true},
		{"javascript&#0000058alert(1)", "javascript:alert(1)", true},
		{"a&#x3a;b", "a:b", true},
		{"a&#10;b", "ab", true},
		{"&lt;script&gt;", "&lt;script&gt;", false},
		{"tom &amp; jerry", "tom &amp; jerry", false},
		{"caf&#233;", "caf&#233;", false}, // not ASCII: kept
	} {
		got, changed := DecodeURLEntities(nil, c.s)
		if string(got) != c.want || changed != c.changed {
			t.Errorf("DecodeURLEntities(%q) = %q, %v; want %q, %v", c.s, got, changed, c.want, c.changed)
		}
	}
}

func TestNumericRef(t *testing.T) {
	for _, c := range []struct {
		r    string
		v, n int
	}{
		{"106;", 106, 4},
		{"x6a", 106, 3},
		{"0000106", 106, 7},
		{"99999999999999999999", 1 << 24, 16},
		{"x", 0, 0},
		{";", 0, 0},
	} {
		if v, n := NumericRef(c.r); v != c.v || n != c.n {
			t.Errorf("NumericRef(%q) = %d, %d; want %d, %d", c.r, v, n, c.v, c.n)
		}
	}
}
