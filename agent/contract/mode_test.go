package contract

import "testing"

func TestParseModeAcceptsFunctionModesOnly(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mode
		ok   bool
	}{
		{"block", ModeBlock, true},
		{"log", ModeLog, true},
		{"off", ModeOff, true},
		{"shadow", "", false}, // rules only
		{"BLOCK", "", false},
		{"", "", false},
	} {
		got, err := ParseMode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseFailurePolicy(t *testing.T) {
	for in, ok := range map[string]bool{"open": true, "closed": true, "close": false, "": false} {
		if _, err := ParseFailurePolicy(in); (err == nil) != ok {
			t.Errorf("ParseFailurePolicy(%q) err = %v, want ok=%v", in, err, ok)
		}
	}
}
