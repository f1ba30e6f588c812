package decode

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestXMLDeclaredEncodingsAreRead: a document whose declaration names an
// encoding other than UTF-8 is parsed as the handler's XML parser parses
// it, each element's text yielded at its location with its character
// references decoded, not refused as malformed and judged as one text.
func TestXMLDeclaredEncodingsAreRead(t *testing.T) {
	for _, c := range []struct {
		encoding, body, loc, want string
	}{
		{"ISO-8859-1", "<r><q>&#x27; OR &#x27;1&#x27;=&#x27;1</q></r>", "body.r.q", "' OR '1'='1"},
		{"windows-1252", "<r><q>&#39;--</q></r>", "body.r.q", "'--"},
		{"us-ascii", "<r a=\"x\"><q>1</q></r>", "body.r@a", "x"},
		{"latin1", "<r><q>caf\xe9</q></r>", "body.r.q", "café"},
		{"windows-1252", "<r><q>\x80 5</q></r>", "body.r.q", "€ 5"},
		{"UTF-16", "<r><q>sent as UTF-8</q></r>", "body.r.q", "sent as UTF-8"},
		{"Shift_JIS", "<r><q>1 UNION SELECT 1</q></r>", "body.r.q", "1 UNION SELECT 1"},
		{"UTF-7", "<r><q>+ADw-b+AD4-x+ADw-/b+AD4-</q></r>", "body.r.q.b", "x"},
		{"UTF-7", "<r><q>a+ACc-b</q></r>", "body.r.q", "a'b"},
	} {
		body := `<?xml version="1.0" encoding="` + c.encoding + `"?>` + c.body
		vals, de := walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte(body)})
		if hasIssue(de, MalformedXML) {
			t.Errorf("%s: refused as malformed: %v", c.encoding, de)
		}
		find(t, vals, c.loc, c.want)
	}
}

func TestWindows1252DecodesEveryByte(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"\x80\x99\x9f", "€™Ÿ"},
		{"\x81\x8d", "\u0081\u008d"},
		{"\xa0\xe9\xff", "\u00a0éÿ"},
	} {
		if got := codePageText(c.in, &windows1252); got != c.want {
			t.Errorf("codePageText(%q, windows-1252) = %q, want %q", c.in, got, c.want)
		}
	}
}
