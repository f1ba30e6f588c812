package traversal

import "testing"

// TestTraversalsInEveryEncoding checks that the dot-dot segments of a path
// are counted whatever encoding hides them once the path is normalised,
// and that ordinary relative paths have none.
func TestTraversalsInEveryEncoding(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     int
	}{
		{"plain", "../../etc/passwd", 2},
		{"residual percent-escapes", "%2e%2e/%2e%2e/etc/passwd", 2},
		{"backslashes", `..\..\windows\win.ini`, 2},
		{"overlong utf-8 dots", "\xc0\xae\xc0\xae/etc/passwd", 1},
		{"tomcat path parameter", "..;/etc/passwd", 1},
		{"nul byte inside", "..\x00/..\x00/etc/passwd", 2},
		{"relative report", "reports/2024/q1.pdf", 0},
		{"dotted name", "v1..2/notes.txt", 0},
	} {
		p, _ := Normalize(nil, c.in)
		if n, _ := Traversals(string(p)); n != c.want {
			t.Errorf("%s: Traversals(Normalize(%q) = %q) = %d, want %d", c.name, c.in, p, n, c.want)
		}
	}
}

// TestSensitiveFileOnSegmentBoundaries checks that sensitive names count
// as whole path segments only.
func TestSensitiveFileOnSegmentBoundaries(t *testing.T) {
	for _, c := range []struct {
		in    string
		found bool
	}{
		{"/etc/passwd", true},
		{"c:/windows/win.ini", true},
		{"/proc/self/environ", true},
		{"/etc/passwdx", false},
		{"/var/log/myapp", false},
	} {
		at, end := SensitiveFile(c.in)
		if found := at >= 0; found != c.found || found && (end <= at || end > len(c.in)) {
			t.Errorf("SensitiveFile(%q) = [%d,%d), want found %v", c.in, at, end, c.found)
		}
	}
}
