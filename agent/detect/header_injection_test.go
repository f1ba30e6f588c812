package detect

import "testing"

func TestHeaderInjection(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name   string
		v      Example
		attack bool
	}{
		{"bcc after an address", ex("query", "email", "a@b.example\r\nBcc: x@evil.example"), true},
		{"bare line feed", ex("body", "reply_to", "a@b.example\nCc: x@evil.example"), true},
		{"cookie through a redirect", ex("query", "next", "/home\r\nSet-Cookie: sid=1"), true},
		{"location", ex("query", "lang", "en\r\nLocation: http://evil.example/"), true},
		{"whole response", ex("query", "next", "/\r\n\r\nHTTP/1.1 200 OK"), true},
		{"custom header", ex("header", "x-request-id", "abc\r\nX-Forwarded-For: 127.0.0.1"), true},
		{"letter in a text area", ex("body", "comment", "Dear team,\nTo: all staff, the meeting moved."), false},
		{"two plain lines", ex("body", "address", "221B Baker Street\nLondon"), false},
		{"one token then prose", ex("body", "note", "Hello\nthanks for the quick reply"), false},
		{"header-like text on one line", ex("query", "q", "subject: hello"), false},
		{"list of keys", ex("body", "config", "mode\nnote: to do"), false},
		{"header without a value", ex("query", "somevar", "\n\rlocation:\n\r"), false},
	}
	for _, tt := range tests {
		sigs := e.Inspect(tt.v.Value(), nil)
		if got := fired(sigs, "crlf-header-injection"); got != tt.attack {
			t.Errorf("%s: %q fired %q, want header injection %v", tt.name, tt.v.Text, classes(sigs), tt.attack)
		}
	}
}

// TestHeaderInjectionThroughLatin1: a runtime that writes a header value
// as Latin-1 keeps only the low byte of each character, so U+560A U+560D
// ("嘊嘍") is a CRLF there.
func TestHeaderInjectionThroughLatin1(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"set-cookie", q("next", "嘊嘍Set-Cookie: a=b"), "crlf-header-injection", "crlf-header-injection"},
		{"location after a path", q("next", "/home嘍嘊Location: http://evil.example/"), "crlf-header-injection", "crlf-header-injection"},
		{"japanese text", body("comment", "今日は嘊晴れです: いい=天気"), "", ""},
	})
	if got, ok := latin1Breaks("a\u560ab\u010dc"); !ok || got != "a\nb\rc" {
		t.Errorf("latin1Breaks = %q, %v", got, ok)
	}
	if _, ok := latin1Breaks("plain ascii"); ok {
		t.Error("latin1Breaks changed ASCII text")
	}
}

// TestRecipientHeaderAfterWords: a subject or a name is words, so a first
// line with blanks still carries a recipient header when the line after
// it is nothing but addresses and ends the value.
func TestRecipientHeaderAfterWords(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"bcc after a subject", q("subject", "Hello there\r\nBcc: spam@evil.example"), "crlf-header-injection", "crlf-header-injection"},
		{"cc list after a name", q("name", "John Smith\nCc: a@x.example, b@y.example"), "crlf-header-injection", "crlf-header-injection"},
		{"a text area's To: line", body("comment", "Dear team,\nTo: all staff, the meeting moved."), "", ""},
		{"a From: line among others", body("comment", "Meeting notes\r\nFrom: alice@example.com\r\nWe agreed to ship."), "", ""},
		{"a forwarded header with a name", body("comment", "Forwarded message\nFrom: Alice <alice@example.com>"), "", ""},
	})
}
