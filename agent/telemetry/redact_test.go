package telemetry

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func TestScrubberMasksPersonalDataAndSecrets(t *testing.T) {
	req := &event.Request{
		Cookies: map[string][]string{"sid": {"c00kie-s3cret-value-77"}},
		Headers: map[string][]string{"x-api-key": {"k3y-0123456789-abcdef"}, "authorization": {"Bearer tok.en.value123"}},
		Query:   map[string][]string{"password": {"hunter2hunter2"}},
		Claims:  map[string]string{"jwt.name": "Alice Liddell"},
		Fields:  []event.Field{{Part: event.PartBody, Location: "body.pin", Key: "pin", Text: "918273"}},
	}
	sc := NewRedactor(nil, "favourite").ForRequest(req)
	cases := []struct{ name, in, never string }{
		{"email", "mail alice@example.com now", "alice@example.com"},
		{"email cut by an excerpt", "…ice@exam", "ice@exam"},
		{"percent-encoded email", "to=alice%40example.com", "alice%40example.com"},
		{"phone", "call +44 20 7946 0958 today", "7946 0958"},
		{"card fragment", "4111 1111 1111", "1111 1111"},
		{"ip address", "from 198.51.100.77", "198.51.100.77"},
		{"long token", "key=AbCdEf0123456789GhIjKl0123", "AbCdEf0123456789GhIjKl0123"},
		{"cookie value anywhere", "echo c00kie-s3cret-value-77 back", "c00kie-s3cret-value-77"},
		{"piece of a cookie value", "xx-s3cret-valu", "s3cret-valu"},
		{"api key", "k3y-0123456789-abcdef", "0123456789"},
		{"bearer credential without scheme", "saw tok.en.value123", "tok.en.value123"},
		{"sensitive query value", "hunter2hunter2", "hunter2"},
		{"identity claim", "hello Alice Liddell", "Alice Liddell"},
		{"configured name", "x", ""},
		{"control characters", "a\nb\rc", "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := sc.Text(c.in, 200)
			if c.never != "" && strings.Contains(out, c.never) {
				t.Errorf("Text(%q) = %q still holds %q", c.in, out, c.never)
			}
		})
	}
	for _, keep := range []string{"' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "${jndi:ldap://x}"} {
		if got := sc.Text(keep, 200); got != keep {
			t.Errorf("attack evidence %q became %q", keep, got)
		}
	}
}

func TestSensitiveLocationsHaveNoExcerpt(t *testing.T) {
	r := NewRedactor(nil, "favourite")
	sc := r.ForRequest(nil)
	for _, loc := range []string{"cookie.sid", "header.authorization", "header.x-api-key", "header.cookie", "auth.jwt.email",
		"body.user.password", "query.access_token", "body.items[0].card.number", "records[2].body.favourite", "event.detail.ssn"} {
		if got := sc.Excerpt(loc, "' OR 1=1 --"); got != "" {
			t.Errorf("excerpt at %s: %q, want none", loc, got)
		}
	}
	for _, loc := range []string{"query.id", "body.comment", "path", "header.user-agent", "records[0].body"} {
		if got := sc.Excerpt(loc, "' OR 1=1 --"); got == "" {
			t.Errorf("no excerpt at %s", loc)
		}
	}
}
