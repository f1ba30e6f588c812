package decode

// htmlUnescape as it was before it looked for a '&' that may start a
// reference: the oracle TestHTMLUnescapeMatchesReference holds the new
// code to. Kept verbatim apart from the name.

import (
	"html"
	"math/rand/v2"
	"strings"
	"testing"
)

func refHTMLUnescape(s string) (string, bool) {
	if strings.IndexByte(s, ';') < 0 && !strings.Contains(s, "&#") {
		return s, false
	}
	d := html.UnescapeString(s)
	return d, d != s
}

// TestHTMLUnescapeMatchesReference: htmlUnescape returns exactly what the
// reference returns for references named, numeric, cut short, without
// ';', next to stray '&' and to the bytes that end a name, and for random
// strings over them.
func TestHTMLUnescapeMatchesReference(t *testing.T) {
	inputs := []string{"", "&", "&;", "&&", "&amp;", "&amp", "&lt;&", "&#", "&#;", "&#x;", "&#65;", "&#x41", "a&b;", "&;&;",
		"&%2e;", "&../<?+;", "<;&%<;&%", "&&&&amp;", "& amp;", "&\xff;", "&é;", "&Aacute", "&notin;", "&notit;", "&ZZZ;",
		"&#", "&#1", "&#x", "&#x1", "&#12", "&#x4", "&#x41", "&#65", "&#2147483648;", "&#x7FFFFFFF;", "&#x80000000;", "&#4294967296;",
		"&#x100000041;", strings.Repeat("&amp;%25", 2000), strings.Repeat("&lt;&#60;&#x3c;&quot;", 500) + "&nbsp;",
		strings.Repeat("<;&%", 1000) + "&lt;", strings.Repeat("&../<?+", 500)}
	r := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"&", "&amp;", "&amp", "&lt", "&#", "&#x", "&#X", "41", "4", "9", "f", "FF", ";", "&;", "%", ".", "a", "Z", "#", " ", "é", "\xff", "<",
		"&nbsp", "&lt;", "&gt;", "&quot;", "&apos;", "&AMP;", "&ampx;", "&#128;", "&#x9f;", "&#xD800;", "&#0;", "&#x10FFFF;", "&#x110000;",
		"&#99999999999;", "&#xFFFFFFFFF", "&#x;", "&#;", "x"}
	for range 30000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		if got, _, ok := unescapeCommon(s); ok && got != html.UnescapeString(s) {
			t.Fatalf("unescapeCommon(%q) = %q, html.UnescapeString %q", s, got, html.UnescapeString(s))
		}
		got, changed := htmlUnescape(s)
		want, wchanged := refHTMLUnescape(s)
		if got != want || changed != wchanged {
			t.Fatalf("htmlUnescape(%q) = %q %v, want %q %v", s, got, changed, want, wchanged)
		}
	}
}

// BenchmarkHTMLUnescape compares htmlUnescape with its reference on the
// texts the worst-case values decode.
func BenchmarkHTMLUnescape(b *testing.B) {
	for _, unit := range []string{"<;&amp;%25", "&amp;%2e%2e/<?+", "&amp;", "&#", "&lt;&#60;&#x3c;"} {
		s := strings.Repeat(unit, (1<<20)/len(unit))
		b.Run(unit, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				htmlUnescape(s)
			}
		})
		b.Run(unit+"/reference", func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				refHTMLUnescape(s)
			}
		})
	}
}
