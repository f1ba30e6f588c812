package shell

import "testing"

// TestCommandPairsAdmitEveryCommand checks that the two-byte table in
// front of the command map turns away no command word, and some words.
func TestCommandPairsAdmitEveryCommand(t *testing.T) {
	for w, strong := range strongCommands {
		if s, known := Command(w); !known || s != strong {
			t.Errorf("Command(%q) = %v, %v; want %v, true", w, s, known, strong)
		}
	}
	for _, w := range []string{"amp", "qq", "zz9", "", "x"} {
		if _, known := Command(w); known {
			t.Errorf("Command(%q) is known", w)
		}
	}
}
