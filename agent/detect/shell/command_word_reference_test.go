package shell

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// commandWordAtReference is CommandWordAt before it tried the versioned
// interpreter names only on words that end like a version. The oracle for
// TestCommandWordAtAgreesWithEveryPrefixTried.
func commandWordAtReference(s string, i int) (word string, start, end int) {
	// MayStartCommandWord must allow every byte at which this can find a
	// word: a blank or opener it skips, or the word's first byte.
	i = lex.SkipSpace(s, i)
	for i < len(s) && (s[i] == '(' || s[i] == '{' || s[i] == '!') {
		i = lex.SkipSpace(s, i+1)
	}
	start = i
	j := i
	for j < len(s) && (lex.IsWord(s[j]) || s[j] == '/' || s[j] == '.' || s[j] == '-' || s[j] == ':' && j == i+1) {
		j++
	}
	if j == i {
		return "", start, j // no word: nothing below applies to ""
	}
	w := s[i:j]
	if k := max(strings.LastIndexByte(w, '/'), strings.LastIndexByte(w, '\\')); k >= 0 {
		w = w[k+1:]
	}
	w = strings.TrimSuffix(w, ".exe")
	// interpreters with versions: python3.10, perl5.36, php8.2
	for _, p := range [...]string{"python", "perl", "ruby", "php", "node", "lua", "pip"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) && strings.Trim(w[len(p):], "0123456789.") == "" {
			w = p
		}
	}
	// command prefixes run the next word: time bsdtar, sudo -u x id, nohup nc
	switch w {
	case "time", "nohup", "sudo", "exec", "command", "builtin", "xargs", "nice", "stdbuf", "strace", "ltrace", "doas", "chroot", "unbuffer", "busybox":
		if nw, ns, ne := commandWordAtReference(s, j); nw != "" && ns > j {
			if _, ok := strongCommands[nw]; ok {
				return nw, ns, ne
			}
		}
	}
	return w, start, j
}

// TestCommandWordAtAgreesWithEveryPrefixTried holds CommandWordAt to the
// code it replaced at every offset of the corpora's lines, hostile random
// strings, and random texts of command words, interpreter names with and
// without versions, paths and prefixes.
func TestCommandWordAtAgreesWithEveryPrefixTried(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(353, 359))
	pieces := []string{"python", "python3", "python3.10", "python.", "perl5.36", "php8.2", "php", "node18", "lua5", "pip3", "ruby3.", "pythonx3", "3", ".", "10", "/usr/bin/", "\\", ".exe", "sudo ", "time ", "nohup ", "id", "cat", " ", "(", "{", "!", "-", ":", "x", ";"}
	texts := difftest.Hostile(r, 3000, 24)
	for _, l := range difftest.Corpus(t) {
		if r.IntN(8) == 0 {
			texts = append(texts, l)
		}
	}
	texts = append(texts, difftest.Joined(r, pieces, 10000, 8)...)
	for _, s := range texts {
		for i := 0; i <= len(s); i++ {
			gw, gs, ge := CommandWordAt(s, i)
			ww, ws, we := commandWordAtReference(s, i)
			if gw != ww || gs != ws || ge != we {
				t.Fatalf("CommandWordAt(%.80q, %d) = %q, %d, %d; every prefix tried %q, %d, %d", s, i, gw, gs, ge, ww, ws, we)
			}
		}
	}
}
