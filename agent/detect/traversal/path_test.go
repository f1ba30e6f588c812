package traversal

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

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
		{"look-alike slashes", "..\uff0f..\u2215..\u2044etc/passwd", 3},
		{"IIS best-fit separators", "..%uEFC8..%uF025..\uefc8..\uf025boot.ini", 4},
		{"nul byte inside", "..\x00/..\x00/etc/passwd", 2},
		{"relative report", "reports/2024/q1.pdf", 0},
		{"dotted name", "v1..2/notes.txt", 0},
		{"escapes without their percent", "..2f..2F..2fetc2fpasswd", 3},
		{"backslash escapes without their percent", "..5c..5Cboot.ini", 2},
		{"dotted name before hex digits", "v1..2fa", 0},
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
		{"/usr/local/apache/logs/access_log", true},
		{"/var/log/httpd/error_log", true},
		{"/var/adm/sulog", true},
		{"/.rhosts", true},
		{"/home/x/.sh_history", true},
		{"access_log", false},
		{"/srv/www/logs/access_log", true},
		{"/var/log/myapp/access_logger", false},
	} {
		at, end := SensitiveFile(c.in)
		if found := at >= 0; found != c.found || found && (end <= at || end > len(c.in)) {
			t.Errorf("SensitiveFile(%q) = [%d,%d), want found %v", c.in, at, end, c.found)
		}
	}
}

// normalizeReference is Normalize before it copied runs of plain bytes in
// one append: the oracle for TestNormalizeAgrees.
func normalizeReference(dst []byte, s string) (out []byte, nul bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+5 < len(s) && s[i+3] == '%' && (s[i+1] == 'c' || s[i+1] == 'C') && (s[i+2] == '0' || s[i+2] == '1'):
			// %c0%af, %c0%2e, %c1%9c: a two-byte overlong sequence that
			// lenient UTF-8 decoders (old IIS, Tomcat) read as the
			// character its low bits spell
			if b2, ok := lex.Unhex2(s[i+4], s[i+5]); ok {
				if ch := (s[i+2]-'0')<<6 | b2&0x3f; ch == '.' || ch == '/' || ch == '\\' {
					c = ch
					i += 5
				}
			}
		case c == '0' && i+3 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && (i == 0 || !lex.IsWord(s[i-1]) || i >= 4 && s[i-4] == '0' && s[i-3] == 'x'):
			// 0x2e0x2e0x2f: the bytes of ../ spelled as hex literals
			if h, ok := lex.Unhex2(s[i+2], s[i+3]); ok && (h == '.' || h == '/' || h == '\\') {
				c = h
				i += 3
			}
		case c == '%' && i+2 < len(s):
			if h, ok := lex.Unhex2(s[i+1], s[i+2]); ok && (h == '.' || h == '/' || h == '\\' || h == 0 || h == '%') {
				c = h
				i += 2
				if c == '%' { // double encoding: decode the next level too
					if i+2 < len(s) {
						if h2, ok := lex.Unhex2(s[i+1], s[i+2]); ok && (h2 == '.' || h2 == '/' || h2 == '\\') {
							c = h2
							i += 2
						}
					}
				}
			} else if i+5 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
				h, ok1 := lex.Unhex2(s[i+2], s[i+3])
				l, ok2 := lex.Unhex2(s[i+4], s[i+5])
				if ok1 && ok2 {
					switch {
					case h == 0 && (l == '.' || l == '/' || l == '\\'):
						c = l
						i += 5
					case h == 0x22 && (l == 0x15 || l == 0x16), h == 0xff && (l == 0x0f || l == 0x3c), h == 0x20 && l == 0x44,
						h == 0xef && l == 0xc8, h == 0xf0 && l == 0x25:
						c = '/'
						i += 5
					case h == 0xff && l == 0x0e:
						c = '.'
						i += 5
					}
				}
			}
		case c == 0xc0 || c == 0xc1:
			if i+1 < len(s) {
				switch s[i+1] {
				case 0xae:
					c = '.'
					i++
				case 0xaf, 0x9c, 0x81:
					c = '/'
					i++
				}
			}
		case c == 0xe0 && i+2 < len(s) && s[i+1] == 0x80:
			switch s[i+2] {
			case 0xae:
				c = '.'
				i += 2
			case 0xaf:
				c = '/'
				i += 2
			}
		case c == 0xef && i+2 < len(s) && s[i+1] == 0xbc: // fullwidth ．／＼
			switch s[i+2] {
			case 0x8e:
				c = '.'
				i += 2
			case 0x8f, 0xbc:
				c = '/'
				i += 2
			}
		case c == 0xe2 && i+2 < len(s) && (s[i+1] == 0x88 && (s[i+2] == 0x95 || s[i+2] == 0x96) || s[i+1] == 0x81 && s[i+2] == 0x84): // ∕ ∖ ⁄
			c = '/'
			i += 2
		case c == 0xee && i+2 < len(s) && s[i+1] == 0xbf && s[i+2] == 0x88, c == 0xef && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0xa5:
			c = '/'
			i += 2
		}
		if c == 0 {
			nul = true
			continue
		}
		if c == '\\' {
			c = '/'
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '/' && len(dst) > 0 && dst[len(dst)-1] == '/' {
			continue
		}
		dst = append(dst, c)
	}
	if bareHexAfterDots(dst) {
		dst = decodeBareHex(dst)
	}
	return dst, nul
}

// TestNormalizeAgrees checks Normalize against the reference on random
// paths made of every encoding of dots and slashes it folds, with plain
// runs, upper case, NUL and repeated slashes between them.
func TestNormalizeAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 4))
	pieces := []string{"..", "/", "//", "\\", "%2e", "%2E", "%2f", "%5c", "%00", "%25", "%252e", "%c0%af", "%C0%AE", "%c1%9c", "0x2e", "0X2f", "x0x2e", "%u002e", "%u2215", "%uff0f", "%uEFC8", "%uf025", "\xc0\xae", "\xc0\xaf", "\xe0\x80\xae", "\xef\xbc\x8f", "\xe2\x88\x95", "\xe2\x81\x84", "\xee\xbf\x88", "\xef\x80\xa5", "\x00", "etc", "PASSWD", "Win.INI", "a0", "0", "%", "%z", "\xc0", "\xef", "\xe2", "\xee"}
	for range 30000 {
		var b bytes.Buffer
		for range 1 + r.IntN(20) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		got, gnul := Normalize(nil, s)
		want, wnul := normalizeReference(nil, s)
		if !bytes.Equal(got, want) || gnul != wnul {
			t.Fatalf("Normalize(%q) = %q, %v; reference %q, %v", s, got, gnul, want, wnul)
		}
	}
}

func TestSystemPathNamesTheSystemsOwnDirectories(t *testing.T) {
	for _, c := range []struct {
		p    string
		want bool
	}{
		{"/etc/services", true},
		{"/proc/1/maps", true},
		{" C:/Windows/system.ini", true},
		{`c:\windows\win.ini`, true},
		{"/etc/", false}, // the directory alone names no file
		{"/var/www/html/index.php", false},
		{"templates/etc/home.html", false},
		{"/etcetera/x", false},
		{"/dev/vcs[1-63] are character devices", false}, // a sentence about one
	} {
		p, _ := Normalize(nil, c.p) // as detectPath hands it over
		if got := SystemPath(string(p)); got != c.want {
			t.Errorf("SystemPath(Normalize(%q)) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestHexSeparatorFindsWhatNormalizeDecodes(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"..0x2f..0x2fboot.ini", true},
		{"0x2E0x2E0x5Cwin.ini", true},
		{"color 0x2a2a2a", false},
		{"0x2", false},
	} {
		if got := HexSeparator(c.s); got != c.want {
			t.Errorf("HexSeparator(%q) = %v, want %v", c.s, got, c.want)
		}
		n, _ := Normalize(nil, c.s)
		if decoded := string(n) != strings.ToLower(c.s); decoded != c.want {
			t.Errorf("Normalize(%q) = %q: decoded %v, HexSeparator %v", c.s, n, decoded, c.want)
		}
	}
}

// TestSensitiveFileWithoutSlashReadsTheSlashlessNames holds the search of
// a path without '/' in the names without one to the search in every
// name: no name with a '/' can occur there.
func TestSensitiveFileWithoutSlashReadsTheSlashlessNames(t *testing.T) {
	r := rand.New(rand.NewPCG(211, 223))
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 3000, 32)...)
	var names []string
	for f := range SensitiveFiles() {
		names = append(names, f)
	}
	texts = append(texts, difftest.Joined(r, append(names, " ", ".", "=", "x", "..", "\\"), 5000, 6)...)
	for _, s := range texts {
		var buf []byte
		buf, _ = Normalize(buf, s)
		p := string(buf)
		if strings.IndexByte(p, '/') >= 0 {
			continue
		}
		got, gotEnd := SensitiveFile(p)
		k, at := sensitiveFileIndex.Find(p, FileBoundary)
		want, wantEnd := -1, -1
		if k >= 0 {
			want, wantEnd = at, at+len(sensitiveFiles[k])
		}
		if got != want || gotEnd != wantEnd {
			t.Fatalf("SensitiveFile(%q) = %d, %d; every name: %d, %d", p, got, gotEnd, want, wantEnd)
		}
	}
}
