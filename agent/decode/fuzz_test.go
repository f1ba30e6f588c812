package decode

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// fuzzLimits are small so that the fuzzer explores limit handling.
var fuzzLimits = Limits{MaxDepth: 16, MaxValues: 500, MaxBytes: 1 << 16, MaxDecompressed: 1 << 14, MaxLayers: 3}

// checkWalk runs a walk and checks the invariants every walk keeps: limits
// hold, values are located, and only Issues come back as errors.
func checkWalk(t *testing.T, req *event.Request) {
	t.Helper()
	d := New(fuzzLimits)
	n, total := 0, 0
	err := d.Walk(req, func(v event.Value) bool {
		n++
		total += len(v.Text)
		if v.Location == "" {
			t.Fatalf("value without location: %+v", v)
		}
		if len(v.Decoded) > maxChain {
			t.Fatalf("chain too long: %v", v.Decoded)
		}
		return true
	})
	if n > fuzzLimits.MaxValues || total > fuzzLimits.MaxBytes {
		t.Fatalf("limits broken: %d values, %d bytes", n, total)
	}
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
	}
}

func FuzzWalkBody(f *testing.F) {
	seeds := []struct{ ct, body string }{
		{"application/json", `{"a":{"b":["c",{"$ne":"\u0027"}]},"n":"{\"x\":\"%253C\"}"}`},
		{"application/x-www-form-urlencoded", "a=%27+b&c[$gt]=&d=%u0041"},
		{"multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../x\"\r\n\r\nv\r\n--B--\r\n"},
		{"text/xml", `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///x">]><a k="v">&e;<b>t</b></a>`},
		{"application/graphql", "{ a }"},
		{"", "PHNjcmlwdD4="},
		{"text/plain", "&#x3C;b&#x3E; %3Cb%3E"},
		{"application/json; charset=utf-7", `{"q":"+ADw-b+AD4- +- \\x3c\\n"}`},
		{"application/x-www-form-urlencoded; charset=utf-7", "q=%2BACc-+OR+1&r=\\x3c+"},
		{"application/x-www-form-urlencoded; charset=ibm037; charset=utf-16", "q=%7D%40%D6%D9&%27%00=1"},
		{"application/json; charset=utf-32be", "\x00\x00\x00{\x00\x00\x00}"},
		{"application/xml", `<?xml version="1.0" encoding="windows-1252"?><r a="&#39;">\x80</r>`},
		{"application/json", "\ufeff{\"q\":\"\uff07\uff1c\",\"c\":\"H4sIAAAAAAAA\"}"},
	}
	for _, s := range seeds {
		f.Add(s.ct, "", []byte(s.body))
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"a":"b"}`))
	zw.Close()
	f.Add("application/json", "gzip", buf.Bytes())
	f.Fuzz(func(t *testing.T, ct, ce string, body []byte) {
		checkWalk(t, &event.Request{Trigger: event.APIGatewayHTTP, ContentType: ct, ContentEncoding: ce, Body: body})
	})
}

func FuzzWalkRequest(f *testing.F) {
	f.Add("/a/%2e%2e/b", "a=1&b=%zz&c=%2527", "x-h", "Zm9vYmFyYmF6", "sid", "%3Cx%3E")
	f.Fuzz(func(t *testing.T, path, query, hname, hval, cname, cval string) {
		checkWalk(t, &event.Request{
			Trigger: event.ALB, Path: path, RawQuery: query,
			Headers: map[string][]string{hname: {hval}},
			Cookies: map[string][]string{cname: {cval}},
			Records: []event.Record{{Index: 0, Body: []byte(hval), Attributes: map[string]string{cname: cval}}},
		})
	})
}

func FuzzPercentDecode(f *testing.F) {
	for _, s := range []string{"%41", "%u0041", "%zz", "%", "a+b", "%2525", "%uD800", "%C0%AF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, changed, _, _ := percentDecode(s, true)
		if !changed && out != s {
			t.Fatal("unchanged output differs")
		}
		if len(out) > len(s) && !strings.Contains(s, "%u") {
			t.Fatalf("decoding grew %q to %q", s, out)
		}
	})
}

// FuzzScriptEscapes holds the decoding's contract: unchanged means the
// text itself, and script escapes never lengthen a text.
func FuzzScriptEscapes(f *testing.F) {
	for _, s := range []string{`\x3c\u003c\n`, `\\x41\x`, `\`, `a\nb\t`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out, changed := jsUnescape(s); !changed && out != s || len(out) > len(s) {
			t.Fatalf("jsUnescape(%q) = %q, %v", s, out, changed)
		}
	})
}

func FuzzBase64Text(f *testing.F) {
	for _, s := range []string{"Y2F0IC9ldGMvcGFzc3dk", "PHN2Zz4-", "AAAA====", "abcdefghijkl"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := base64Text(s)
		if !ok {
			return
		}
		if !utf8.ValidString(out) || len(out) >= len(s) {
			t.Fatalf("%q decoded to %q", s, out)
		}
	})
}
