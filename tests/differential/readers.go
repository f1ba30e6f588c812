package differential

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Event returns the API Gateway HTTP API (payload 2.0) event the platform
// would send for c: cookies moved to the cookies array, repeated headers
// joined with commas, the body base64-encoded.
func (c *Case) Event() []byte {
	headers := map[string]string{}
	var cookies []string
	for _, h := range c.Headers {
		if h[0] == "cookie" {
			for _, p := range strings.Split(h[1], ";") {
				if p = strings.TrimSpace(p); p != "" {
					cookies = append(cookies, p)
				}
			}
			continue
		}
		if v, ok := headers[h[0]]; ok {
			headers[h[0]] = v + "," + h[1]
		} else {
			headers[h[0]] = h[1]
		}
	}
	ev := map[string]any{
		"version":        "2.0",
		"routeKey":       "$default",
		"rawPath":        c.Path,
		"rawQueryString": c.Query,
		"headers":        headers,
		"requestContext": map[string]any{
			"http":      map[string]any{"method": c.Method, "path": c.Path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9"},
			"requestId": "id", "routeKey": "$default", "stage": "$default",
		},
		"isBase64Encoded": true,
		"body":            base64.StdEncoding.EncodeToString(c.Body),
	}
	if len(cookies) > 0 {
		ev["cookies"] = cookies
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err) // only strings and maps: cannot fail
	}
	return b
}

// Judged returns every text the agent judges in c (event.Parse, then
// decode.Walk with the default limits), normalised by Normalize, and the
// walk's error.
func Judged(c *Case) (map[string]bool, *decode.Error, error) {
	req, err := event.Parse(c.Event())
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	werr := decode.New(decode.Limits{}).Walk(req, func(v event.Value) bool {
		seen[Normalize(v.Text)] = true
		return true
	})
	var de *decode.Error
	errors.As(werr, &de)
	return seen, de, nil
}

// Normalize makes texts from different languages comparable: invalid
// UTF-8 bytes become U+FFFD one by one (as Python's errors="replace"
// does), and leading and trailing white space goes (multipart parsers
// disagree on the line break before a boundary).
func Normalize(s string) string {
	if !utf8.ValidString(s) {
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(r)
		}
		s = b.String()
	}
	return strings.TrimSpace(s)
}

// Latin1Bytes undoes a Latin-1 reading of raw bytes (busboy reads
// urlencoded bytes that way): each character up to U+00FF back to its
// byte. Such a reading maps bytes 0x80-0xFF to other non-ASCII characters
// and leaves ASCII alone, so it hides no attack the byte reading shows.
func Latin1Bytes(v string) string {
	b := make([]byte, 0, len(v))
	for _, r := range v {
		if r > 0xff {
			return v
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// Comparable reports whether a parser's value takes part in the
// comparison: not empty, not the product of an invalid byte sequence
// (each language replaces those its own way), and not binary (compressed
// bytes read as a form by a handler that does not decompress: several
// control characters; each library mangles those its own way too, and
// the agent judges the same bytes raw).
func Comparable(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsRune(v, utf8.RuneError) {
		return false
	}
	ctl := 0
	for _, r := range v {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
			ctl++
		}
	}
	return ctl < 2
}

// StdlibValues returns what Go's standard library hands a handler for c:
// net/url's query and path, net/http's cookies and headers, the form or
// multipart form (after gzip, as a handler that decompresses sees it, and
// raw, as one that does not), encoding/json's strings and keys, and the
// base64 decodings (every alphabet) of all of them that are text.
func StdlibValues(c *Case) []string {
	var out []string
	add := func(vs ...string) { out = append(out, vs...) }

	q, _ := url.ParseQuery(c.Query) // keeps the pairs it can parse
	for k, vs := range q {
		add(k)
		add(vs...)
	}
	for _, seg := range strings.Split(c.Path, "/") {
		if s, err := url.PathUnescape(seg); err == nil {
			add(s)
		}
	}
	h := http.Header{}
	for _, kv := range c.Headers {
		if h.Get(kv[0]) == "" {
			h.Set(kv[0], c.Header(kv[0]))
		}
	}
	r := &http.Request{Header: h}
	for _, ck := range r.Cookies() {
		add(ck.Name, ck.Value)
	}
	for name, vs := range h {
		if name != "Cookie" {
			add(vs...)
		}
	}
	ct := h.Get("Content-Type")
	bodies := [][]byte{c.Body}
	if strings.EqualFold(h.Get("Content-Encoding"), "gzip") {
		if zr, err := gzip.NewReader(bytes.NewReader(c.Body)); err == nil {
			if plain, err := io.ReadAll(zr); err == nil || len(plain) > 0 {
				bodies = append(bodies, plain)
			}
		}
	}
	for _, body := range bodies {
		add(bodyValues(ct, body)...)
	}
	n := len(out)
	for _, v := range out[:n] {
		add(base64Texts(v)...)
	}
	return out
}

func bodyValues(ct string, body []byte) []string {
	var out []string
	media, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil
	}
	switch {
	case media == "application/x-www-form-urlencoded":
		q, _ := url.ParseQuery(string(body))
		for k, vs := range q {
			out = append(out, k)
			out = append(out, vs...)
		}
	case strings.HasPrefix(media, "multipart/"):
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			out = append(out, p.FormName())
			if _, dp, err := mime.ParseMediaType(p.Header.Get("Content-Disposition")); err == nil && dp["filename"] != "" {
				out = append(out, dp["filename"]) // what FileName() reduces to its base
			}
			data, _ := io.ReadAll(p)
			out = append(out, string(data))
		}
	case media == "application/json":
		var v any
		if json.Unmarshal(body, &v) == nil {
			out = jsonStrings(v, out)
		}
	}
	return out
}

func jsonStrings(v any, out []string) []string {
	switch t := v.(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, e := range t {
			out = jsonStrings(e, out)
		}
	case map[string]any:
		for k, e := range t {
			out = append(out, k)
			out = jsonStrings(e, out)
		}
	}
	return out
}

// MinBase64 is the shortest value the comparison decodes as base64: the
// decoder's documented minimum (shorter decodes to at most five bytes).
const MinBase64 = 8

// base64Texts decodes v with each of Go's base64 encodings and returns
// the results that are printable text.
func base64Texts(v string) []string {
	if len(v) < MinBase64 {
		return nil
	}
	var out []string
	for _, e := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if d, err := e.DecodeString(v); err == nil && PrintableText(d) {
			out = append(out, string(d))
		}
	}
	return out
}

// PrintableText is the filter every language's side applies to base64
// decodings: valid UTF-8 without control characters other than tab and
// line breaks. (The agent's own filter is wider.)
func PrintableText(b []byte) bool {
	if len(b) == 0 || !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}
