package jsonscan

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scanAll returns the tokens of data up to EOF or the first error, read
// by a scanner sharing sp (none when sp is nil), and the error's text.
func scanAll(data []byte, depth int, sp *Spans) ([]Token, string) {
	var s Scanner
	s.Reset(data, depth)
	s.Share(sp)
	var out []Token
	for range len(data) + 2 {
		t, err := s.Next()
		if err != nil {
			return out, err.Error()
		}
		out = append(out, t)
		if t.Kind == EOF {
			break
		}
	}
	return out, ""
}

// spanDocuments returns JSON documents with long strings (plain, with
// escapes, as keys, more of them than Spans holds, nested) and documents
// that break inside or after one, beside the event fixtures.
func spanDocuments(t *testing.T) [][]byte {
	files, err := filepath.Glob(filepath.Join("..", "..", "event", "testdata", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("event fixtures: %d files, %v", len(files), err)
	}
	var docs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	r := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"a", "<a", `\"`, `\\`, `\n`, `\u0041`, `\ud83d\ude00`, " ", "é", "\x7f"}
	long := func(n int) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 40 {
		a, b, c := long(spanMin-2+r.IntN(8)), long(spanMin+r.IntN(3*spanMin)), long(r.IntN(2*spanMin))
		docs = append(docs,
			[]byte(fmt.Sprintf(`{"body":"%s","k":[1,"%s",{"%s":null}],"x":"%s"}`, b, a, c, b)),
			[]byte(fmt.Sprintf(`["%s","%s","%s","%s","%s","%s"]`, a, b, c, b, a, b)),
			[]byte(fmt.Sprintf(`{"a":{"b":{"c":"%s"}},"d":"%s`, b, a)), // unterminated
			[]byte(fmt.Sprintf(`{"a":"%s\q","b":"%s"}`, b, a)),         // invalid escape
			[]byte(fmt.Sprintf(`{"a":"%s"}"%s"`, b, b)),                // data after the document
			[]byte(fmt.Sprintf(`{"a":"%s","b":"%s\u00"}`, b, a)),       // short \u
			[]byte(fmt.Sprintf(`{"a":"%s%s"}`, b, "\x01")+`"}`),        // control byte
		)
	}
	return docs
}

// TestSharedSpansKeepTokens: scanners that share a Spans (the first one
// filling it, later ones passing over what it holds) read every document
// into the same tokens and errors as a scanner of their own, also with
// a nesting bound that stops one of them early.
func TestSharedSpansKeepTokens(t *testing.T) {
	shared := 0
	for _, doc := range spanDocuments(t) {
		for _, depth := range []int{64, 2} {
			want, wantErr := scanAll(doc, depth, nil)
			var sp Spans
			for round := range 3 {
				got, gotErr := scanAll(doc, depth, &sp)
				if gotErr != wantErr || !slices.Equal(got, want) {
					t.Fatalf("round %d, depth %d, %.80q: %d tokens, error %q; alone %d tokens, error %q", round, depth, doc, len(got), gotErr, len(want), wantErr)
				}
			}
			shared += sp.n
		}
	}
	if shared < 100 {
		t.Errorf("only %d long strings were shared", shared)
	}
}
