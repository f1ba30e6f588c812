package differential

import (
	"strings"
	"testing"
)

// FuzzAgentJudgesWhatGoExtracts is the differential property against Go's
// standard library on arbitrary requests: whatever net/url, net/http,
// mime/multipart, encoding/json and encoding/base64 extract from a query,
// a cookie header and a body under any Content-Type and Content-Encoding,
// the agent judges, unless the request reached one of its limits (which
// the policy decides on: see decode.Bounds).
//
//	go test ./tests/differential -run '^$' -fuzz FuzzAgentJudgesWhatGoExtracts -fuzztime 60s
func FuzzAgentJudgesWhatGoExtracts(f *testing.F) {
	for _, c := range Generate(seed, 48) {
		f.Add(c.Query, c.Header("content-type"), c.Header("content-encoding"), c.Header("cookie"), c.Body)
	}
	f.Fuzz(func(t *testing.T, query, ct, ce, cookie string, body []byte) {
		for _, h := range []string{ct, ce, cookie} {
			if strings.ContainsAny(h, "\r\n\x00") {
				return // no front door delivers such a header
			}
		}
		c := Case{Method: "POST", Path: "/p", Query: query, Body: body}
		for _, h := range [][2]string{{"content-type", ct}, {"content-encoding", ce}, {"cookie", cookie}} {
			if h[1] != "" {
				c.Headers = append(c.Headers, h)
			}
		}
		judged, de, err := Judged(&c)
		if err != nil || de != nil && de.Limited() {
			return
		}
		for _, v := range StdlibValues(&c) {
			if Comparable(v) && !judged[Normalize(v)] && !judged[Normalize(Latin1Bytes(v))] {
				t.Fatalf("Go extracted %q, the agent never judged it\nrequest %s", v, describe(&c))
			}
		}
	})
}
