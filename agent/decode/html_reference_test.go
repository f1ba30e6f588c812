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
		strings.Repeat("<;&%", 1000) + "&lt;", strings.Repeat("&../<?+", 500)}
	r := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"&", "&amp;", "&amp", "&lt", "&#", "&#x", "41", "4", ";", "&;", "%", ".", "a", "Z", "#", " ", "é", "\xff", "<", "&nbsp"}
	for range 30000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		got, changed := htmlUnescape(s)
		want, wchanged := refHTMLUnescape(s)
		if got != want || changed != wchanged {
			t.Fatalf("htmlUnescape(%q) = %q %v, want %q %v", s, got, changed, want, wchanged)
		}
	}
}
