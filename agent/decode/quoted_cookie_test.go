package decode

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestQuotedCookieEscapesAreRead: a quoted cookie value is also read as
// Python's http.cookies unquotes it, octal escapes decoded.
func TestQuotedCookieEscapesAreRead(t *testing.T) {
	vals, _ := walk(t, New(Limits{}), &event.Request{Cookies: map[string][]string{"q": {`"\047 OR \0471\047=\0471"`}}})
	find(t, vals, "cookie.q", "' OR '1'='1")
	for _, c := range []struct {
		in, want string
		changed  bool
	}{
		{`\047x`, "'x", true},
		{`a\"b\\c`, `a"b\c`, true},
		{`\400`, "400", true}, // not an octal byte: the backslash goes
		{`plain`, "plain", false},
		{`end\`, `end\`, false},
	} {
		got, changed := cookieUnquote(c.in)
		if got != c.want || changed != c.changed {
			t.Errorf("cookieUnquote(%q) = %q, %v; want %q, %v", c.in, got, changed, c.want, c.changed)
		}
	}
}
