package traversal

import "testing"

// TestEvasiveMarksEncodingsNoRelativePathNeeds checks the encodings that
// only hide a traversal (escapes left after decoding, backslashes,
// overlong UTF-8, NUL, Tomcat's path parameter) against ordinary paths.
func TestEvasiveMarksEncodingsNoRelativePathNeeds(t *testing.T) {
	for _, c := range []struct {
		name, s string
		want    bool
	}{
		{"residual escape", "%2e%2e/etc/passwd", true},
		{"backslashes", `..\..\win.ini`, true},
		{"overlong utf-8 dot", "\xc0\xae\xc0\xae/etc/passwd", true},
		{"nul byte", "../etc/passwd\x00.png", true},
		{"tomcat path parameter", "..;/web-inf/web.xml", true},
		{"plain relative path", "../images/logo.png", false},
		{"report path", "reports/2024/q1.pdf", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Evasive(c.s); got != c.want {
				t.Errorf("Evasive(%q) = %v, want %v", c.s, got, c.want)
			}
		})
	}
}
