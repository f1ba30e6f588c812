package proxy

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzPassThrough sends arbitrary paths, queries, methods and bodies
// through the proxy: whatever is not the next/response/error protocol must
// reach the upstream exactly as sent, and the answer must come back as the
// upstream gave it.
func FuzzPassThrough(f *testing.F) {
	f.Add("GET", "/2018-06-01/runtime/restore/next", "", []byte(nil))
	f.Add("POST", "/2018-06-01/runtime/init/error", "a=1&b=%2F", []byte(`{"errorMessage":"x"}`))
	f.Add("PUT", "/2022-07-01/telemetry", "", []byte(`{"destination":{}}`))
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/response", "", []byte("ok"))
	f.Add("DELETE", "/a%2Fb/../c", "x=%00", []byte{0, 1, 2})
	f.Add("POST", "/2018-06-01/runtime/invocation//error", "", []byte("{}"))

	type seen struct {
		method, uri string
		body        []byte
	}
	got := make(chan seen, 1)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, b}
		w.Header().Set("X-Upstream", "yes")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write(b)
	}))
	defer upstream.Close()
	p, err := New(strings.TrimPrefix(upstream.URL, "http://"))
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	client := srv.Client()

	f.Fuzz(func(t *testing.T, method, path, query string, body []byte) {
		switch method {
		case "GET", "POST", "PUT", "DELETE", "PATCH":
		default:
			method = "POST"
		}
		u, err := url.Parse(srv.URL + "/" + strings.TrimPrefix(path, "/"))
		if err != nil || u.Host != strings.TrimPrefix(srv.URL, "http://") || u.Fragment != "" || u.RawQuery != "" || u.Opaque != "" {
			return
		}
		if q, err := url.ParseQuery(query); err == nil {
			u.RawQuery = q.Encode()
		}
		if method == "GET" && u.Path == pathNext {
			return // the protocol path, covered by the other tests
		}
		req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
		if err != nil {
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s := <-got
		if s.method != method || s.uri != u.RequestURI() || !bytes.Equal(s.body, body) {
			t.Errorf("upstream got %s %s (%d bytes), sent %s %s (%d bytes)", s.method, s.uri, len(s.body), method, u.RequestURI(), len(body))
		}
		if resp.StatusCode != http.StatusTeapot || resp.Header.Get("X-Upstream") != "yes" || !bytes.Equal(answer, body) {
			t.Errorf("answer %d %q not relayed", resp.StatusCode, answer)
		}
	})
}
