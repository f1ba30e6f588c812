package detect

import "testing"

// TestAttacksWithPlusForBlanksAreReadAsAttacks: where an encoder's '+'
// may stand for a blank or for itself, the decoder makes one reading
// (package decode, decodings), so an attack must read as one either way.
// These are read with every '+' kept.
func TestAttacksWithPlusForBlanksAreReadAsAttacks(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		text  string
		class Class
	}{
		{"1'+OR+1=1-- ", SQLi},
		{"'+OR+'1'='1", SQLi},
		{"'+UNION+SELECT+password+FROM+users-- ", SQLi},
		{"x'+and+sleep(5)+and+'1", SQLi},
		{"<svg+onload=alert(1)>", XSS},
		{";+cat+/etc/passwd", CommandInj},
		{"../../etc/passwd+", PathTraversal},
	}
	for _, tt := range tests {
		if sigs := e.Inspect(q("id", tt.text), nil); !hasClass(sigs, tt.class) {
			t.Errorf("%q: %s, want %s", tt.text, classes(sigs), tt.class)
		}
	}
}
