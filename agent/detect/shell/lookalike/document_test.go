package lookalike

import "testing"

// TestDocumentReadsScriptsAndTranscripts checks which texts read as a
// shell document (a script or a transcript) rather than one injected
// command line.
func TestDocumentReadsScriptsAndTranscripts(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"commented script", "# save the seed\necho saving", true},
		{"prompt transcript", "sh1# cat x\n1 2", true},
		{"command with a path", "mknod -m 660 /dev/port c 1 4\nchown root:kmem /dev/port", true},
		{"one line", "ls -la /tmp", false},
		{"words then a separator", "hello world\n;id", false},
		{"breakout before lines", "1;\nid", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Document(c.s); got != c.want {
				t.Errorf("Document(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
