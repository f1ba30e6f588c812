package corpus

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
	"unicode/utf16"
)

// A carrier is one way a client sends a value: a place in the request and
// the encoding the value travels in there. External places each value in
// a query parameter, a JSON field or a form field; the carriers put the
// same values everywhere else a handler reads them from (a path segment,
// a header, an XML or multipart body, a nested JSON document) and in the
// encodings APIs carry strings in (base64 in JSON, in the query and in
// the path, JSON's own \u escapes). A detection that holds in one place
// and not in another is a way around the firewall, whatever the
// detectors know: the carriers measure that, value by value.
type carrier struct {
	name string
	// place returns the request carrying v, or false when v cannot travel
	// so (a header cannot hold a line break; an XML document is not a
	// string inside another document).
	place func(family, v string) (Request, bool)
}

// carriers are the ways ExternalCarried sends every value.
var carriers = []carrier{
	{"path segment", func(family, v string) (Request, bool) {
		return Request{"GET", "/api/v1/items/" + url.PathEscape(v), hdrs(), nil}, true
	}},
	{"path segment, base64url", func(family, v string) (Request, bool) {
		return Request{"GET", "/api/v1/items/" + base64.RawURLEncoding.EncodeToString([]byte(v)), hdrs(), nil}, true
	}},
	{"query, base64", func(family, v string) (Request, bool) {
		qk, _ := keysFor(carriedClass(family))
		return queryRequest(qk, base64.StdEncoding.EncodeToString([]byte(v))), true
	}},
	{"header", func(family, v string) (Request, bool) {
		if !headerSafe(v) {
			return Request{}, false
		}
		qk, _ := keysFor(carriedClass(family))
		return Request{"GET", "/api/v1/items", hdrs([2]string{"x-" + qk, v}), nil}, true
	}},
	{"user-agent", func(family, v string) (Request, bool) {
		if !headerSafe(v) {
			return Request{}, false
		}
		return Request{"GET", "/api/v1/items", hdrs([2]string{"user-agent", v}), nil}, true
	}},
	{"cookie", func(family, v string) (Request, bool) {
		qk, _ := keysFor(carriedClass(family))
		return Request{"GET", "/api/v1/items", hdrs([2]string{"cookie", "theme=dark; " + qk + "=" + cookieEscape(v)}), nil}, true
	}},
	{"json, nested", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{"data": map[string]any{"items": []any{map[string]any{fk: v, "n": 1}}}})
		return jsonRequest(js), true
	}},
	{"json, \\u escapes", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		return jsonRequest([]byte(`{"` + fk + `":"` + unicodeEscaped(v) + `","page":1}`)), true
	}},
	// Escapes only a page decodes: JavaScript's \u in a string a script
	// hands to the DOM, HTML's character references in an attribute. No
	// database, shell or template engine reads them, so they carry only
	// cross-site scripting (and benign text, for the false positives).
	{"query, \\u escapes (XSS only)", func(family, v string) (Request, bool) {
		if !pageCarries(family) {
			return Request{}, false
		}
		qk, _ := keysFor(carriedClass(family))
		return queryRequest(qk, unicodeEscaped(v)), true
	}},
	{"query, HTML references (XSS only)", func(family, v string) (Request, bool) {
		if !pageCarries(family) {
			return Request{}, false
		}
		qk, _ := keysFor(carriedClass(family))
		return queryRequest(qk, entityEscaped(v)), true
	}},
	{"json, base64", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{fk: base64.StdEncoding.EncodeToString([]byte(v)), "page": 1})
		return jsonRequest(js), true
	}},
	{"query, name repeated", func(family, v string) (Request, bool) {
		// the first value harmless, the second the one judged: which of
		// them a handler takes depends on its framework
		qk, _ := keysFor(carriedClass(family))
		return Request{"GET", "/api/v1/items?" + qk + "=1&" + qk + "=" + url.QueryEscape(v), hdrs(), nil}, true
	}},
	{"form, URL-encoded twice", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		body := fk + "=" + url.QueryEscape(url.QueryEscape(v)) + "&submit=Save"
		return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/x-www-form-urlencoded"}), []byte(body)}, true
	}},
	{"header, percent-encoded", func(family, v string) (Request, bool) {
		qk, _ := keysFor(carriedClass(family))
		return Request{"GET", "/api/v1/items", hdrs([2]string{"x-" + qk, url.PathEscape(v)}), nil}, true
	}},
	{"text body", func(family, v string) (Request, bool) {
		return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "text/plain; charset=utf-8"}), []byte(v)}, true
	}},
	{"json, top-level array", func(family, v string) (Request, bool) {
		js, _ := json.Marshal([]any{"first", v, 3})
		return jsonRequest(js), true
	}},
	{"xml CDATA section", func(family, v string) (Request, bool) {
		if family == "xml" || strings.Contains(v, "]]>") {
			return Request{}, false // a document, or a value that ends the section
		}
		_, fk := keysFor(carriedClass(family))
		return xmlRequest(`<` + fk + `><![CDATA[` + v + `]]></` + fk + `>`), true
	}},
	{"cookie, base64 of JSON", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{fk: v, "v": 2})
		return Request{"GET", "/api/v1/items", hdrs([2]string{"cookie", "theme=dark; session=" + base64.StdEncoding.EncodeToString(js)}), nil}, true
	}},
	{"JWT claim in authorization", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		claims, _ := json.Marshal(map[string]any{"sub": "1234567890", fk: v, "iat": 1516239022})
		jwt := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + base64.RawURLEncoding.EncodeToString(claims) + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
		return Request{"GET", "/api/v1/items", hdrs([2]string{"authorization", "Bearer " + jwt}), nil}, true
	}},
	{"json, a string holding JSON", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		inner, _ := json.Marshal(map[string]any{fk: v})
		js, _ := json.Marshal(map[string]any{"data": string(inner), "page": 1})
		return jsonRequest(js), true
	}},
	{"json, gzip body", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{fk: v, "page": 1})
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(js)
		zw.Close()
		return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/json"}, [2]string{"content-encoding", "gzip"}), b.Bytes()}, true
	}},
	{"xml element", func(family, v string) (Request, bool) {
		if family == "xml" {
			return Request{}, false // a document, not a string in one
		}
		_, fk := keysFor(carriedClass(family))
		return xmlRequest(`<` + fk + `>` + html.EscapeString(v) + `</` + fk + `><page>1</page>`), true
	}},
	{"json, percent-encoded", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{fk: url.QueryEscape(v), "page": 1})
		return jsonRequest(js), true
	}},
	{"query, JSON document", func(family, v string) (Request, bool) {
		qk, fk := keysFor(carriedClass(family))
		js, _ := json.Marshal(map[string]any{fk: v})
		return queryRequest(qk, string(js)), true
	}},
	{"xml attribute", func(family, v string) (Request, bool) {
		if family == "xml" {
			return Request{}, false // a document, not a string in one
		}
		_, fk := keysFor(carriedClass(family))
		return xmlRequest(`<item ` + fk + `="` + html.EscapeString(v) + `" page="1"/>`), true
	}},
	{"multipart file name", func(family, v string) (Request, bool) {
		if !headerSafe(v) || strings.ContainsAny(v, `"\`) {
			return Request{}, false // a file name is a quoted string in a part's header
		}
		return multipartRequest(func(mw *multipart.Writer) error {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="upload"; filename="`+v+`"`)
			h.Set("Content-Type", "text/plain")
			pw, err := mw.CreatePart(h)
			if err != nil {
				return err
			}
			_, err = pw.Write([]byte("hello"))
			return err
		})
	}},
	{"multipart field", func(family, v string) (Request, bool) {
		_, fk := keysFor(carriedClass(family))
		return multipartRequest(func(mw *multipart.Writer) error {
			if err := mw.WriteField(fk, v); err != nil {
				return err
			}
			return mw.WriteField("submit", "Save")
		})
	}},
}

// carrierBoundary is the multipart carriers' boundary: a constant, so
// that a value is sent the same way on every run, and one RFC 2046
// allows (SetBoundary cannot fail on it).
const carrierBoundary = "----lambdawafCarrierBoundary7MA4YWxk"

// ExternalCarried returns the values of one half of the external corpus,
// each sent by every carrier that can carry it; a case's Placement names
// the carrier. Whole JSON documents (json: seeds) have no carrier but
// their own and are left out.
func ExternalCarried(split string) ([]ExternalCase, error) {
	return externalCases(split, func(family, v string) []placed {
		if strings.HasPrefix(v, "json:") {
			return nil
		}
		var out []placed
		for _, c := range carriers {
			if req, ok := c.place(family, v); ok {
				out = append(out, placed{c.name, req})
			}
		}
		return out
	})
}

// carriedClass is the class whose parameter names a carried value is
// sent under: its family's for attacks, neutral ones for benign text.
func carriedClass(family string) string {
	if strings.HasPrefix(family, "benign") {
		return ""
	}
	return family
}

// pageCarries reports whether a family's values travel in escapes only a
// page decodes: cross-site scripting's, and benign text's.
func pageCarries(family string) bool { return family == "xss" || carriedClass(family) == "" }

// queryRequest is a GET with one query parameter.
func queryRequest(name, v string) Request {
	return Request{"GET", "/api/v1/items?" + name + "=" + url.QueryEscape(v), hdrs(), nil}
}

// jsonRequest is a POST of a JSON body.
func jsonRequest(body []byte) Request {
	return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/json"}), body}
}

// xmlRequest is a POST of an XML document whose root element holds inner.
func xmlRequest(inner string) Request {
	body := `<?xml version="1.0" encoding="UTF-8"?><request>` + inner + `</request>`
	return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/xml"}), []byte(body)}
}

// multipartRequest is a POST of the multipart form write writes, or
// false when write fails.
func multipartRequest(write func(*multipart.Writer) error) (Request, bool) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(carrierBoundary); err != nil {
		panic(err)
	}
	if write(mw) != nil || mw.Close() != nil {
		return Request{}, false
	}
	return Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", mw.FormDataContentType()}), b.Bytes()}, true
}

// cookieEscape writes v as a cookie value: URL-encoded, blanks as %20.
func cookieEscape(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }

// headerSafe reports whether v can be a header value as API Gateway
// passes one: no control bytes but tab, at most 8 KiB.
func headerSafe(v string) bool {
	if len(v) > 8<<10 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// unicodeEscaped writes v as the inside of a JSON string with every byte
// that is not a letter or digit as a \u escape of its code point, as
// some JSON encoders write non-ASCII and HTML-significant characters.
func unicodeEscaped(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// entityEscaped writes v with every byte that is not a letter, a digit
// or a blank as a hexadecimal HTML character reference.
func entityEscaped(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ') {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "&#x%x;", r)
	}
	return b.String()
}
