// Package difftest supplies the inputs of the differential tests that hold
// a detector function rewritten for speed to the code it replaced: the
// lines of the repository's corpora, random strings over the tokens that
// cost the detectors most, and structured mutations of both. Only tests
// import it.
package difftest

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxLine bounds the corpus lines Corpus returns: the reference functions
// are the slow ones, and Long stands for the long lines.
const maxLine = 8 << 10

// Corpus returns every non-empty line of the files under tests/corpus
// (attacks, benign traffic, bots and the external sets), up to maxLine
// bytes each, as written and lower-cased.
func Corpus(t testing.TB) []string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("finding the module root: %v", err)
	}
	var lines []string
	err = filepath.WalkDir(filepath.Join(root, "tests", "corpus"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading corpus file: %w", err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l == "" || len(l) > maxLine {
				continue
			}
			lines = append(lines, l)
			if low := strings.ToLower(l); low != l {
				lines = append(lines, low)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the corpora: %v", err)
	}
	if len(lines) < 1000 {
		t.Fatalf("the corpora hold only %d lines", len(lines))
	}
	return lines
}

// moduleRoot returns the directory of go.mod above the working directory
// (a test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

// Tokens is the hostile alphabet: the units tests/worstcase judges as
// 1 MiB values, single punctuation bytes, and pieces of the keywords the
// shell, code, template and HTML detectors look for.
var Tokens = []string{
	"<a", "<a>\n", "<", "<!--", "<?", "<svg ", "'", `"`, "''", "(", ")", "((", "${", "{{", "$(", "`",
	"%25", "%u0041", "&amp;", "&#", `\u0027`, `\x41`, "/*", "--", "#", "|", ";", "=", "&", ",",
	"../", "..\\", "%2e%2e/", "a", " ", "a ", "1 ", "0x41", "\\", "//", "::", "@", "[", "]",
	"or 1=1 ", "select ", "<script>", "javascript:", "onerror=", "${jndi:", "{{7*7}}", "$where", "\x00",
	"&amp;%2e%2e/<?+", "<;&amp;%25", "= %u0041;<-|[",
	">", "}", "{", "%", "*", "!", "?", ":", ".", "$", "^", "~", "\t", "\n", "+", "-", "/", "_",
	"\xbc", "\xc2\xbc", "\xef\xbc\x9c", "é",
	"cat ", "id", "ls", "sh", "bash -c ", "/etc/passwd", "whoami", "nc ", "curl ", "wget ", "ping ",
	"java.", "lang.", "runtime", "getruntime", "exec(", "system(", "eval(", "__class__", "__", "class",
	"constructor", "process", "require(", "import os", "os.system", "popen", "$_get", "$_", "phpinfo",
	"config", "self", "request", "forname(", "new ", "script", "img", "src=", "on", "alert(1)",
}

// Hostile returns n random strings of 1 to max tokens each.
func Hostile(r *rand.Rand, n, max int) []string {
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for range 1 + r.IntN(max) {
			b.WriteString(Tokens[r.IntN(len(Tokens))])
		}
		out[i] = b.String()
	}
	return out
}

// Long returns, for each unit, the unit repeated to about n bytes, and the
// same with a random token spliced in every few hundred bytes: the dense
// texts the worst cases are made of.
func Long(r *rand.Rand, units []string, n int) []string {
	var out []string
	for _, u := range units {
		s := strings.Repeat(u, max(1, n/len(u)))
		out = append(out, s)
		var b strings.Builder
		for i := 0; i < len(s); {
			j := min(len(s), i+1+r.IntN(400))
			b.WriteString(s[i:j])
			b.WriteString(Tokens[r.IntN(len(Tokens))])
			i = j
		}
		out = append(out, b.String())
	}
	return out
}

// Mutate returns structured mutations of s: a token inserted, a byte
// deleted, a byte doubled, a span repeated, ASCII case flipped, and s
// doubled, each at a random place.
func Mutate(r *rand.Rand, s string) []string {
	if s == "" {
		return []string{Tokens[r.IntN(len(Tokens))]}
	}
	i := r.IntN(len(s))
	j := min(len(s), i+1+r.IntN(16))
	flipped := []byte(s)
	for k := i; k < j; k++ {
		if c := flipped[k]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			flipped[k] ^= 0x20
		}
	}
	return []string{
		s[:i] + Tokens[r.IntN(len(Tokens))] + s[i:],
		s[:i] + s[i+1:],
		s[:i+1] + s[i:],
		s[:j] + s[i:j] + s[i:j] + s[j:],
		string(flipped),
		s + s,
	}
}

// Joined returns n random texts, each of one to most of pieces (drawn
// with repetition) end to end: the alphabet a detector's differential
// test knows to matter to it.
func Joined(r *rand.Rand, pieces []string, n, most int) []string {
	out := make([]string, 0, n)
	for range n {
		var b strings.Builder
		for range 1 + r.IntN(most) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		out = append(out, b.String())
	}
	return out
}
