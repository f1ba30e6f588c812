package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// findByWord is the reference for lex.FirstIndex.Find: each word in list
// order, at its leftmost accepted occurrence.
func findByWord(words []string, p string, ok func(string, int, string) bool) (k, at int) {
	for k, f := range words {
		for off := 0; off < len(p); {
			i := strings.Index(p[off:], f)
			if i < 0 {
				break
			}
			i += off
			if ok == nil || ok(p, i, f) {
				return k, i
			}
			off = i + 1
		}
	}
	return -1, -1
}

// TestFirstIndexAgrees checks the single-pass searches of sensitive files
// and attack tools against the reference on texts that hold several names, overlapping names, names off
// their boundaries and none.
func TestFirstIndexAgrees(t *testing.T) {
	texts := []string{
		"", "/", "mozilla/5.0 (macintosh; intel mac os x 10_15_7) applewebkit/605.1.15 (khtml, like gecko) version/17.3 safari/605.1.15",
		"../../etc/passwd", "x/etc/passwdx", "/etc/passwd-", "/var/log/nginx/access.log", "c:/windows/system32/config/sam",
		"a.env/.envrc/.env", "samsung/sam", "/proc/self/environ and /etc/shadow", "/etc/shadow then /etc/passwd",
		"file=.git/config;.htaccess", "/home/u/.ssh/id_rsa.pub", "web-inf/web.xml", "/opt/extensions/x",
		"/etc/hosts.allow", "/etc/hostsx /etc/hosts", "=/etc/group", "id_rsa", "..;/etc/passwd", "/.aws/credentials.bak",
	}
	// every name alone, after a slash, and glued to letters
	sensitiveFiles := slices.Collect(traversal.SensitiveFiles())
	for _, f := range sensitiveFiles {
		texts = append(texts, f, "/"+f, "x"+f+"y", "a/"+f+"/b", f+"-")
	}
	for _, f := range attackTools {
		texts = append(texts, f, "mozilla/5.0 "+f+"/1.2", "x"+f)
	}
	texts = append(texts, "sqlmap and nikto", "nikto and sqlmap", "nuclei nuclei", "zgrabzgrab", "masscan-ng/1")
	for _, s := range texts {
		at1, end1 := traversal.SensitiveFile(s)
		k2, at2 := findByWord(sensitiveFiles, s, traversal.FileBoundary)
		end2 := -1
		if k2 >= 0 {
			end2 = at2 + len(sensitiveFiles[k2])
		}
		if at1 != at2 || end1 != end2 {
			t.Errorf("sensitive files in %q: [%d,%d), want [%d,%d)", s, at1, end1, at2, end2)
		}
		k1, at1 := attackToolIndex.Find(s, nil)
		k2, at2 = findByWord(attackTools[:], s, nil)
		if k1 != k2 || at1 != at2 {
			t.Errorf("attack tools in %q: %d at %d, want %d at %d", s, k1, at1, k2, at2)
		}
	}
}
