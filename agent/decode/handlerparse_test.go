package decode

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// judged reports whether some value of the walk is t, or, when within,
// contains it (readings that carry the payload with its surroundings).
func judged(vals []event.Value, t string, within bool) bool {
	for _, v := range vals {
		if v.Text == t || within && len(v.Decoded) > 0 && strings.Contains(v.Text, t) {
			return true
		}
	}
	return false
}

// TestHandlersReadingsAreJudged: every reading a handler's parser may take
// of an ambiguous encoding is among the values the decoder yields.
func TestHandlersReadingsAreJudged(t *testing.T) {
	const payload = "<script>alert(1)</script>"
	b64 := base64.StdEncoding.EncodeToString([]byte(payload))
	b64url := base64.RawURLEncoding.EncodeToString([]byte("<svg/onload=alert(1)>??>"))
	jwtHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	jwtPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"' OR 1=1 --"}`))
	var gzTail bytes.Buffer
	gzTail.Write(gz(t, []byte("a=1")))
	gzTail.WriteString("&q=" + payload)
	multiGz := append(gz(t, []byte("a=1&")), gz(t, []byte("q=member2"))...)

	tests := []struct {
		name string
		req  *event.Request
		want string
	}{
		{"boundary parameter taken by name, not by substring",
			&event.Request{ContentType: "multipart/form-data; xboundary=AAA; boundary=BBB",
				Body: []byte("--BBB\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + payload + "\r\n--BBB--\r\n")},
			payload},
		{"duplicated boundary: every reading",
			&event.Request{ContentType: "multipart/form-data; boundary=AAA; boundary=BBB",
				Body: []byte("--BBB\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + payload + "\r\n--BBB--\r\n")},
			payload},
		{"RFC 2231 extended file name",
			&event.Request{ContentType: "multipart/form-data; boundary=B",
				Body: []byte("--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd\r\n\r\nx\r\n--B--\r\n")},
			"../../etc/passwd"},
		{"plain and extended file names both",
			&event.Request{ContentType: "multipart/form-data; boundary=B",
				Body: []byte("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"; filename*=UTF-8''..%2Fshell.php\r\n\r\nx\r\n--B--\r\n")},
			"../shell.php"},
		{"data after a gzip member",
			&event.Request{ContentType: "application/x-www-form-urlencoded", ContentEncoding: "gzip", Body: gzTail.Bytes()},
			payload},
		{"second gzip member",
			&event.Request{ContentType: "application/x-www-form-urlencoded", ContentEncoding: "gzip", Body: multiGz},
			"member2"},
		{"base64 with inner whitespace",
			&event.Request{RawQuery: "q=" + b64[:10] + "%20%0A" + b64[10:]},
			payload},
		{"base64 without padding, URL-safe alphabet",
			&event.Request{RawQuery: "q=" + b64url},
			"<svg/onload=alert(1)>"},
		{"base64 with data after the padding (Python reads on, Node stops)",
			&event.Request{RawQuery: "q=" + url(base64.StdEncoding.EncodeToString([]byte("ab"))+base64.StdEncoding.EncodeToString([]byte(payload)))},
			"alert(1)"},
		{"base64 with stray characters Python discards",
			&event.Request{RawQuery: "q=" + url(b64[:8]+"!"+b64[8:])},
			payload},
		{"short base64", &event.Request{RawQuery: "q=PHN2Zz4%3D"}, "<svg>"},
		{"base64 in a path segment of its own",
			&event.Request{Path: "/" + url(b64)},
			payload},
		{"base64 carrying '/' across path segments",
			&event.Request{Path: "/" + base64.StdEncoding.EncodeToString([]byte("<img src=x onerror=alert(1)>???"))},
			"onerror=alert(1)"},
		{"hex", &event.Request{RawQuery: "q=" + hex.EncodeToString([]byte(payload))}, payload},
		{"0x hex", &event.Request{RawQuery: "q=0x" + hex.EncodeToString([]byte("' or 1=1"))}, "' or 1=1"},
		{"JWT payload in authorization",
			&event.Request{Headers: map[string][]string{"authorization": {"Bearer " + jwtHeader + "." + jwtPayload + ".sig"}}},
			"' OR 1=1 --"},
		{"JWT anywhere", &event.Request{RawQuery: "token=" + jwtHeader + "." + jwtPayload + "."}, "' OR 1=1 --"},
		{"Basic credentials",
			&event.Request{Headers: map[string][]string{"authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("admin' --:x"))}}},
			"admin' --:x"},
		{"every decoding, not the first: URL escapes and base64 in one value",
			&event.Request{Headers: map[string][]string{"x-data": {b64 + "%41"}}},
			payload},
		{"base64 whose decoding holds a control byte",
			&event.Request{RawQuery: "f=" + url(base64.StdEncoding.EncodeToString([]byte("../../../../etc/passwd\x00.png")))},
			"../../../../etc/passwd"},
		{"base64 of a payload without letters", &event.Request{RawQuery: "q=" + url(base64.StdEncoding.EncodeToString([]byte("'||1=1--")))}, "'||1=1--"},
		{"duplicate JSON keys: every value",
			jsonReq(`{"role":"user","role":"` + strings.ReplaceAll(payload, "/", `\/`) + `"}`),
			payload},
	}
	// readings that carry the payload with its surroundings
	within := map[string]bool{
		"base64 without padding, URL-safe alphabet":                        true,
		"base64 with data after the padding (Python reads on, Node stops)": true,
		"base64 carrying '/' across path segments":                         true,
		"base64 whose decoding holds a control byte":                       true,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, _ := walk(t, New(Limits{}), tt.req)
			if !judged(vals, tt.want, within[tt.name]) {
				t.Errorf("%q never judged; values:\n%s", tt.want, dump(vals))
			}
		})
	}
}

// url percent-encodes the characters a query value cannot hold.
func url(s string) string {
	return strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D", "!", "%21", " ", "%20", "\n", "%0A").Replace(s)
}

// TestReadingsStayBounded: every decoding is followed, yet a value whose
// readings nest deeper than MaxLayers is a limit, and the text a value's
// readings produce stays linear in its length.
func TestReadingsStayBounded(t *testing.T) {
	s := "<script>alert(1)</script>"
	for range 10 {
		s = base64.StdEncoding.EncodeToString([]byte(s))
	}
	vals, de := walk(t, New(Limits{}), &event.Request{Headers: map[string][]string{"x": {s}}})
	if !hasIssue(de, LayerLimit) || !de.Limited() {
		t.Errorf("ten base64 layers: want a layer limit, got %v", de)
	}
	total := 0
	for _, v := range vals {
		total += len(v.Text)
	}
	if total > DefaultMaxReadings*(len(s)+64) {
		t.Errorf("readings of a %d-byte value produced %d bytes", len(s), total)
	}
}
