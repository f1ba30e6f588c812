package html

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection"
)

// onlyInertStyleBefore is OnlyInertStyle as it was before it looked for
// "style" without a lower-cased copy.
func onlyInertStyleBefore(s string) bool {
	low := string(lex.AppendLower(nil, s))
	if !strings.Contains(low, "style") {
		return false
	}
	b := []byte(s)
	renamed := false
	for off := 0; off < len(low); {
		i := strings.Index(low[off:], "style")
		if i < 0 {
			break
		}
		i += off
		off = i + 5
		if i == 0 || !(lex.IsSpace(low[i-1]) || low[i-1] == '"' || low[i-1] == '\'' || low[i-1] == '/') {
			continue
		}
		j := lex.SkipSpace(low, i+5)
		if j >= len(low) || low[j] != '=' {
			continue
		}
		j = lex.SkipSpace(low, j+1)
		if j >= len(low) || low[j] != '"' && low[j] != '\'' {
			return false
		}
		e := strings.IndexByte(low[j+1:], low[j])
		if e < 0 {
			return false
		}
		v := low[j+1 : j+1+e]
		for _, w := range [...]string{"expression", "url(", "script", "behavior", "binding", "import", "position", "\\", "/*", "&", "<", ">"} {
			if strings.Contains(v, w) {
				return false
			}
		}
		if !cssFunctionsInert(v) {
			return false
		}
		b[i] = 'x'
		renamed = true
		off = j + 1 + e
	}
	return renamed && !libinjection.IsXSS(string(b))
}

// TestOnlyInertStyleMatchesReference holds OnlyInertStyle to the code
// that lower-cased every text first, on the corpora, hostile random
// strings, random tags with style attributes in every case, their
// mutations and long runs.
func TestOnlyInertStyleMatchesReference(t *testing.T) {
	inert := 0
	check := func(s string) {
		t.Helper()
		got, want := OnlyInertStyle(s), onlyInertStyleBefore(s)
		if got != want {
			t.Fatalf("OnlyInertStyle(%.80q) = %v, reference %v", s, got, want)
		}
		if got {
			inert++
		}
	}
	r := rand.New(rand.NewPCG(41, 43))
	pieces := []string{"<p ", "<div ", "<img src=x ", "style", "STYLE", "sTyLe", "stYle", "styl", "tyle", "=", "\"", "'", " ", "/",
		"color:red", "text-align:center", "rgb(1,2,3)", "url(x)", "expression(", "position:fixed", ";", ">", "onerror=alert(1)", "x", "<script>"}
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 5000, 24)...)
	for range 20000 {
		var b strings.Builder
		for range r.IntN(16) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String(), `<p style="color:red" onclick=`+b.String())
	}
	for _, s := range texts {
		check(s)
		for _, m := range difftest.Mutate(r, s) {
			check(m)
		}
	}
	for _, s := range difftest.Long(r, append(pieces, difftest.Tokens...), 4096) {
		check(s)
	}
	if inert < 50 {
		t.Errorf("only %d texts were inert style", inert)
	}
}

// BenchmarkOnlyInertStyle compares OnlyInertStyle with the reference on
// 256 KiB of script tags (what reads as XSS and has no style):
//
//	go test ./agent/detect/html -run '^$' -bench OnlyInertStyle
func BenchmarkOnlyInertStyle(b *testing.B) {
	s := strings.Repeat("<script>", 32<<10)
	b.Run("script-tags", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			OnlyInertStyle(s)
		}
	})
	b.Run("script-tags/reference", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			onlyInertStyleBefore(s)
		}
	})
}
