package decode

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestAmpersandOnlyEntityReadingIsNotYielded: an HTML decoding that only
// turned "&amp;" into "&" gives the XSS detectors nothing the text with
// "&amp;" does not (see package detect's TestAmpersandReadingFindsNothingNew),
// so it is expanded without being yielded; its decodings are yielded, and
// a decoding that leaves a reference behind (&amp;lt;) is yielded as ever.
func TestAmpersandOnlyEntityReadingIsNotYielded(t *testing.T) {
	d := New(Limits{})
	for _, c := range []struct {
		name, query string
		yielded     []string // texts that must be yielded
		notYielded  []string // texts that must not
	}{
		{"ampersands only", "q=a%26amp%3Bb%3Cx", []string{"a&amp;b<x"}, []string{"a&b<x"}},
		{"capital AMP", "q=a%26AMP%3Bb", []string{"a&AMP;b"}, []string{"a&b"}},
		{"a reference left behind", "q=%26amp%3Blt%3Bscript%26amp%3Bgt%3B", []string{"&lt;script&gt;", "<script>"}, nil},
		{"other references decoded too", "q=a%26amp%3Bb%26lt%3Bx", []string{"a&b<x"}, nil},
		{"its base64 decoding", "q=PHNjcmlwdD4%26amp%3B", []string{"<script>"}, nil},
		{"a URL decoding of it", "q=%2526amp%253B%253Cx", []string{"&amp;<x"}, []string{"&<x"}},
	} {
		vals, _ := walk(t, d, &event.Request{Trigger: event.APIGatewayHTTP, RawQuery: c.query})
		var texts []string
		for _, v := range vals {
			texts = append(texts, v.Text)
		}
		for _, want := range c.yielded {
			if !slices.Contains(texts, want) {
				t.Errorf("%s: %q not yielded; got %q", c.name, want, texts)
			}
		}
		for _, no := range c.notYielded {
			if slices.Contains(texts, no) {
				t.Errorf("%s: %q yielded; got %q", c.name, no, texts)
			}
		}
	}
}

func TestAmpOnly(t *testing.T) {
	for _, c := range []struct {
		s, d string
		want bool
	}{
		{"a&amp;b", "a&b", true},
		{"&amp;&amp;", "&&", true},
		{"a&AmP;b&x", "a&b&x", true},
		{"a&amp;b&lt;", "a&b<", false},
		{"a&ampb", "a&b", false},
		{"x", "x", true},
	} {
		if got := ampOnly(c.s, c.d); got != c.want {
			t.Errorf("ampOnly(%q, %q) = %v, want %v", c.s, c.d, got, c.want)
		}
	}
}
