package ssrf

import "testing"

func TestPlainNumberTellsCountsFromAddresses(t *testing.T) {
	for _, c := range []struct {
		host string
		want bool
	}{
		{"1", true},
		{"0", true},
		{"123", true},
		{"0x10", true},
		{"0.00", true},
		{"１２３", true}, // fullwidth digits fold to 123
		{"1.5", true}, // 1.0.0.5: a version, public if anything
		{"2130706433", false},
		{"127.1", false},
		{"0x7f000001", false},
		{"169.254.169.254", false},
		{"example.com", false},
	} {
		if got := PlainNumber(c.host); got != c.want {
			t.Errorf("PlainNumber(%q) = %v, want %v", c.host, got, c.want)
		}
	}
}
