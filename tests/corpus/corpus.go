// Package corpus holds lambdawaf's labeled attack corpus and its benign
// corpus of realistic API traffic, and turns compact request descriptions
// into API Gateway HTTP API (payload v2) events.
//
// Seeds live in text files, one per line (blank lines and lines starting
// with "##" are ignored):
//
//	attacks/<class>.txt           payloads of one detect.Class
//	benign/*.txt                  legitimate values and requests
//	heldout/<set>/attacks/<class>.txt   held-out sets (set1, set2): each written by
//	heldout/<set>/benign/*.txt          someone who had not seen the detectors
//
// A seed may write \n, \t, \r, \0 and \\ for a newline, tab, carriage
// return, NUL and backslash, so that multi-line payloads fit on one line.
//
// A plain line is a value; the generator places it in several locations
// (query parameter, JSON field, form field, cookie or header) with the
// encodings a client would use. A line with a prefix is placed verbatim:
//
//	json:{...}         the whole JSON body of a POST
//	query:a=1&b=2      the raw query string of a GET (already URL-encoded)
//	path:/a/b          the raw path of a GET
//	ua:Mozilla/5.0     the User-Agent of a GET
//	header:name: v     one extra request header of a GET
//	form:a=1&b=2       a urlencoded POST body
//	xml:<a/>           an application/xml POST body
package corpus

import (
	"bufio"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/lambdawaf/lambdawaf/tests/corpus/external"
)

//go:embed attacks/*.txt benign/*.txt heldout/*/attacks/*.txt heldout/*/benign/*.txt
var files embed.FS

// Request is one HTTP request in compact form.
type Request struct {
	Method  string
	URI     string // path and optional ?query, as sent on the wire
	Headers [][2]string
	Body    []byte
}

// Case is one labeled request of the corpus.
type Case struct {
	// Class is the attack class ("sqli", "xss", ...) or "" for benign.
	Class string
	// Name says where the case came from: file, line and placement.
	Name string
	Req  Request
}

// Attacks returns the attack corpus, every seed expanded to its placements.
func Attacks() ([]Case, error) { return load("attacks", true) }

// Benign returns the benign corpus.
func Benign() ([]Case, error) { return load("benign", false) }

// HeldOutSets names the held-out sets in the order they were written.
var HeldOutSets = []string{"set1", "set2", "set3", "set4"}

// HeldOutAttacks returns the attacks of a held-out set (heldout/<set>/attacks):
// payloads written independently of the detectors, so their detection rate
// estimates how the engine does on attacks nobody tuned it for.
func HeldOutAttacks(set string) ([]Case, error) { return load("heldout/"+set+"/attacks", true) }

// HeldOutBenign returns the benign values of a held-out set.
func HeldOutBenign(set string) ([]Case, error) { return load("heldout/"+set+"/benign", false) }

// load reads every seed file of dir; attack files name their class.
func load(dir string, attacks bool) ([]Case, error) {
	ents, err := files.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus %s: %w", dir, err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var out []Case
	for _, n := range names {
		f, err := files.Open(path.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("open corpus file %s: %w", n, err)
		}
		class := ""
		if attacks {
			class = strings.TrimSuffix(n, ".txt")
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		line := 0
		for sc.Scan() {
			line++
			t := sc.Text()
			if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "##") {
				continue
			}
			name := fmt.Sprintf("%s/%s:%d", dir, n, line)
			for _, r := range expand(class, external.Unescape(t)) {
				out = append(out, Case{Class: class, Name: name + " " + r.name, Req: r.req})
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("scan corpus file %s: %w", n, err)
		}
	}
	return out, nil
}

type placed struct {
	name string
	req  Request
}

var browserHeaders = [][2]string{
	{"host", "api.example.com"},
	{"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"},
	{"accept", "application/json, text/plain, */*"},
	{"accept-language", "en-GB,en;q=0.9"},
}

func hdrs(extra ...[2]string) [][2]string {
	h := append([][2]string(nil), browserHeaders...)
	for _, e := range extra {
		replaced := false
		for i := range h {
			if h[i][0] == e[0] {
				h[i][1] = e[1]
				replaced = true
			}
		}
		if !replaced {
			h = append(h, e)
		}
	}
	return h
}

// keysFor picks realistic parameter names for a class: the names under
// which such payloads reach a vulnerable sink.
func keysFor(class string) (query, field string) {
	switch class {
	case "path-traversal", "rfi", "path":
		return "file", "template"
	case "ssrf":
		return "url", "webhookUrl"
	case "cmdi":
		return "host", "target"
	case "ldapi":
		return "user", "username"
	case "ssti":
		return "name", "greeting"
	case "":
		return "q", "comment"
	}
	return "id", "search"
}

func expand(class, line string) []placed {
	for _, p := range [...]string{"json:", "query:", "path:", "ua:", "header:", "form:", "xml:"} {
		if !strings.HasPrefix(line, p) {
			continue
		}
		v := strings.TrimPrefix(line, p)
		switch p {
		case "json:":
			return []placed{{"json", Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/json"}), []byte(v)}}}
		case "query:":
			return []placed{{"query", Request{"GET", "/api/v1/items?" + v, hdrs(), nil}}}
		case "path:":
			return []placed{{"path", Request{"GET", v, hdrs(), nil}}}
		case "ua:":
			return []placed{{"user-agent", Request{"GET", "/api/v1/items", hdrs([2]string{"user-agent", v}), nil}}}
		case "header:":
			name, val, _ := strings.Cut(v, ":")
			return []placed{{"header", Request{"GET", "/api/v1/items", hdrs([2]string{strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(val)}), nil}}}
		case "form:":
			return []placed{{"form", Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/x-www-form-urlencoded"}), []byte(v)}}}
		case "xml:":
			return []placed{{"xml", Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/xml"}), []byte(v)}}}
		}
	}
	return placements(class, line)
}

// placements puts a plain value in every location a client would send it.
func placements(class, line string) []placed {
	qk, fk := keysFor(class)
	js, _ := json.Marshal(map[string]any{fk: line, "page": 1})
	out := []placed{
		{"query", Request{"GET", "/api/v1/items?" + qk + "=" + url.QueryEscape(line) + "&page=1", hdrs(), nil}},
		{"json", jsonRequest(js)},
		{"form", Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/x-www-form-urlencoded"}), []byte(fk + "=" + url.QueryEscape(line) + "&submit=Save")}},
	}
	if class != "" {
		// Evasion: double URL encoding in the query, and the same payload
		// base64-encoded inside a JSON field.
		out = append(out,
			placed{"query-double-encoded", Request{"GET", "/api/v1/items?" + qk + "=" + url.QueryEscape(url.QueryEscape(line)), hdrs(), nil}},
		)
	}
	if !strings.ContainsAny(line, "\r\n;\x00") && len(line) < 512 {
		out = append(out, placed{"cookie", Request{"GET", "/api/v1/items", hdrs([2]string{"cookie", "theme=dark; pref=" + cookieEscape(line)}), nil}})
		if class == "" || class == "xss" || class == "sqli" || class == "jndi" || class == "cmdi" {
			out = append(out, placed{"referer", Request{"GET", "/api/v1/items", hdrs([2]string{"x-forwarded-host", line}), nil}})
		}
	}
	return out
}

// APIGatewayV2 renders r as an API Gateway HTTP API (payload v2) event, the
// way API Gateway delivers it: lower-cased headers joined by commas,
// cookies split out, query parameters decoded once, the body base64-encoded.
func APIGatewayV2(r Request) []byte {
	p, rawQuery, _ := strings.Cut(r.URI, "?")
	headers := map[string]string{}
	var cookies []string
	for _, h := range r.Headers {
		name := strings.ToLower(h[0])
		if name == "cookie" {
			for _, c := range strings.Split(h[1], ";") {
				if c = strings.TrimSpace(c); c != "" {
					cookies = append(cookies, c)
				}
			}
			continue
		}
		if old, ok := headers[name]; ok {
			headers[name] = old + "," + h[1]
		} else {
			headers[name] = h[1]
		}
	}
	qs := map[string]string{}
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		if old, ok := qs[k]; ok {
			qs[k] = old + "," + v
		} else {
			qs[k] = v
		}
	}
	method := r.Method
	if method == "" {
		method = "GET"
	}
	ev := map[string]any{
		"version":        "2.0",
		"routeKey":       "$default",
		"rawPath":        p,
		"rawQueryString": rawQuery,
		"headers":        headers,
		"requestContext": map[string]any{
			"accountId":    "123456789012",
			"apiId":        "api1234567",
			"domainName":   "api1234567.execute-api.eu-west-1.amazonaws.com",
			"domainPrefix": "api1234567",
			"http": map[string]any{
				"method":    method,
				"path":      p,
				"protocol":  "HTTP/1.1",
				"sourceIp":  "203.0.113.10",
				"userAgent": headers["user-agent"],
			},
			"requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			"routeKey":  "$default",
			"stage":     "$default",
			"time":      "12/Mar/2024:19:03:58 +0000",
			"timeEpoch": 1710270238000,
		},
		"isBase64Encoded": false,
	}
	if len(cookies) > 0 {
		ev["cookies"] = cookies
	}
	if len(qs) > 0 {
		ev["queryStringParameters"] = qs
	}
	if len(r.Body) > 0 {
		ev["body"] = base64.StdEncoding.EncodeToString(r.Body)
		ev["isBase64Encoded"] = true
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(fmt.Sprintf("corpus: marshal event: %v", err)) // maps of strings always marshal
	}
	return b
}
