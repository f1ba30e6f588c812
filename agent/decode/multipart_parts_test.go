package decode

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestMultipartPartsReadAlone: a multipart body yields, part by part,
// exactly the values each part yields alone in a body of its own, for
// runs of parts whose Content-Disposition repeats (read once and reused)
// or changes by a parameter, a quote, a case or an extended filename*,
// and for parts without one. It holds the reuse of the last part's
// header reading to reading every header afresh.
func TestMultipartPartsReadAlone(t *testing.T) {
	headers := []string{
		`form-data; name="f"; filename*=UTF-8''..%2F..%2Fx`,
		`form-data; name="f"; filename="a.txt"`,
		`form-data; name="g"; filename="a.txt"`,
		`form-data; name=f; filename="../b"; filename="c"`,
		`Form-Data; name="f"`,
		`form-data; name="f"; name="h"`,
		`attachment; filename="<svg onload=alert(1)>"`,
		`form-data; name="f"; filename*=UTF-8''%3Cscript%3E`,
		"",
	}
	bodies := []string{"<a<a<a", "1", "' or 1=1 --", "%3Cscript%3E", "PHN2Zz4="}
	part := func(h, body string) string {
		s := "--B\r\n"
		if h != "" {
			s += "Content-Disposition: " + h + "\r\n"
		}
		return s + "\r\n" + body + "\r\n"
	}
	values := func(body string) []event.Value {
		vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: "multipart/form-data; boundary=B", Body: []byte(body)})
		return vals
	}
	r := rand.New(rand.NewPCG(19, 20))
	for range 300 {
		var whole strings.Builder
		var want []event.Value
		h := headers[r.IntN(len(headers))]
		for range 1 + r.IntN(8) {
			if r.IntN(3) == 0 {
				h = headers[r.IntN(len(headers))]
			}
			p := part(h, bodies[r.IntN(len(bodies))])
			whole.WriteString(p)
			want = append(want, values(p+"--B--\r\n")...)
		}
		whole.WriteString("--B--\r\n")
		got := values(whole.String())
		if !slices.EqualFunc(got, want, func(a, b event.Value) bool {
			return a.Location == b.Location && a.Key == b.Key && a.Text == b.Text && a.IsKey == b.IsKey && slices.Equal(a.Decoded, b.Decoded)
		}) {
			t.Fatalf("body %q:\n got  %v\n want %v", whole.String(), got, want)
		}
	}
}
