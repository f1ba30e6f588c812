package lex

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bytesOfByBit is BytesOf as it was before the flag table: one bit set per
// byte. The oracle for TestBytesOfAgreesWithBitLoop.
func bytesOfByBit(s string) ByteSet {
	var b ByteSet
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.b[c>>6] |= 1 << (c & 63)
	}
	return b
}

// corpusTexts reads every file of the repository's test corpora
// (tests/corpus), whole and line by line.
func corpusTexts(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..", "..", "..", "tests", "corpus")
	var texts []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		texts = append(texts, string(b))
		texts = append(texts, strings.Split(string(b), "\n")...)
		return nil
	})
	if err != nil {
		t.Fatalf("reading corpora: %v", err)
	}
	if len(texts) < 100 {
		t.Fatalf("corpora under %s hold %d texts, want at least 100", root, len(texts))
	}
	return texts
}

// TestBytesOfAgreesWithBitLoop holds BytesOf (a flag table from
// bytesOfTableMin bytes on) to the bit loop it replaced: on the corpora,
// on their concatenations, on random texts of every length around the
// threshold over small and full alphabets, and on texts of one repeated
// byte (each of the 256).
func TestBytesOfAgreesWithBitLoop(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := BytesOf(s), bytesOfByBit(s); got != want {
			t.Fatalf("BytesOf(%d bytes %.40q…) = %x, bit loop %x", len(s), s, got.b, want.b)
		}
	}
	texts := corpusTexts(t)
	long := 0
	for _, s := range texts {
		check(s)
		if len(s) >= bytesOfTableMin {
			long++
		}
	}
	check(strings.Join(texts, ""))
	if long == 0 {
		t.Fatalf("no corpus text reaches %d bytes; the table path is untested on corpora", bytesOfTableMin)
	}
	r := rand.New(rand.NewPCG(3, 11))
	alphabets := []string{"a", "aA", "%253Cscript>", "abcdefghijklmnopqrstuvwxyz0123456789+/=", ""}
	for range 300 {
		n := r.IntN(3 * bytesOfTableMin)
		if r.IntN(4) == 0 {
			n = bytesOfTableMin - 9 + r.IntN(18)
		}
		alpha := alphabets[r.IntN(len(alphabets))]
		b := make([]byte, n)
		for i := range b {
			if alpha == "" {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = alpha[r.IntN(len(alpha))]
			}
		}
		check(string(b))
		if n > 0 { // one odd byte at the start, the end or inside an 8-byte step
			b[r.IntN(n)] = byte(r.IntN(256))
			check(string(b))
		}
	}
	for c := range 256 {
		for _, n := range []int{1, 7, 8, bytesOfTableMin - 1, bytesOfTableMin, bytesOfTableMin + 7} {
			check(strings.Repeat(string([]byte{byte(c)}), n))
		}
	}
}
