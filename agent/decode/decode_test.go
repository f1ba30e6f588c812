package decode

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/andybalholm/brotli"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// walk collects every value of req.
func walk(t testing.TB, d *Decoder, req *event.Request) ([]event.Value, *Error) {
	t.Helper()
	var vals []event.Value
	err := d.Walk(req, func(v event.Value) bool {
		vals = append(vals, v)
		return true
	})
	var de *Error
	if err != nil && !errors.As(err, &de) {
		t.Fatalf("Walk error of type %T: %v", err, err)
	}
	return vals, de
}

// find returns the first value at loc with text, or reports it missing.
func find(t testing.TB, vals []event.Value, loc, text string) event.Value {
	t.Helper()
	for _, v := range vals {
		if v.Location == loc && v.Text == text {
			return v
		}
	}
	t.Errorf("no value %q at %q; have:\n%s", text, loc, dump(vals))
	return event.Value{}
}

func dump(vals []event.Value) string {
	var b strings.Builder
	for _, v := range vals {
		fmt.Fprintf(&b, "  %s key=%q %q decoded=%v isKey=%v part=%s record=%d\n", v.Location, v.Key, v.Text, v.Decoded, v.IsKey, v.Part, v.Record)
	}
	return b.String()
}

func hasIssue(e *Error, k IssueKind) bool {
	if e == nil {
		return false
	}
	for _, is := range e.Issues {
		if is.Kind == k {
			return true
		}
	}
	return false
}

func TestWalkQuery(t *testing.T) {
	tests := []struct {
		raw, loc, text string
		decoded        []string
	}{
		{"id=42", "query.id", "42", nil},
		{"q=a+b", "query.q", "a b", []string{"url"}},
		{"q=%27%20OR%201%3D1", "query.q", "' OR 1=1", []string{"url"}},
		{"q=%2527", "query.q", "'", []string{"url", "url"}},
		{"q=%252527", "query.q", "'", []string{"url", "url", "url"}},
		{"q=%u0027x", "query.q", "'x", []string{"url-unicode"}},
		{"q=%25u003cscript", "query.q", "<script", []string{"url", "url-unicode"}},
		{"a%5B%24ne%5D=1", "query.a[$ne]", "a[$ne]", []string{"url"}},
		{"q=%26lt%3Bscript%26gt%3B", "query.q", "<script>", []string{"url", "html"}},
		{"t=PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg%3D%3D", "query.t", "<script>alert(1)</script>", []string{"url", "base64"}},
		{"bad=%zz%", "query.bad", "%zz%", nil},
	}
	d := New(Limits{})
	for _, tt := range tests {
		vals, _ := walk(t, d, &event.Request{Trigger: event.APIGatewayHTTP, RawQuery: tt.raw})
		v := find(t, vals, tt.loc, tt.text)
		if v.Part != event.PartQuery || v.Record != -1 {
			t.Errorf("%s: part %s record %d", tt.raw, v.Part, v.Record)
		}
		if !slices.Equal(v.Decoded, tt.decoded) {
			t.Errorf("%s: decoded %v, want %v", tt.raw, v.Decoded, tt.decoded)
		}
	}
	// names are yielded as keys
	vals, de := walk(t, d, &event.Request{Trigger: event.APIGatewayHTTP, RawQuery: "user[$ne]=x&bad=%zz"})
	if k := find(t, vals, "query.user[$ne]", "user[$ne]"); !k.IsKey {
		t.Error("parameter name not yielded as a key")
	}
	if !hasIssue(de, BadURLEncoding) {
		t.Errorf("invalid escape not reported: %v", de)
	}
	// platform-decoded query maps (REST v1) are judged, and decoded further
	vals, _ = walk(t, d, &event.Request{Trigger: event.APIGatewayREST, Query: map[string][]string{"q": {"%27", "b"}}})
	find(t, vals, "query.q", "%27")
	if v := find(t, vals, "query.q", "'"); !slices.Equal(v.Decoded, []string{"url"}) {
		t.Errorf("decoded %v", v.Decoded)
	}
	find(t, vals, "query.q", "b")
}

func TestWalkPathHeadersCookies(t *testing.T) {
	req := &event.Request{
		Trigger: event.APIGatewayREST,
		Path:    "/files/..%2F..%2Fetc%2Fpasswd/view",
		Headers: map[string][]string{
			"user-agent": {"sqlmap/1.7"},
			"x-custom":   {"a", "b"},
			"cookie":     {"sid=1; pref=%3Cscript%3E"},
		},
		Cookies: map[string][]string{"sid": {"1"}, "pref": {"%3Cscript%3E"}},
	}
	vals, _ := walk(t, New(Limits{}), req)
	if v := find(t, vals, "path", "/files/../../etc/passwd/view"); v.Part != event.PartPath || !slices.Equal(v.Decoded, []string{"url"}) {
		t.Errorf("path value %+v", v)
	}
	find(t, vals, "path[1]", "../../etc/passwd")
	if v := find(t, vals, "header.user-agent", "sqlmap/1.7"); v.Key != "user-agent" || v.Part != event.PartHeader {
		t.Errorf("header value %+v", v)
	}
	find(t, vals, "header.x-custom", "a")
	find(t, vals, "header.x-custom", "b")
	for _, v := range vals {
		if v.Location == "header.cookie" {
			t.Error("cookie header yielded whole although cookies are split")
		}
	}
	if v := find(t, vals, "cookie.pref", "<script>"); v.Part != event.PartCookie || !slices.Equal(v.Decoded, []string{"url"}) {
		t.Errorf("cookie value %+v", v)
	}
	find(t, vals, "cookie.pref", "%3Cscript%3E")
}

func jsonReq(body string) *event.Request {
	return &event.Request{Trigger: event.APIGatewayHTTP, ContentType: "application/json", Body: []byte(body)}
}

func TestWalkJSON(t *testing.T) {
	body := `{"user":{"name":"bob","tags":["a",{"x":"y"}],"n":5,"ok":true,"nil":null},
	"$where":"1==1","pass":{"$ne":""},"esc":"\u0027 OR 1=1","nested":"{\"inner\":\"<b>\"}",
	"items":[[1,"deep"]]}`
	vals, de := walk(t, New(Limits{}), jsonReq(body))
	if de != nil {
		t.Fatalf("issues: %v", de)
	}
	if v := find(t, vals, "body.user.name", "bob"); v.Key != "name" || v.IsKey || v.Part != event.PartBody || v.Decoded != nil {
		t.Errorf("leaf %+v", v)
	}
	if v := find(t, vals, "body.user.name", "name"); !v.IsKey {
		t.Error("key not yielded as key")
	}
	find(t, vals, "body.user.tags[0]", "a")
	if v := find(t, vals, "body.user.tags[1].x", "y"); v.Key != "x" {
		t.Errorf("key %q", v.Key)
	}
	if v := find(t, vals, "body.user.tags[0]", "a"); v.Key != "tags" {
		t.Errorf("array element key %q, want the array's name", v.Key)
	}
	find(t, vals, "body.$where", "$where")
	find(t, vals, "body.pass.$ne", "$ne")
	if v := find(t, vals, "body.esc", "' OR 1=1"); !slices.Equal(v.Decoded, []string{"json-escape"}) {
		t.Errorf("escape decoded %v", v.Decoded)
	}
	find(t, vals, "body.nested", `{"inner":"<b>"}`)
	if v := find(t, vals, "body.nested.inner", "<b>"); !slices.Equal(v.Decoded, []string{"json"}) {
		t.Errorf("json in json decoded %v", v.Decoded)
	}
	find(t, vals, "body.items[0][1]", "deep")
	for _, v := range vals {
		if v.Text == "5" || v.Text == "true" || v.Text == "null" {
			t.Errorf("non-string scalar yielded: %+v", v)
		}
	}
}

func TestWalkJSONLimits(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 100) + `"x"` + strings.Repeat("}", 100)
	vals, de := walk(t, New(Limits{MaxDepth: 10}), jsonReq(deep))
	if !hasIssue(de, DepthLimit) {
		t.Errorf("depth limit not reported: %v", de)
	}
	if len(vals) > 20 {
		t.Errorf("%d values past the depth limit", len(vals))
	}

	many := "[" + strings.Repeat(`"v",`, 999) + `"v"]`
	vals, de = walk(t, New(Limits{MaxValues: 100}), jsonReq(many))
	if len(vals) != 100 || !hasIssue(de, ValueLimit) || !de.Stopped {
		t.Errorf("%d values, issues %v", len(vals), de)
	}

	big := `{"a":"` + strings.Repeat("x", 5000) + `","b":"` + strings.Repeat("y", 5000) + `"}`
	vals, de = walk(t, New(Limits{MaxBytes: 6000}), jsonReq(big))
	if !hasIssue(de, ByteLimit) || !de.Stopped {
		t.Errorf("byte limit not reported: %v", de)
	}
	total := 0
	for _, v := range vals {
		total += len(v.Text)
	}
	if total > 6000 {
		t.Errorf("%d bytes yielded over a 6000 limit", total)
	}

	// JSON inside JSON strings is bounded by MaxLayers
	s := `"x"`
	for range 10 {
		s = strings.ReplaceAll(strings.ReplaceAll(`{"k":S}`, "S", fmt.Sprintf("%q", s)), "", "")
	}
	vals, _ = walk(t, New(Limits{MaxLayers: 3}), jsonReq(s))
	for _, v := range vals {
		if len(v.Decoded) > 3 {
			t.Errorf("%d layers decoded past MaxLayers 3: %v", len(v.Decoded), v.Decoded)
		}
	}
}

func TestWalkVisitorStops(t *testing.T) {
	n := 0
	err := New(Limits{}).Walk(jsonReq(`["a","b","c","d"]`), func(event.Value) bool {
		n++
		return n < 2
	})
	if err != nil || n != 2 {
		t.Errorf("visited %d, err %v", n, err)
	}
}

func TestWalkMalformedJSON(t *testing.T) {
	for _, body := range []string{`{"a":"b"`, `{"a":"b",}`, `{"a":"\x"}`, `{"a":tru}`, `{"a" "b"}`, `[1,2`} {
		vals, de := walk(t, New(Limits{}), jsonReq(body))
		if !hasIssue(de, MalformedJSON) {
			t.Errorf("%s: not reported: %v", body, de)
		}
		find(t, vals, "body", body) // judged whole, as text
	}
}

func TestWalkContentTypeLies(t *testing.T) {
	// JSON sent as text/plain is walked as JSON
	vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: "text/plain", Body: []byte(`{"q":"<svg onload=1>"}`)})
	find(t, vals, "body.q", "<svg onload=1>")
	// truncated JSON sent as text/plain: the leaves read, and the whole text
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "text/plain", Body: []byte(`{"q":"<svg onload=1>", "r`)})
	find(t, vals, "body.q", "<svg onload=1>")
	find(t, vals, "body", `{"q":"<svg onload=1>", "r`)
	// an HTML fragment as text/plain is judged whole as well as parsed
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "text/plain", Body: []byte(`<script>alert(1)</script>`)})
	find(t, vals, "body", `<script>alert(1)</script>`)
	// a form sent as JSON
	vals, de := walk(t, New(Limits{}), jsonReq(`a=1&b=%3Cx%3E`))
	if !hasIssue(de, MalformedJSON) {
		t.Errorf("mismatch not reported: %v", de)
	}
	find(t, vals, "body.b", "<x>")
	// no content type at all
	vals, _ = walk(t, New(Limits{}), &event.Request{Body: []byte(`<a href="x">t</a>`)})
	find(t, vals, "body.a@href", "x")
	find(t, vals, "body.a", "t")
}

// TestBodiesWithoutAFormTypeAreReadAsForms: a body with no form content
// type that is a form, blanks in its values or not, or that decodes to
// one (percent-encoded whole, base64), is also read field by field.
func TestBodiesWithoutAFormTypeAreReadAsForms(t *testing.T) {
	tests := []struct {
		body, loc, want string
	}{
		{"pay=AND+1%3D1", "body.pay", "AND 1=1"},
		{"q=1 OR 1=1&x=2", "body.q", "1 OR 1=1"},
		{"pay%3D%3Bdrop", "body.pay", ";drop"},
		{"cGF5PSUzQmRyb3A=", "body.pay", ";drop"}, // base64 of pay=%3Bdrop
	}
	for _, tt := range tests {
		vals, _ := walk(t, New(Limits{}), &event.Request{Body: []byte(tt.body)})
		find(t, vals, tt.loc, tt.want)
	}
	// prose with an '=' is no form
	vals, _ := walk(t, New(Limits{}), &event.Request{Body: []byte("Dear team, 2+2=4 and the rest")})
	for _, v := range vals {
		if strings.HasPrefix(v.Location, "body.") {
			t.Errorf("prose read as a form: %s %q", v.Location, v.Text)
		}
	}
}

// TestValuesSayWhetherTheirNameWasJudged: a value under a name the walk
// yielded as a name of its own (a JSON key, a form field, a cookie) says
// so, and so do its readings, so that the name is not judged again beside
// each; a value whose name was never yielded (an XML element's) does not.
func TestValuesSayWhetherTheirNameWasJudged(t *testing.T) {
	tests := []struct {
		req  *event.Request
		loc  string
		want bool
	}{
		{jsonReq(`{"q":"%3Cb%3E"}`), "body.q", true},
		{&event.Request{ContentType: "application/x-www-form-urlencoded", Body: []byte("q=a")}, "body.q", true},
		{&event.Request{Cookies: map[string][]string{"q": {"a"}}}, "cookie.q", true},
		{&event.Request{ContentType: "application/xml", Body: []byte("<r><q>a</q></r>")}, "body.r.q", false},
	}
	for _, tt := range tests {
		vals, _ := walk(t, New(Limits{}), tt.req)
		n := 0
		for _, v := range vals {
			if v.Location == tt.loc && !v.IsKey {
				n++
				if v.KeyJudged != tt.want {
					t.Errorf("%s %q: KeyJudged %v, want %v", v.Location, v.Text, v.KeyJudged, tt.want)
				}
			}
		}
		if n == 0 {
			t.Errorf("no value at %s:\n%s", tt.loc, dump(vals))
		}
	}
}

func TestWalkForm(t *testing.T) {
	req := &event.Request{ContentType: "application/x-www-form-urlencoded; charset=UTF-8", Body: []byte("user=admin&pass=%27+or+%271%27%3D%271&empty=&flag")}
	vals, _ := walk(t, New(Limits{}), req)
	find(t, vals, "body.user", "admin")
	if v := find(t, vals, "body.pass", "' or '1'='1"); !slices.Equal(v.Decoded, []string{"url"}) {
		t.Errorf("decoded %v", v.Decoded)
	}
	find(t, vals, "body.flag", "flag")
}

func TestWalkMultipart(t *testing.T) {
	body := "--XyZ\r\n" +
		"Content-Disposition: form-data; name=\"comment\"\r\n\r\n" +
		"<script>alert(1)</script>\r\n" +
		"--XyZ\r\n" +
		"Content-Disposition: form-data; name=\"upload\"; filename=\"../../shell.php\"\r\n" +
		"Content-Type: application/x-php\r\n\r\n" +
		"<?php system($_GET['c']); ?>\r\n" +
		"--XyZ\r\n" +
		"Content-Disposition: form-data; name=\"meta\"\r\n" +
		"Content-Type: application/json\r\n\r\n" +
		"{\"tag\":\"x' OR '1\"}\r\n" +
		"--XyZ--\r\n"
	req := &event.Request{ContentType: `multipart/form-data; boundary=XyZ`, Body: []byte(body)}
	vals, de := walk(t, New(Limits{}), req)
	if de != nil {
		t.Errorf("issues: %v", de)
	}
	find(t, vals, "body.comment", "<script>alert(1)</script>")
	if v := find(t, vals, "body.upload", "upload"); !v.IsKey {
		t.Error("field name not a key")
	}
	find(t, vals, "body.upload.filename", "../../shell.php")
	find(t, vals, "body.upload.content-type", "application/x-php")
	find(t, vals, "body.upload", "<?php system($_GET['c']); ?>")
	find(t, vals, "body.meta.tag", "x' OR '1")

	// truncated: what was read is judged, and the truncation reported
	vals, de = walk(t, New(Limits{}), &event.Request{ContentType: `multipart/form-data; boundary=XyZ`, Body: []byte(body[:120])})
	if !hasIssue(de, MalformedMultipart) {
		t.Errorf("truncation not reported: %v", de)
	}
	find(t, vals, "body.comment", "comment")
	// missing boundary: judged whole
	vals, de = walk(t, New(Limits{}), &event.Request{ContentType: `multipart/form-data`, Body: []byte(body)})
	if !hasIssue(de, MalformedMultipart) {
		t.Errorf("missing boundary not reported: %v", de)
	}
	find(t, vals, "body", body)
}

func TestWalkXML(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><login user="admin' --"><pass>&xxe;</pass><note>&lt;b&gt;</note></login></soap:Body>
</soap:Envelope>`
	vals, de := walk(t, New(Limits{}), &event.Request{ContentType: "text/xml; charset=utf-8", Body: []byte(body)})
	if de != nil {
		t.Errorf("issues: %v", de)
	}
	find(t, vals, "body.#pi", `<?xml version="1.0" encoding="UTF-8"?>`)
	find(t, vals, "body.#doctype", `<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>`)
	find(t, vals, "body.Envelope.Body.login@user", "admin' --")
	find(t, vals, "body.Envelope.Body.login.pass", "&xxe;")
	find(t, vals, "body.Envelope.Body.login.note", "<b>")

	vals, de = walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte(`<a><b>text</b><c`)})
	if !hasIssue(de, MalformedXML) {
		t.Errorf("truncated XML not reported: %v", de)
	}
	find(t, vals, "body.a.b", "text")

	// what the decoder cannot parse, lenient parsers read: the rest of
	// the document is judged as text, under the element it stands in
	vals, de = walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte("<r><q>../../etc/passwd\x00</q><p>1</p></r>")})
	if !hasIssue(de, MalformedXML) {
		t.Errorf("NUL in XML text not reported: %v", de)
	}
	find(t, vals, "body.r.q", "../../etc/passwd\x00</q><p>1</p></r>")
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte("\x00<q>x</q>")})
	find(t, vals, "body", "\x00<q>x</q>")
	// a section refused for a control byte in it: its text is the
	// element's, its delimiters the document's own
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte("<r><q><![CDATA[beep\a [x]]]></q><p>1</p></r>")})
	find(t, vals, "body.r.q", "beep\a [x]")
	find(t, vals, "body.r.q", "</q><p>1</p></r>")

	deep := strings.Repeat("<a>", 200) + "x" + strings.Repeat("</a>", 200)
	_, de = walk(t, New(Limits{MaxDepth: 16}), &event.Request{ContentType: "application/xml", Body: []byte(deep)})
	if !hasIssue(de, DepthLimit) {
		t.Errorf("XML depth not limited: %v", de)
	}
}

func TestWalkGraphQL(t *testing.T) {
	body := `{"query":"query($id: ID!) { user(id: $id) { name } }","variables":{"id":"1 UNION SELECT"}}`
	vals, _ := walk(t, New(Limits{}), jsonReq(body))
	find(t, vals, "body.query", "query($id: ID!) { user(id: $id) { name } }")
	find(t, vals, "body.variables.id", "1 UNION SELECT")
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/graphql", Body: []byte(`{ __schema { types { name } } }`)})
	find(t, vals, "body.query", `{ __schema { types { name } } }`)
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestWalkCompressed(t *testing.T) {
	body := gz(t, []byte(`{"q":"<script>"}`))
	vals, de := walk(t, New(Limits{}), &event.Request{ContentType: "application/json", ContentEncoding: "gzip", Body: body})
	if de != nil {
		t.Errorf("issues: %v", de)
	}
	if v := find(t, vals, "body.q", "<script>"); !slices.Equal(v.Decoded, []string{"gzip"}) {
		t.Errorf("decoded %v", v.Decoded)
	}
	// sniffed without a content-encoding header
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/json", Body: body})
	find(t, vals, "body.q", "<script>")

	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	zw.Write([]byte("a=%3Cb%3E"))
	zw.Close()
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/x-www-form-urlencoded", ContentEncoding: "deflate", Body: zb.Bytes()})
	if v := find(t, vals, "body.a", "<b>"); !slices.Equal(v.Decoded, []string{"deflate", "url"}) {
		t.Errorf("decoded %v", v.Decoded)
	}

	// a bomb: 64 MB of zeros compresses to ~64 KB
	bomb := gz(t, make([]byte, 64<<20))
	var got int
	err := New(Limits{MaxDecompressed: 1 << 20, MaxValueBytes: 2 << 20}).Walk(&event.Request{ContentType: "text/plain", ContentEncoding: "gzip", Body: bomb}, func(v event.Value) bool {
		got += len(v.Text)
		return true
	})
	var de2 *Error
	if !errors.As(err, &de2) || !hasIssue(de2, DecompressionBomb) {
		t.Errorf("bomb not reported: %v", err)
	}
	if got > 1<<20 {
		t.Errorf("%d bytes yielded past a 1 MB decompression cap", got)
	}

	// many small bombs in one multipart body add up to one big one
	small := gz(t, make([]byte, 600<<10))
	var mp bytes.Buffer
	for i := range 20 {
		fmt.Fprintf(&mp, "--B\r\nContent-Disposition: form-data; name=\"f%d\"\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n", i)
		mp.Write(small)
		mp.WriteString("\r\n")
	}
	mp.WriteString("--B--\r\n")
	_, de = walk(t, New(Limits{MaxDecompressed: 1 << 20}), &event.Request{ContentType: "multipart/form-data; boundary=B", Body: mp.Bytes()})
	if !hasIssue(de, DecompressionBomb) {
		t.Errorf("cumulative decompression not bounded: %v", de)
	}

	// truncated gzip: the readable prefix is judged, the truncation reported
	full := gz(t, []byte(strings.Repeat("hello world ", 1000)))
	_, de = walk(t, New(Limits{}), &event.Request{ContentEncoding: "gzip", Body: full[:len(full)/2]})
	if !hasIssue(de, MalformedCompression) {
		t.Errorf("truncated gzip not reported: %v", de)
	}
	// not gzip at all despite the header
	vals, de = walk(t, New(Limits{}), &event.Request{ContentEncoding: "gzip", Body: []byte("plain")})
	if !hasIssue(de, MalformedCompression) {
		t.Errorf("bad gzip not reported: %v", de)
	}
	find(t, vals, "body", "plain")
	// base64 of gzip in a value, as CloudWatch Logs delivers its events
	var logs bytes.Buffer
	lw := gzip.NewWriter(&logs)
	lw.Write([]byte(`{"logEvents":[{"message":"1' OR '1'='1"}]}`))
	lw.Close()
	b64 := base64.StdEncoding.EncodeToString(logs.Bytes())
	vals, de = walk(t, New(Limits{}), &event.Request{ContentType: "application/json", Body: []byte(`{"awslogs":{"data":"` + b64 + `"}}`)})
	if de != nil {
		t.Errorf("base64 of gzip: %v", de)
	}
	if v := find(t, vals, "body.awslogs.data.logEvents[0].message", "1' OR '1'='1"); !slices.Contains(v.Decoded, EncGzip) {
		t.Errorf("gzip reading not recorded: %v", v.Decoded)
	}
	// Brotli, as Express's body-parser decodes it
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write([]byte(`{"q":"1' OR '1'='1"}`))
	bw.Close()
	vals, de = walk(t, New(Limits{}), &event.Request{ContentEncoding: "br", ContentType: "application/json", Body: br.Bytes()})
	if de != nil {
		t.Errorf("brotli body: %v", de)
	}
	if v := find(t, vals, "body.q", "1' OR '1'='1"); !slices.Contains(v.Decoded, EncBrotli) {
		t.Errorf("brotli reading not recorded: %v", v.Decoded)
	}
	_, de = walk(t, New(Limits{}), &event.Request{ContentEncoding: "br", Body: []byte("xx")})
	if !hasIssue(de, MalformedCompression) {
		t.Errorf("bad brotli not reported: %v", de)
	}
	// a coding not decoded here is a bound reached, and its bytes are
	// judged as sent
	vals, de = walk(t, New(Limits{}), &event.Request{ContentEncoding: "zstd", Body: []byte("(\xb5/\xfd raw")})
	if !hasIssue(de, UnsupportedCoding) || !UnsupportedCoding.IsLimit() {
		t.Errorf("zstd not reported as a limit: %v", de)
	}
	find(t, vals, "body", "(\xb5/\xfd raw")
}

func TestWalkSpeculative(t *testing.T) {
	tests := []struct {
		in, want string
		decoded  []string
	}{
		{"Y2F0IC9ldGMvcGFzc3dk", "cat /etc/passwd", []string{"base64"}},
		{"Y2F0IC9ldGMvcGFzc3dk", "Y2F0IC9ldGMvcGFzc3dk", nil}, // both are yielded
		{"PHN2Zy9vbmxvYWQ9YWxlcnQoMSk-", "<svg/onload=alert(1)>", []string{"base64"}},
		{"&#x3C;script&#x3E;", "<script>", []string{"html"}},
		{"%3Cimg%3E", "<img>", []string{"url"}},
		{"SGVsbG8=", "Hello", []string{"base64"}}, // eight characters are enough for <svg>
		{`{"$gt":""}`, "$gt", []string{"json"}},   // located at header.x-data.$gt
		{`c\u006fnsole.info(1)`, "console.info(1)", []string{"js-escape"}},
		{`\x3csvg onload=alert(1)\x3e`, "<svg onload=alert(1)>", []string{"js-escape"}},
		{`\x25\x33\x43img\x25\x33\x45`, "<img>", []string{"js-escape", "url"}},
		{`\nid\n`, "\nid\n", []string{"js-escape"}}, // an escape at the very end too
	}
	for _, tt := range tests {
		vals, _ := walk(t, New(Limits{}), &event.Request{Headers: map[string][]string{"x-data": {tt.in}}})
		loc := "header.x-data"
		if tt.want == "$gt" {
			loc += ".$gt"
		}
		if v := find(t, vals, loc, tt.want); !slices.Equal(v.Decoded, tt.decoded) {
			t.Errorf("%s: decoded %v, want %v", tt.in, v.Decoded, tt.decoded)
		}
	}
	// things that must not be decoded
	for _, s := range []string{"abcdefghijklmnop", "0123456789abcdef0123", "SGVsbA", "AAEqQQ==AAEqQQ==", `C:\\x41 and \xZZ and \u0141`} {
		vals, _ := walk(t, New(Limits{}), &event.Request{Headers: map[string][]string{"x": {s}}})
		if len(vals) != 1 {
			t.Errorf("%s decoded speculatively:\n%s", s, dump(vals))
		}
	}
}

func TestFormEncodedTextIsReadWithPlusAsBlank(t *testing.T) {
	tests := []struct {
		in   string
		want []string // every reading, the value itself first
	}{
		// a form encoder's text in a JSON field: '+' is a blank, and the
		// reading that keeps it ("The+/etc/group+file") is not made
		{"The+%2Fetc%2Fgroup+file+is+a+text+file", []string{"The+%2Fetc%2Fgroup+file+is+a+text+file", "The /etc/group file is a text file"}},
		{"ORDER+BY+1--", []string{"ORDER+BY+1--", "ORDER BY 1--"}},
		// a literal '+' travels as %2B, which the reading keeps (and,
		// between signs, an operator, not read as a blank again)
		{"1%27%2B(select+1)%2B%27", []string{"1%27%2B(select+1)%2B%27", "1'+(select 1)+'"}},
		{"'+(x)+'+(y)+'", []string{"'+(x)+'+(y)+'"}},
		// no '+': the escapes alone are decoded
		{"%3Cimg%3E", []string{"%3Cimg%3E", "<img>"}},
		// "%20" for blanks: a '+' beside it is itself (a path encoder's)
		{"fun%20+%20games", []string{"fun%20+%20games", "fun + games"}},
		// one '+' in a long token is base64's, not a blank
		{"cGhvdG8/ZXhpZj0xJmg+aW1hZ2UvanBlZw==", []string{"cGhvdG8/ZXhpZj0xJmg+aW1hZ2UvanBlZw==", "photo?exif=1&h>image/jpeg"}},
	}
	for _, tt := range tests {
		vals, _ := walk(t, New(Limits{}), jsonReq(`{"v":"`+tt.in+`"}`))
		var got []string
		for _, v := range vals {
			if v.Location == "body.v" && !v.IsKey {
				got = append(got, v.Text)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: readings %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWalkRecords(t *testing.T) {
	req := &event.Request{Trigger: event.SQS, Records: []event.Record{
		{Index: 0, Body: []byte(`{"sku":"A"}`)},
		{Index: 1, Body: []byte(`{"sku":"' OR 1=1"}`), Attributes: map[string]string{"messageAttributes.tenant": "acme"}},
		{Index: 2, Body: []byte(`plain <b>text</b>`)},
	}}
	vals, _ := walk(t, New(Limits{}), req)
	if v := find(t, vals, "records[1].body.sku", "' OR 1=1"); v.Record != 1 || v.Part != event.PartRecord {
		t.Errorf("record value %+v", v)
	}
	if v := find(t, vals, "records[1].messageAttributes.tenant", "acme"); v.Key != "tenant" {
		t.Errorf("attribute key %q", v.Key)
	}
	find(t, vals, "records[2].body", "plain <b>text</b>")
	for _, v := range vals {
		if v.Record < 0 {
			t.Errorf("record value without index: %+v", v)
		}
	}
}

func TestWalkConcurrent(t *testing.T) {
	d := New(Limits{})
	req := jsonReq(`{"a":{"b":["c","d"]},"e":"Zm9vYmFyYmF6cXV4"}`)
	want, _ := walk(t, d, req)
	done := make(chan []event.Value)
	for range 8 {
		go func() {
			var vals []event.Value
			for range 50 {
				vals = vals[:0]
				d.Walk(req, func(v event.Value) bool { vals = append(vals, v); return true })
			}
			done <- vals
		}()
	}
	for range 8 {
		got := <-done
		if len(got) != len(want) {
			t.Fatalf("concurrent walk: %d values, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Location != want[i].Location || got[i].Text != want[i].Text || !slices.Equal(got[i].Decoded, want[i].Decoded) {
				t.Fatalf("concurrent walk differs at %d: %+v vs %+v", i, got[i], want[i])
			}
		}
	}
}

func TestMediaTypeReadsParametersByTheGrammar(t *testing.T) {
	tests := []struct {
		in, media  string
		boundaries []string
	}{
		{"", "", nil},
		{"Application/JSON; charset=UTF-8", "application/json", nil},
		{`multipart/form-data; boundary="a b;c"`, "multipart/form-data", []string{"a b;c"}},
		{`multipart/form-data; charset=x; BOUNDARY=xyz; other=1`, "multipart/form-data", []string{"xyz"}},
		{`multipart/form-data; boundary="unterminated`, "multipart/form-data", []string{"unterminated"}},
		{"text/plain; boundary=ignored", "text/plain", nil},
		{"\xffbroken", "\ufffdbroken", nil}, // not a media type either way
		// a parameter whose name ends in boundary is not the boundary
		{"multipart/form-data; xboundary=AAA; boundary=BBB", "multipart/form-data", []string{"BBB"}},
		// duplicated: Go refuses it, other parsers take the first or the last
		{"multipart/form-data; boundary=AAA; boundary=BBB", "multipart/form-data", []string{"AAA", "BBB"}},
		// a quoted ';' does not end the value
		{`multipart/form-data; boundary="x;boundary=y"`, "multipart/form-data", []string{"x;boundary=y"}},
	}
	for _, tt := range tests {
		m, b := mediaType(tt.in)
		if m != tt.media || !slices.Equal(b, tt.boundaries) {
			t.Errorf("%q: %q %q, want %q %q", tt.in, m, b, tt.media, tt.boundaries)
		}
	}
}

func TestLocationBounded(t *testing.T) {
	long := strings.Repeat("k", 5000)
	body := `{"` + long + `":{"a":["x","y"]},"<x>":"` + long + `"}`
	vals, _ := walk(t, New(Limits{}), jsonReq(body))
	for _, v := range vals {
		if len(v.Location) > MaxLocation {
			t.Errorf("location of %d bytes", len(v.Location))
		}
	}
	if v := find(t, vals, "body."+long[:MaxLocation-8]+"...", "y"); v.Key != "a" {
		t.Errorf("key %q", v.Key)
	}
	find(t, vals, "body.<x>", long) // values themselves are never cut
	xml := "<" + long + "><b c='d'>t</b></" + long + ">"
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "application/xml", Body: []byte(xml)})
	for _, v := range vals {
		if len(v.Location) > MaxLocation {
			t.Errorf("xml location of %d bytes", len(v.Location))
		}
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		if bigEndian {
			out = append(out, 0xfe, 0xff)
		} else {
			out = append(out, 0xff, 0xfe)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestWalkUTF7Body holds bodies whose charset says UTF-7: the text a
// handler honouring it reads is judged (the body transcoded, or each
// value once parsed, as Django decodes form fields), and so are the
// bytes as sent.
func TestWalkUTF7Body(t *testing.T) {
	tests := []struct {
		ct, body string
		raw      string   // body.q as sent
		utf7     string   // body.q as a handler honouring the charset reads it, "" for none
		decoded  []string // the encodings removed to reach utf7
	}{
		{"application/json; charset=utf-7", `{"q":"+ADw-script+AD4-alert(1)+ADw-/script+AD4-"}`, "+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "<script>alert(1)</script>", []string{EncUTF7}},
		{`application/json; charset="UTF-7"`, `{"q":"1+ACc- OR 1+AD0-1 +- caf+AOk-"}`, "1+ACc- OR 1+AD0-1 +- caf+AOk-", "1' OR 1=1 + café", []string{EncUTF7}},
		// a form's '+' is a blank, so UTF-7 travels percent-encoded
		{"application/x-www-form-urlencoded; charset=utf-7", "q=1%2BACc-+OR+1%2BAD0-1", "1+ACc- OR 1+AD0-1", "1' OR 1=1", []string{EncURL, EncUTF7}},
		// a multipart part that names its own charset
		{"multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"q\"\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n+ADw-svg+AD4-\r\n--B--\r\n", "+ADw-svg+AD4-", "<svg>", []string{EncUTF7}},
		{"application/json", `{"q":"+ADw-script+AD4-"}`, "+ADw-script+AD4-", "", nil},
		{"application/x-www-form-urlencoded", "q=1%2BACc-+OR+1%2BAD0-1", "1+ACc- OR 1+AD0-1", "", nil},
	}
	for _, tt := range tests {
		vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: tt.ct, Body: []byte(tt.body)})
		find(t, vals, "body.q", tt.raw)
		for _, v := range vals {
			if slices.Contains(v.Decoded, EncUTF7) && !v.IsKey && (tt.utf7 == "" || v.Location == "body.q" && v.Text != tt.utf7) {
				t.Errorf("%s: %s read as %q", tt.ct, tt.body, v.Text)
			}
		}
		if tt.utf7 != "" {
			if v := find(t, vals, "body.q", tt.utf7); !slices.Equal(v.Decoded, tt.decoded) {
				t.Errorf("%s: decoded %v, want %v", tt.ct, v.Decoded, tt.decoded)
			}
		}
	}
}

func TestWalkUTF16(t *testing.T) {
	const doc = `{"q":"' OR 1=1 -- \u00e9😀"}`
	tests := []struct {
		name     string
		ct       string
		big, bom bool
	}{
		{"declared LE", "application/json; charset=utf-16le", false, false},
		{"declared BE", "application/json; charset=UTF-16BE", true, false},
		{"BOM LE", "application/json", false, true},
		{"BOM BE", "application/json", true, true},
		{"declared utf-16, sniffed order", `application/json; charset="utf-16"`, false, false},
		{"undeclared, sniffed", "text/plain", false, false},
	}
	for _, tt := range tests {
		vals, de := walk(t, New(Limits{}), &event.Request{ContentType: tt.ct, Body: utf16Bytes(doc, tt.big, tt.bom)})
		if de != nil {
			t.Errorf("%s: issues %v", tt.name, de)
		}
		v := find(t, vals, "body.q", "' OR 1=1 -- é😀")
		if !slices.Equal(v.Decoded, []string{"utf-16", "json-escape"}) {
			t.Errorf("%s: decoded %v", tt.name, v.Decoded)
		}
	}
	// plain ASCII and UTF-8 are never taken for UTF-16
	for _, s := range []string{"hello world, plain text", `{"a":"b"}`, "é😀 ünïcode"} {
		if _, ok := utf16Evident(s); ok {
			t.Errorf("%q taken for UTF-16", s)
		}
	}
	// odd length and lone surrogates do not break the transcoder
	if got := utf16ToUTF8("\x00\xd8a\x00b", false); got != "\ufffdab" && got != "\ufffda" {
		t.Errorf("lone surrogate: %q", got)
	}
}

func TestWalkJSONLines(t *testing.T) {
	body := "{\"a\":\"x\"}\n\n{\"a\":\"' OR 1=1\"}\r\nnot json\n"
	vals, de := walk(t, New(Limits{}), &event.Request{ContentType: "application/x-ndjson", Body: []byte(body)})
	find(t, vals, "body[0].a", "x")
	find(t, vals, "body[1].a", "' OR 1=1")
	find(t, vals, "body[2]", "not json")
	if !hasIssue(de, MalformedJSON) {
		t.Errorf("bad line not reported: %v", de)
	}
	// multipart subtypes other than form-data are walked too
	mp := "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n<svg>\r\n--b--\r\n"
	vals, _ = walk(t, New(Limits{}), &event.Request{ContentType: "multipart/related; boundary=b", Body: []byte(mp)})
	find(t, vals, "body.x", "<svg>")
}
