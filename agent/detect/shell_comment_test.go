package detect

import "testing"

// TestShellCommentsChainNothing: a word that starts with '#' begins a
// comment to the end of its line, so a separator before it chains no
// command, however the comment goes on; the next line is read again.
// HTML character references ("&#x2e;") are what this keeps from reading
// as "&" followed by "; command".
func TestShellCommentsChainNothing(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name   string
		host   string
		attack bool
	}{
		{"character reference before a command name", "yuck&#x2e;7z", false},
		{"two references", "magnificent&#x2d;clamp&#x2e;net", false},
		{"a comment after a separator", "example.com; # then; id", false},
		{"a command on the line after the comment", "8.8.8.8;#x\ncat /etc/passwd", true},
		{"a separator and a command before the comment", "8.8.8.8; id #", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := e.Inspect(body("domain", tt.host), nil)
			if got := hasClass(sigs, CommandInj); got != tt.attack {
				t.Errorf("%q: %s, want command injection %v", tt.host, classes(sigs), tt.attack)
			}
		})
	}
}
