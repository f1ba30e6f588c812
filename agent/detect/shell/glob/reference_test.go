package glob

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/shell"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// fileReference is File as it was before it was made cheap
// for long values: the oracle for TestFileAgrees.
func fileReference(s string) int {
	if !strings.ContainsAny(s, "[?") || strings.IndexByte(s, '/') < 0 {
		return -1
	}
	var b strings.Builder
	bracketed := false
	lastClose := strings.LastIndexByte(s, ']') // no "]" after it: a "[" there opens nothing
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '[' && i < lastClose {
			if j := strings.IndexByte(s[i:], ']'); j > 0 {
				body := strings.Trim(s[i+1:i+j], "/")
				bracketed = true
				switch {
				case len(body) == 1 && body[0] != '?' && body[0] != '!':
					b.WriteByte(body[0])
				case body == "" || strings.ContainsAny(body, "[/?*"):
					// read leniently, as the wildcard the writer meant
					b.WriteByte('?')
				default:
					// a class matches one byte of its own: kept
					// for globIndex to read
					b.WriteByte('[')
					b.WriteString(body)
					b.WriteByte(']')
				}
				i += j
				continue
			}
		}
		b.WriteByte(c)
	}
	p := b.String()
	if !bracketed && !strings.ContainsAny(s, "?") {
		return -1
	}
	// The shell globs words: look for globbed file names only in the
	// words of p that can be paths, which keeps this linear in the value.
	for rest := p; rest != ""; {
		var w string
		if i := strings.IndexAny(rest, globWordBreaks); i >= 0 {
			w, rest = rest[:i], rest[i+1:]
		} else {
			w, rest = rest, ""
		}
		if len(w) < 6 || len(w) > maxGlobWord || strings.IndexByte(w, '/') < 0 {
			continue
		}
		for f := range traversal.SensitiveFiles() {
			if len(f) >= 6 && len(f) <= len(w) && strings.IndexByte(f, '/') >= 0 && globIndexReference(w, f) >= 0 {
				return 0
			}
		}
	}
	// A bracket glob inside an absolute path names a system directory or
	// a command the shell will find: /bi[n]/bash, /usr/bin/[u]name,
	// /[e]tc, /usr/[a-z]in/bash. Plain text has no reason to glob there.
	if bracketed {
		// a glob in an argument of a command: ls /a[b]c (in its own
		// arguments, before a separator ends them)
		seg := s
		if e := strings.IndexAny(s, ";|&\n`"); e >= 0 {
			seg = s[:e]
		}
		if w, _, _ := shell.CommandWordAt(s, 0); isStrong(w) && strings.Contains(seg, "[") && strings.Contains(seg, "]") {
			return 0
		}
		for _, f := range strings.Fields(p) {
			if f[0] == '/' && isStrong(f[strings.LastIndexByte(f, '/')+1:]) {
				return 0
			}
		}
		examined := 0 // globbed paths matched against the system names, at most 8
		for _, f := range strings.Fields(s) {
			if f[0] != '/' || len(f) > maxGlobWord || !strings.ContainsAny(f, "[?*") {
				continue
			}
			if globNamesSystemPath(f) {
				return 0
			}
			if examined++; examined == 8 {
				break
			}
		}
	}
	return -1
}

// globIndexReference is globIndex before it gave up at a fourth wildcard;
// it finds f in p where each of p's '?' (at most three, and at
// least one) matches one byte.
func globIndexReference(p, f string) int {
	for i := 0; i < len(p); i++ {
		wild := 0
		ok := true
		j := i
		for k := 0; k < len(f); k++ {
			if j >= len(p) {
				ok = false
				break
			}
			c := p[j]
			if c == '?' {
				wild++
				j++
				continue
			}
			if c == '[' {
				if e := strings.IndexByte(p[j+1:], ']'); e > 0 {
					if !bracketMatches(p[j+1:j+1+e], f[k]) {
						ok = false
						break
					}
					wild++
					j += e + 2
					continue
				}
			}
			if c != f[k] {
				ok = false
				break
			}
			j++
		}
		if ok && wild >= 1 && wild <= 3 {
			return i
		}
	}
	return -1
}

// corpusLines returns the lines of the project's corpora (attacks, benign
// and held-out sets) up to 4 KiB, lower-cased as the readings see them.
func corpusLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir("../../../../tests/corpus", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			// the long lines of the external sets cost the reference
			// seconds; the long values below stand for them
			if l != "" && !strings.HasPrefix(l, "#") && len(l) <= 4096 {
				lines = append(lines, strings.ToLower(l))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpora: %v", err)
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d corpus lines", len(lines))
	}
	return lines
}

// globTexts returns random texts made of the pieces globbed paths are
// made of, long enough to hold several words and brackets.
func globTexts(r *rand.Rand, n int) []string {
	pieces := []string{"/", "?", "??", "*", "[", "]", "[e]", "[a-z]", "[!a]", "[/]", "[?]", "etc", "passwd", "pa", "ss", "wd", "bin", "usr", "cat", " ", ";", "|", "&", "\n", "'", "proc", "self", "environ", ".ssh/id_rsa", "win.ini", "x", "c?t", "/e??/p??s??", "é", "\u00a0"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		out[i] = b.String()
	}
	return out
}

// TestFileAgrees checks File against the reference on the
// corpora, on random glob texts, and on long values of them.
func TestFileAgrees(t *testing.T) {
	texts := append(corpusLines(t), globTexts(rand.New(rand.NewPCG(3, 5)), 5000)...)
	files, _ := globFiles()
	for _, f := range files {
		texts = append(texts, strings.Replace(f, string(f[1]), "?", 1), "cat "+strings.Replace(f, string(f[2]), "[x]", 1))
	}
	for _, s := range texts {
		if got, want := File(s), fileReference(s); got != want {
			t.Errorf("File(%q) = %d, reference %d", s, got, want)
		}
	}
	for _, u := range []string{"&amp;%2e%2e/<?+", "<;&amp;%25", "/??/", "/[e]tc/pa??wd ", "?/", "[a]/"} {
		s := strings.Repeat(u, 512)
		if got, want := File(s), fileReference(s); got != want {
			t.Errorf("File(%q × 512) = %d, reference %d", u, got, want)
		}
	}
}

// TestGlobIndexAgrees checks globIndex against the reference on words of
// wildcards, classes and literals around the globbed files.
func TestGlobIndexAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 17))
	pieces := []string{"?", "??", "[e]", "[a-z]", "[!x]", "/", "etc", "e", "t", "c", "passwd", "p", "a", "s", "w", "d", "x"}
	found := 0
	files, _ := globFiles()
	for n := range 6000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if n%2 == 0 {
			// a file with one to five of its bytes globbed
			f := []byte(files[r.IntN(len(files))])
			for range 1 + r.IntN(5) {
				f[r.IntN(len(f))] = '?'
			}
			b.Write(f)
		}
		w := b.String()
		for _, f := range files {
			got, want := globIndex(w, f), globIndexReference(w, f)
			if got != want {
				t.Fatalf("globIndex(%q, %q) = %d, reference %d", w, f, got, want)
			}
			if got >= 0 {
				found++
			}
		}
	}
	if found < 300 {
		t.Errorf("only %d matches: the words do not exercise globIndex", found)
	}
}
