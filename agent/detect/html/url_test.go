package html

import "testing"

func TestScriptURL(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        string
		needCode bool
		off      int
		ok       bool
	}{
		{"plain", "javascript:alert(1)", true, 0, true},
		{"after an attribute", `href="javascript:x`, true, 6, true},
		{"padded scheme", "java\tscript:x", true, 0, true},
		{"control bytes", "\x01javascript:x", true, 0, true},
		{"vbscript", "vbscript:msgbox", true, 0, true},
		{"Netscape's name", `<IMG SRC="mocha:[code]">`, true, 10, true},
		{"Netscape's name in prose", "the mocha: latte", true, 0, false},
		{"data html", "data:text/html,<b>", true, 0, true},
		{"no code after the colon", "javascript:", true, 0, false},
		{"empty accepted", "javascript:", false, 0, true},
		{"inside a word", "myjavascript:x", true, 0, false},
		{"data of an image", "data:image/png;base64,xx", true, 0, false},
		{"prose", "note: javascript is fun", true, 0, false},
		// a filter that strips one "javascript:" leaves the one behind it
		{"scheme doubled", `href="\xE2\x80\x80javascript:javascript:alert(1)"`, true, 29, true},
		{"words joined by colons", "skills:javascript:5 years", true, 0, false},
		{"after a word and a blank, a call", `x" -new-window javascript:alert(1)`, true, 15, true},
		{"after a word and a blank, a member call", "see javascript:document.write(1)", true, 4, true},
		{"after a word and a blank, prose", "learn javascript: the good parts", true, 0, false},
		{"after a word and a blank, a call after a blank", "i love javascript: fetch(url)", true, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			off, ok := ScriptURLAt(c.s, c.needCode)
			if ok != c.ok || ok && off != c.off {
				t.Errorf("ScriptURLAt(%q, %v) = %d, %v; want %d, %v", c.s, c.needCode, off, ok, c.off, c.ok)
			}
		})
	}
}
