package corpus

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestEveryCarrierDeliversTheValue holds each carrier to its word: the
// request it builds, parsed and decoded as the agent does, yields the
// value it was given among the texts judged. A carrier that garbled its
// value would measure nothing, and its row in the report would say so
// only as a number.
func TestEveryCarrierDeliversTheValue(t *testing.T) {
	values := []struct{ family, v string }{
		{"xss", `<svg onload=alert(1)>`},
		{"sqli", `1' OR '1'='1' -- x`},
		{"path", `../../etc/passwd`},
		{"benign-prose", `Tom & Jerry's "best" café, 100% fun + games`},
	}
	// JavaScript's \u escapes are no decoding a handler applies: the
	// carrier delivers the escaped text, and the XSS readings of it
	// decode them, as a page's script would
	delivered := map[string]func(string) string{"query, \\u escapes (XSS only)": unicodeEscaped}
	d := decode.New(decode.Limits{})
	for _, c := range carriers {
		carried := 0
		for _, tt := range values {
			req, ok := c.place(tt.family, tt.v)
			if !ok {
				continue
			}
			carried++
			want := tt.v
			if f := delivered[c.name]; f != nil {
				want = f(tt.v)
			}
			r, err := event.Parse(APIGatewayV2(req))
			if err != nil {
				t.Fatalf("%s: parse: %v", c.name, err)
			}
			var texts []string
			found := false
			d.Walk(r, func(v event.Value) bool {
				texts = append(texts, v.Text)
				found = found || v.Text == want
				return true
			})
			if !found {
				t.Errorf("%s did not deliver %q; judged:\n%s", c.name, want, strings.Join(texts, "\n"))
			}
		}
		if carried == 0 {
			t.Errorf("%s carried none of the values", c.name)
		}
	}
}
