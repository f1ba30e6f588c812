package shell

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
)

// globbedFileReference is GlobbedFile as it was before it was made cheap
// for long values: the oracle for TestGlobbedFileAgrees.
func globbedFileReference(s string) int {
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
			if len(f) >= 6 && len(f) <= len(w) && strings.IndexByte(f, '/') >= 0 && globIndex(w, f) >= 0 {
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
		if w, _, _ := CommandWordAt(s, 0); strongCommands[w] && strings.Contains(seg, "[") && strings.Contains(seg, "]") {
			return 0
		}
		for _, f := range strings.Fields(p) {
			if f[0] == '/' && strongCommands[f[strings.LastIndexByte(f, '/')+1:]] {
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

// corpusLines returns the lines of the project's corpora (attacks, benign
// and held-out sets), lower-cased as the readings see them.
func corpusLines(t *testing.T) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir("../../../tests/corpus", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
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

// TestGlobbedFileAgrees checks GlobbedFile against the reference on the
// corpora, on random glob texts, and on long values of them.
func TestGlobbedFileAgrees(t *testing.T) {
	texts := append(corpusLines(t), globTexts(rand.New(rand.NewPCG(3, 5)), 20000)...)
	for _, f := range globFiles {
		texts = append(texts, strings.Replace(f, string(f[1]), "?", 1), "cat "+strings.Replace(f, string(f[2]), "[x]", 1))
	}
	for _, s := range texts {
		if got, want := GlobbedFile(s), globbedFileReference(s); got != want {
			t.Errorf("GlobbedFile(%q) = %d, reference %d", s, got, want)
		}
	}
	for _, u := range []string{"&amp;%2e%2e/<?+", "<;&amp;%25", "/??/", "/[e]tc/pa??wd ", "?/", "[a]/"} {
		s := strings.Repeat(u, 4096)
		if got, want := GlobbedFile(s), globbedFileReference(s); got != want {
			t.Errorf("GlobbedFile(%q × 4096) = %d, reference %d", u, got, want)
		}
	}
}
