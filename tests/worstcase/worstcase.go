// Package worstcase holds the inputs that cost lambdawaf the most CPU per
// byte, found by searching (repeated tag openers, quote runs, separator
// runs, deep nesting, many tiny values, long single values, encodings
// nested in encodings), and measures them through the whole pipeline:
// firewall.InspectEvent, the call the agent makes for every invocation.
//
// The goals (issue 13): at most 150 ms for a 6 MB event and 50 ms for a
// 1 MiB value on 2 cores, by linear work, not by stopping early. The
// benchmarks print ms/MB; TestWorstCasesAreLinear checks the shape that
// makes the goals hold on any machine: doubling the input at most
// roughly doubles the time.
package worstcase

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"strings"
)

// Case is one hostile event.
type Case struct {
	Name string
	// Event builds the API Gateway HTTP API event of about n bytes.
	Event func(n int) []byte
}

// httpEvent returns an API Gateway v2 POST event with body and content type.
func httpEvent(contentType, body string, b64 bool) []byte {
	if b64 {
		body = base64.StdEncoding.EncodeToString([]byte(body))
	}
	ev := map[string]any{
		"version":        "2.0",
		"routeKey":       "$default",
		"rawPath":        "/api/v1/notes",
		"rawQueryString": "",
		"headers":        map[string]string{"host": "api.example.com", "content-type": contentType},
		"requestContext": map[string]any{
			"http":      map[string]any{"method": "POST", "path": "/api/v1/notes", "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9"},
			"requestId": "id", "routeKey": "$default", "stage": "$default",
		},
		"isBase64Encoded": b64,
		"body":            body,
	}
	return marshal(ev)
}

// marshal encodes v without escaping <, > and & (json.Marshal would make
// a run of "<a" three times its size).
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings and maps only: cannot fail
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func fill(unit string, n int) string { return strings.Repeat(unit, max(1, n/len(unit))) }

// valueUnits are the units whose runs make one long value; each is judged
// as a 1 MiB string inside a JSON body.
var valueUnits = []string{
	"<a", "<a>\n", "<", "<!--", "<?", "<svg ", "'", `"`, "''", "(", ")", "((", "${", "{{", "$(", "`",
	"%25", "%u0041", "&amp;", "&#", `\u0027`, `\x41`, "/*", "--", "#", "|", ";", "=", "&", ",",
	"../", "..\\", "%2e%2e/", "a", " ", "a ", "1 ", "0x41", "PHNj", "eyJh", "\\", "//", "::", "@", "[", "]",
	"or 1=1 ", "select ", "<script>", "javascript:", "onerror=", "${jndi:", "{{7*7}}", "$where", "\x00",
	// found by BenchmarkSearchSlowestValues: encodings that give every unit
	// several readings, each judged, with path and glob characters
	"&amp;%2e%2e/<?+", "<;&amp;%25", "= %u0041;<-|[",
	// found by the search on 2026-12-07: the first two were quadratic (a
	// walk to the end of the text from every Flight reference, a search
	// for the end of a comment after every unclosed "/*": 4 s and 1.2 s of
	// CPU for 256 KiB), the others combine the readings above
	"::$%u0041:", "/*'", ")<;&amp;%25a//= %u0041;<-|[(%", "&amp;%2e%2e/<?+= %u0041;<-|[>(((|[",
	// and a third quadratic one: PHP's callee reader skipped the same run
	// of comment lines (each "#" line ends where the next begins) from
	// every bracket before it (7 s of CPU for 512 KiB)
	"(((|[\n#)",
	// and a fourth, found reading the change: a SQL function's call
	// searched for the end of an unclosed comment after every "sleep("
	// (6 s of CPU for 256 KiB)
	"sleep(x/*",
	// OGNL read without delimiters: every '@' and "(#" starts a name
	// scan, which must stop where the name does
	"@java", "(#context", "@java.lang.x",
	// keyword readings that look at every occurrence of a word, not only
	// the first, each occurrence rejected (inside a word, without what
	// must follow): the test for each must cost a look around it
	"x$_getx", "$[", "<@", "$!{", "xinformation_schema", "*)(", "doc('", "xchild::",
	// mail commands: every DATA line looks ahead for the line that ends a
	// message, every line is read for an IMAP tag
	"\r\ndata", "\r\ndata\n.x", "\nV100 fetch 1",
	// a command chained on to one argument: every separator reads the
	// text before it back to the previous blank
	"1 &", "1 ;a", " |",
	// a script element mentioned in a sentence: each reads its body to the
	// end of the value, at most three of them
	"see <script> tag ",
	// PHP complex syntax: every "${@" reads the name after it
	"${@ x", "${@\\x_",
	// a sink assigned to a name that might be called later: a search for
	// the call after each assignment read the rest of the value
	// (quadratic until the assignments and calls were read in two passes)
	"x=alert;y(", "..2f",
	// JavaScript tautologies in a $where string: each "==" reads the
	// literals and the operator before it, in bounded windows
	"'1'=='1'||",
	// string literals joined by '+': a literal that does not close must
	// not be read to the end of its line from every quote after it; and
	// chains of literals, each rewritten once
	"\\'+(", "'a'+'b'+(",
	// the shapes a word list reads a text for before its words: dots
	// that never come before a letter, blanks before dashes and
	// slashes that come with no word
	".1", ". -/",
	// text a form encoder wrote: '+' between words is read as a blank, a
	// second reading of the whole value (one between signs is not)
	"ab+c+", "1'+OR+",
	// with escapes: one reading either way ('+' a blank, or beside a
	// "%20" itself), never both
	"%41+a+", "%20+;|&",
	// a script string's escapes ("\\n", "\\x3c"): one reading, shorter
	// than the value, and tag openers in it
	"\\nid\\t", "\\x3c<",
}

// ValueCases returns one case per unit: a JSON body with one long string.
func ValueCases() []Case {
	var cs []Case
	for _, u := range valueUnits {
		u := u
		cs = append(cs, Case{Name: "value " + strings.ToValidUTF8(u, "?"), Event: func(n int) []byte {
			return httpEvent("application/json", `{"note":`+string(marshal(fill(u, n)))+`}`, false)
		}})
	}
	return cs
}

// EventCases returns whole-event worst cases: structure, not one value.
func EventCases() []Case {
	return []Case{
		{"tag openers as text", func(n int) []byte { return httpEvent("text/plain", fill("<a", n), false) }},
		{"tag openers base64-encoded", func(n int) []byte { return httpEvent("text/plain", fill("<a", n*3/4), true) }},
		{"quote runs in form values", func(n int) []byte {
			return httpEvent("application/x-www-form-urlencoded", fill("q="+strings.Repeat("'", 64)+"&", n), false)
		}},
		{"escaped form values in an EBCDIC charset named by family", func(n int) []byte {
			// each value read as sent, URL-decoded, and in the code pages
			// IBM1047 may mean, whose national characters differ
			return httpEvent("application/x-www-form-urlencoded; charset=ibm1047", fill("q="+strings.Repeat("%7D%4F%5A%BA%BB%4A", 12)+"&", n), false)
		}},
		{"separator runs", func(n int) []byte {
			return httpEvent("application/x-www-form-urlencoded", fill("&&&&;;;;====", n), false)
		}},
		{"deep nesting", func(n int) []byte {
			d := n / 4
			return httpEvent("application/json", strings.Repeat(`{"a":[`, d/6)+strings.Repeat("]}", d/6), false)
		}},
		{"many tiny values", func(n int) []byte {
			return httpEvent("application/json", "["+strings.TrimSuffix(fill(`"a",`, n), ",")+"]", false)
		}},
		{"values of a thousand rare bytes", func(n int) []byte {
			// strings of the bytes word lists search by, under the length
			// from which a value is read once for all of a list's words:
			// each word is searched for on its own there
			v := string(marshal(fill("jqxz_kvbyw.()[]{}<>;|&$%@#!?*=+-/\\'`:eiaostnrlcdhmupfg ", 1000)))
			return httpEvent("application/json", "["+strings.TrimSuffix(strings.Repeat(v+",", max(1, n/(len(v)+1))), ",")+"]", false)
		}},
		{"many tiny form pairs", func(n int) []byte { return httpEvent("application/x-www-form-urlencoded", fill("a=1&", n), false) }},
		{"many keys", func(n int) []byte {
			var b strings.Builder
			b.WriteString("{")
			for i := 0; b.Len() < n; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString(`"k` + strings.Repeat("x", i%7) + `":"v"`)
			}
			b.WriteString("}")
			return httpEvent("application/json", b.String(), false)
		}},
		{"multipart parts", func(n int) []byte {
			part := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''..%2F..%2Fx\r\n\r\n<a<a<a\r\n"
			return httpEvent("multipart/form-data; boundary=B", fill(part, n)+"--B--\r\n", false)
		}},
		{"xml elements", func(n int) []byte {
			return httpEvent("application/xml", "<r>"+fill("<a x='1'>&lt;t&gt;</a>", n)+"</r>", false)
		}},
		{"nested encodings", func(n int) []byte {
			u := base64.StdEncoding.EncodeToString([]byte(base64.StdEncoding.EncodeToString([]byte("%253Cscript%253E"))))
			return httpEvent("application/json", `{"e":"`+fill(u+" ", n)+`"}`, false)
		}},
		{"random binary upload", func(n int) []byte {
			r := rand.New(rand.NewPCG(1, 2))
			b := make([]byte, n*3/4)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return httpEvent("application/octet-stream", string(b), true)
		}},
		{"every byte value, periodic", func(n int) []byte {
			b := make([]byte, n*3/4)
			for i := range b {
				b[i] = byte(i * 13)
			}
			return httpEvent("application/octet-stream", string(b), true)
		}},
		{"long quoted string in form", func(n int) []byte {
			return httpEvent("application/x-www-form-urlencoded", "q="+fill("%27%22", n), false)
		}},
		// a body that names UTF-7 is judged transcoded, as sent, and each
		// value with a UTF-7 reading of its own
		{"tag openers in UTF-7", func(n int) []byte {
			return httpEvent("application/json; charset=utf-7", `{"q":"`+fill("+ADw-a", n)+`"}`, false)
		}},
	}
}

// LogModeEventCases returns whole-event worst cases whose values the
// detectors find something in, so that in block mode the first value
// ends the walk: they are judged in log mode, where every value is read
// (a function whose firewall only logs).
func LogModeEventCases() []Case {
	return []Case{
		// the bytes of the values of a thousand rare bytes in every
		// order: each value holds every pair of them, so no search is
		// spared by the pairs a text lacks (lex.Pairs, lex.IndexIn);
		// such a value holds template delimiters, filters and
		// expansions, which block the event
		{"values holding every pair of the rare bytes, log mode", func(n int) []byte {
			v := string(marshal(deBruijnPairs("jqxz_kvbyw.()[]{}<>;|&$%@#!?*=+-/\\'`:eiaostnrlcdhmupfg ")))
			return httpEvent("application/json", "["+strings.TrimSuffix(strings.Repeat(v+",", max(1, n/(len(v)+1))), ",")+"]", false)
		}},
	}
}

// deBruijnPairs returns a text holding every ordered pair of the bytes of
// alphabet exactly once, (a, b) and (b, a) and (a, a) alike: a de Bruijn
// sequence of order 2, len(alphabet)² bytes and one more, that starts
// and ends with the alphabet's first byte.
func deBruijnPairs(alphabet string) string {
	k := len(alphabet)
	b := make([]byte, 0, k*k+1)
	// the Lyndon words of length 1 and 2 in order, joined (Fredricksen,
	// Kessler and Maiorana): a, ab, ac, ..., b, bc, ...
	for i := 0; i < k; i++ {
		b = append(b, alphabet[i])
		for j := i + 1; j < k; j++ {
			b = append(b, alphabet[i], alphabet[j])
		}
	}
	return string(append(b, alphabet[0]))
}
