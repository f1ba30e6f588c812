package redteam

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/andybalholm/brotli"
)

// attack is one entry of testdata/attacks.json, shared with the handler:
// payload is what is sent, core the part whose arrival in the handler's
// parsed view makes a bypass.
type attack struct {
	ID      string `json:"id"`
	Payload string `json:"payload"`
	Core    string `json:"core"`
}

func loadAttacks(t testing.TB) []attack {
	b, err := os.ReadFile(filepath.Join("testdata", "attacks.json"))
	if err != nil {
		t.Fatal(err)
	}
	var as []attack
	if err := json.Unmarshal(b, &as); err != nil {
		t.Fatal(err)
	}
	return as
}

// Expectations of a case.
const (
	expectBlock = "block" // the attack must not reach the handler
	expectPass  = "pass"  // a benign event must reach the handler, unblocked
)

// redCase is one attack (or benign control) sent to the function.
type redCase struct {
	Class  string // forged-field, trigger, differential, limit, log-leak, cpu, blocking
	Name   string
	Event  []byte
	Attack string // attack id, "" for benign
	Expect string
	// Contract, for blocked cases, is how the block must look: "http"
	// (a 403 response object), "batch" (batchItemFailures naming
	// FailureID), "error" (a LambdaWAF.* function error), "drop" (the
	// record removed), "" (any block).
	Contract  string
	FailureID string
	// Canaries must not appear in the decision record (log-leak cases).
	Canaries []string
	// CPUBudget, for cpu cases, is the inspection time the goal allows.
	CPUBudgetMs int
}

// js encodes v as AWS does (no HTML escaping of <, > and &).
func js(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func bytesOf(s string) []int {
	out := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = int(s[i])
	}
	return out
}

// v2 is an HTTP API event; edit changes it before it is encoded.
func v2(edit func(ev map[string]any)) []byte {
	ev := map[string]any{
		"version": "2.0", "routeKey": "POST /items", "rawPath": "/items", "rawQueryString": "page=1",
		"headers":               map[string]any{"content-type": "application/json", "host": "api.example.com", "user-agent": "redteam"},
		"queryStringParameters": map[string]any{"page": "1"},
		"requestContext": map[string]any{"accountId": "123456789012", "apiId": "a1", "domainName": "api.example.com",
			"http": map[string]any{"method": "POST", "path": "/items", "sourceIp": "198.51.100.9"}, "routeKey": "POST /items", "stage": "$default"},
		"body": `{"name":"widget"}`, "isBase64Encoded": false,
	}
	edit(ev)
	return js(ev)
}

// v1 is an API Gateway REST event.
func v1(edit func(ev map[string]any)) []byte {
	ev := map[string]any{
		"resource": "/items", "path": "/items", "httpMethod": "POST",
		"headers":           map[string]any{"content-type": "application/json", "host": "api.example.com"},
		"multiValueHeaders": map[string]any{"content-type": []string{"application/json"}, "host": []string{"api.example.com"}},
		"requestContext":    map[string]any{"resourcePath": "/items", "httpMethod": "POST", "identity": map[string]any{"sourceIp": "198.51.100.9"}},
		"body":              `{"name":"widget"}`,
	}
	edit(ev)
	return js(ev)
}

func headers(ev map[string]any) map[string]any { return ev["headers"].(map[string]any) }

func ctx(ev map[string]any) map[string]any { return ev["requestContext"].(map[string]any) }

// forgedFieldCases put the attack where a forged event (a direct invoke,
// a forwarding service) can, in one representation only.
func forgedFieldCases(a attack) []redCase {
	p := a.Payload
	mk := func(name string, ev []byte) redCase {
		return redCase{Class: "forged-field", Name: name, Event: ev, Attack: a.ID, Expect: expectBlock, Contract: "http"}
	}
	return []redCase{
		mk("v2 queryStringParameters only", v2(func(ev map[string]any) { ev["queryStringParameters"] = map[string]any{"page": "1", "q": p} })),
		mk("v2 queryStringParameters differs from rawQueryString", v2(func(ev map[string]any) {
			ev["rawQueryString"] = "q=fine"
			ev["queryStringParameters"] = map[string]any{"q": p}
		})),
		mk("v2 cookie header beside cookies[]", v2(func(ev map[string]any) {
			ev["cookies"] = []string{"a=1"}
			headers(ev)["cookie"] = "pref=" + url.QueryEscape(p)
		})),
		mk("v2 pathParameters", v2(func(ev map[string]any) { ev["pathParameters"] = map[string]any{"id": p} })),
		mk("v2 JWT claim", v2(func(ev map[string]any) {
			ctx(ev)["authorizer"] = map[string]any{"jwt": map[string]any{"claims": map[string]any{"name": p}, "scopes": nil}}
		})),
		mk("v2 Lambda authorizer context", v2(func(ev map[string]any) {
			ctx(ev)["authorizer"] = map[string]any{"lambda": map[string]any{"tenant": map[string]any{"note": p}}}
		})),
		mk("v2 JWT payload in authorization", v2(func(ev map[string]any) {
			headers(ev)["authorization"] = "Bearer eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(js(map[string]string{"sub": p})) + "."
		})),
		mk("v2 rawQueryString under a case variant of its key", v2(func(ev map[string]any) {
			ev["RawQueryString"] = "page=2"
			ev["rawQueryString"] = "q=" + url.QueryEscape(p)
		})),
		mk("v2 request context's userAgent", v2(func(ev map[string]any) { ctx(ev)["http"].(map[string]any)["userAgent"] = p })),
		mk("v2 request context's path", v2(func(ev map[string]any) { ctx(ev)["http"].(map[string]any)["path"] = "/items/" + p })),
		mk("v1 single-value header only", v1(func(ev map[string]any) { headers(ev)["x-note"] = p })),
		mk("v1 request context's identity userAgent", v1(func(ev map[string]any) {
			ctx(ev)["identity"] = map[string]any{"sourceIp": "203.0.113.9", "userAgent": p}
		})),
		mk("v1 single-value query beside multiValue", v1(func(ev map[string]any) {
			ev["queryStringParameters"] = map[string]any{"q": p}
			ev["multiValueQueryStringParameters"] = map[string]any{"q": []string{"fine"}}
		})),
		mk("v1 pathParameters", v1(func(ev map[string]any) { ev["pathParameters"] = map[string]any{"id": p} })),
		mk("v1 Cognito claim", v1(func(ev map[string]any) {
			ctx(ev)["authorizer"] = map[string]any{"claims": map[string]any{"custom:bio": p}}
		})),
		mk("alb single-value header beside multiValueHeaders", js(map[string]any{
			"path": "/items", "httpMethod": "GET", "headers": map[string]any{"x-note": p},
			"multiValueHeaders": map[string]any{"host": []string{"a"}}, "requestContext": map[string]any{"elb": map[string]any{"targetGroupArn": "arn"}},
		})),
		mk("function url body in base64", v2(func(ev map[string]any) {
			ctx(ev)["domainName"] = "abc.lambda-url.us-east-1.on.aws"
			ev["body"], ev["isBase64Encoded"] = b64(string(js(map[string]string{"q": p}))), true
		})),
	}
}

// triggerCases put the attack in the payload of every trigger.
func triggerCases(a attack) []redCase {
	p := a.Payload
	doc := string(js(map[string]string{"note": p}))
	batch := func(name string, ev any, id string) redCase {
		return redCase{Class: "trigger", Name: name, Event: js(ev), Attack: a.ID, Expect: expectBlock, Contract: "batch", FailureID: id}
	}
	drop := func(name string, ev any) redCase {
		return redCase{Class: "trigger", Name: name, Event: js(ev), Attack: a.ID, Expect: expectBlock, Contract: "drop"}
	}
	fail := func(name string, ev any) redCase {
		return redCase{Class: "trigger", Name: name, Event: js(ev), Attack: a.ID, Expect: expectBlock, Contract: "error"}
	}
	good := map[string]any{"eventSource": "aws:sqs", "messageId": "m-good", "body": `{"note":"fine"}`}
	return []redCase{
		batch("sqs message body", map[string]any{"Records": []any{good, map[string]any{"eventSource": "aws:sqs", "messageId": "m-bad", "body": doc}}}, "m-bad"),
		batch("sqs message attribute", map[string]any{"Records": []any{good, map[string]any{"eventSource": "aws:sqs", "messageId": "m-bad", "body": "ok",
			"messageAttributes": map[string]any{"note": map[string]any{"stringValue": p, "dataType": "String"}}}}}, "m-bad"),
		drop("sns message", map[string]any{"Records": []any{map[string]any{"EventSource": "aws:sns", "Sns": map[string]any{"MessageId": "s1", "Message": doc}}}}),
		drop("s3 object key", map[string]any{"Records": []any{map[string]any{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
			"s3": map[string]any{"bucket": map[string]any{"name": "b"}, "object": map[string]any{"key": url.QueryEscape(p)}}}}}),
		batch("kinesis data", map[string]any{"Records": []any{
			map[string]any{"eventSource": "aws:kinesis", "eventID": "e1", "kinesis": map[string]any{"sequenceNumber": "100", "data": b64("fine")}},
			map[string]any{"eventSource": "aws:kinesis", "eventID": "e2", "kinesis": map[string]any{"sequenceNumber": "200", "data": b64(doc)}}}}, "200"),
		batch("dynamodb new image", map[string]any{"Records": []any{
			map[string]any{"eventSource": "aws:dynamodb", "eventID": "d1", "dynamodb": map[string]any{"SequenceNumber": "300", "NewImage": map[string]any{"n": map[string]string{"S": "fine"}}}},
			map[string]any{"eventSource": "aws:dynamodb", "eventID": "d2", "dynamodb": map[string]any{"SequenceNumber": "400", "NewImage": map[string]any{"n": map[string]string{"S": p}}}}}}, "400"),
		{Class: "trigger", Name: "eventbridge detail", Event: js(map[string]any{"id": "e", "detail-type": "t", "source": "s", "detail": map[string]string{"note": p}}), Attack: a.ID, Expect: expectBlock},
		batch("eventbridge pipes sqs batch", []any{good, map[string]any{"eventSource": "aws:sqs", "messageId": "p-bad", "body": doc}}, "p-bad"),
		batch("eventbridge pipes kinesis batch", []any{
			map[string]any{"eventSource": "aws:kinesis", "sequenceNumber": "1", "data": b64("fine")},
			map[string]any{"eventSource": "aws:kinesis", "sequenceNumber": "2", "data": b64(doc)}}, "2"),
		batch("msk record value", map[string]any{"eventSource": "aws:kafka", "records": map[string]any{
			"t-0": []any{map[string]any{"topic": "t", "partition": 0, "offset": 1, "value": b64("fine")}},
			"t-1": []any{map[string]any{"topic": "t", "partition": 1, "offset": 7, "value": b64(doc)}}}}, "t-1-7"),
		batch("self-managed kafka header", map[string]any{"eventSource": "SelfManagedKafka", "records": map[string]any{
			"t-0": []any{map[string]any{"topic": "t", "partition": 0, "offset": 1, "value": b64("fine")},
				map[string]any{"topic": "t", "partition": 0, "offset": 2, "value": b64("fine"), "headers": []any{map[string]any{"trace": bytesOf(p)}}}}}}, "t-0-2"),
		drop("activemq message", map[string]any{"eventSource": "aws:mq", "messages": []any{
			map[string]any{"messageID": "q1", "data": b64("fine")}, map[string]any{"messageID": "q2", "data": b64(doc)}}}),
		drop("rabbitmq message", map[string]any{"eventSource": "aws:rmq", "rmqMessagesByQueue": map[string]any{
			"a::/": []any{map[string]any{"data": b64("fine")}}, "b::/": []any{map[string]any{"data": b64(doc)}}}}),
		fail("appsync argument", map[string]any{"arguments": map[string]any{"input": map[string]any{"title": p}}, "info": map[string]any{"fieldName": "createPost", "parentTypeName": "Mutation"},
			"request": map[string]any{"headers": map[string]any{"host": "x"}}}),
		fail("appsync request header", map[string]any{"arguments": map[string]any{}, "info": map[string]any{"fieldName": "getPost"},
			"request": map[string]any{"headers": map[string]any{"x-note": p}}}),
		fail("cognito user attribute", map[string]any{"version": "1", "triggerSource": "PreSignUp_SignUp", "userPoolId": "p", "userName": "u",
			"request": map[string]any{"userAttributes": map[string]any{"custom:bio": p}}, "response": map[string]any{}}),
		fail("unknown trigger deep leaf", map[string]any{"job": map[string]any{"steps": []any{map[string]any{"cmd": p}}}}),
		fail("cloudwatch logs subscription (base64 of gzip)", map[string]any{"awslogs": map[string]any{"data": base64.StdEncoding.EncodeToString(compressed(
			string(js(map[string]any{"messageType": "DATA_MESSAGE", "logGroup": "/aws/lambda/app", "logEvents": []any{map[string]any{"id": "1", "timestamp": 1, "message": p}}})),
			gzip.NewWriter))}}),
	}
}

// differentialCases encode the attack where parsers disagree.
func differentialCases(a attack) []redCase {
	p := a.Payload
	doc := string(js(map[string]string{"q": p}))
	mk := func(name string, ev []byte) redCase {
		return redCase{Class: "differential", Name: name, Event: ev, Attack: a.ID, Expect: expectBlock}
	}
	wrapped := b64(doc)
	spaced := strings.Join(splitEvery(wrapped, 4), " ")
	gz := bytes.NewBuffer(compressed(`{"q":"fine"}`, gzip.NewWriter))
	gz.WriteString("&q=" + url.QueryEscape(p)) // trailing data after the gzip member
	mp := func(ct, body string) []byte {
		return v2(func(ev map[string]any) { headers(ev)["content-type"] = ct; ev["body"] = body })
	}
	return []redCase{
		mk("base64 body with inner whitespace", v2(func(ev map[string]any) { ev["body"], ev["isBase64Encoded"] = spaced, true })),
		mk("base64 body without padding", v2(func(ev map[string]any) { ev["body"], ev["isBase64Encoded"] = strings.TrimRight(wrapped, "="), true })),
		mk("base64 body, URL-safe alphabet", v2(func(ev map[string]any) {
			ev["body"], ev["isBase64Encoded"] = base64.URLEncoding.EncodeToString([]byte(doc+"\xfb\xff")), true
		})),
		mk("double URL encoding in the query", v2(func(ev map[string]any) { ev["rawQueryString"] = "q=" + url.QueryEscape(url.QueryEscape(p)) })),
		mk("JSON unicode escapes", v2(func(ev map[string]any) { ev["body"] = `{"q":"` + jsonUnicode(p) + `"}` })),
		mk("duplicate JSON keys in the body", v2(func(ev map[string]any) { ev["body"] = `{"q":` + string(js(p)) + `,"q":"fine"}` })),
		mk("multipart with a decoy boundary parameter", mp("multipart/form-data; xboundary=AAA; boundary=BBB",
			"--BBB\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n"+p+"\r\n--BBB--\r\n")),
		mk("multipart RFC 2231 file name", mp("multipart/form-data; boundary=BBB",
			"--BBB\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''"+url.PathEscape(p)+"\r\n\r\nx\r\n--BBB--\r\n")),
		mk("gzip body with trailing data", v2(func(ev map[string]any) {
			headers(ev)["content-encoding"] = "gzip"
			ev["body"], ev["isBase64Encoded"] = base64.StdEncoding.EncodeToString(gz.Bytes()), true
		})),
		mk("form body with plus and percent", mp("application/x-www-form-urlencoded", "q="+url.QueryEscape(p))),
		mk("form body in UTF-7, decoded with the charset it names", mp("application/x-www-form-urlencoded; charset=utf-7", "q="+url.QueryEscape(utf7(p)))),
		mk("JSON body in UTF-7", mp("application/json; charset=utf-7", `{"q":"`+utf7(p)+`"}`)),
		mk("form body in IBM037 (EBCDIC), decoded with the charset it names", mp("application/x-www-form-urlencoded; charset=ibm037", "q="+ibm037Escaped(p))),
		mk("form body naming UTF-8 then IBM037 (Django's header parser takes the last)", mp("application/x-www-form-urlencoded; charset=utf-8; charset=ibm037", "q="+ibm037Escaped(p))),
		mk("ASCII JSON body whose charset says UTF-16", mp("application/json; charset=utf-16", doc)),
		mk("JSON body in UTF-16 among CJK text, no charset (Python's json.loads reads the first bytes)", v2(func(ev map[string]any) {
			headers(ev)["content-type"] = "application/json"
			ev["body"], ev["isBase64Encoded"] = base64.StdEncoding.EncodeToString(utf16LE(`{"note":"`+strings.Repeat("漢", 40)+`","q":`+string(js(p))+`}`)), true
		})),
		mk("form escapes in UTF-16, decoded with the charset it names", mp("application/x-www-form-urlencoded; charset=utf-16", "q="+utf16Escaped(p))),
		mk("XML body declaring windows-1252, the attack in character references", mp("application/xml",
			`<?xml version="1.0" encoding="windows-1252"?><r><q>`+charRefs(p)+`</q></r>`)),
		mk("SOAP body declaring ISO-8859-1", mp("text/xml",
			`<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><q a="`+charRefs(p)+`"/></s:Body></s:Envelope>`)),
		mk("quoted cookie value", v2(func(ev map[string]any) { headers(ev)["cookie"] = `pref="` + strings.ReplaceAll(p, `"`, `\"`) + `"` })),
		mk("quoted cookie value in octal escapes (Python's http.cookies decodes them)", v2(func(ev map[string]any) { headers(ev)["cookie"] = `pref="` + octalEscaped(p) + `"` })),
		mk("two Records arrays, the attack in the second", []byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"x","body":"fine"}],"Records":[`+
			string(js(map[string]any{"eventSource": "aws:sqs", "messageId": "y", "body": doc}))+`]}`)),
		mk("case-variant record body key", []byte(`{"Records":[{"eventSource":"aws:sqs","messageId":"m1","body":`+string(js(doc))+`,"Body":"fine"}]}`)),
		mk("JSON in a string in JSON", v2(func(ev map[string]any) { ev["body"] = string(js(map[string]string{"payload": doc})) })),
		mk("NaN makes the event malformed for Go", []byte(`{"version":"2.0","rawPath":"/","rawQueryString":"","headers":{},"requestContext":{"http":{"method":"POST"}},"n":NaN,"body":`+string(js(doc))+`}`)),
	}
}

// utf7 writes s in UTF-7 (RFC 2152) as one run: every character as
// modified base64 of its UTF-16 code units.
func utf7(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return "+" + base64.RawStdEncoding.EncodeToString(b) + "-"
}

// ibm037Escaped writes the printable ASCII of s as percent escapes of
// its IBM037 (EBCDIC) bytes, as a client sending charset=ibm037 does.
func ibm037Escaped(s string) string {
	const table = "405A7F7B5B6C507D4D5D5C4E6B604B61F0F1F2F3F4F5F6F7F8F97A5E4C7E6E6F7CC1C2C3C4C5C6C7C8C9D1D2D3D4D5D6D7D8D9E2E3E4E5E6E7E8E9BAE0BBB06D79818283848586878889919293949596979899A2A3A4A5A6A7A8A9C04FD0A1" // 0x20-0x7E
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			b.WriteString("%" + table[2*(c-0x20):2*(c-0x20)+2])
		}
	}
	return b.String()
}

// utf16LE writes s in UTF-16LE without a byte-order mark.
func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// utf16Escaped writes s as percent escapes of its UTF-16LE code units.
func utf16Escaped(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%%%02X%%%02X", byte(u), byte(u>>8))
	}
	return b.String()
}

// octalEscaped writes every byte of s as a backslash and three octal
// digits, as a quoted cookie value may carry it.
func octalEscaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "\\%03o", s[i])
	}
	return b.String()
}

// charRefs writes every character of s as an XML character reference.
func charRefs(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
	}
	return b.String()
}

func splitEvery(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func jsonUnicode(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(`\u` + leftPad(strconv.FormatInt(int64(r), 16), 4))
	}
	return b.String()
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// limitCases hide the attack behind a bound.
func limitCases(a attack) []redCase {
	p := a.Payload
	doc := string(js(map[string]string{"q": p}))
	mk := func(name string, ev []byte) redCase {
		return redCase{Class: "limit", Name: name, Event: ev, Attack: a.ID, Expect: expectBlock}
	}
	var badEscapes strings.Builder
	for i := range 80 {
		badEscapes.WriteString("b" + strconv.Itoa(i) + "=%zz&")
	}
	deep := strings.Repeat(`{"a":`, 70) + string(js(p)) + strings.Repeat(`}`, 70)
	var many strings.Builder
	many.WriteString("{")
	for i := range 60000 {
		many.WriteString(`"k` + strconv.Itoa(i) + `":1,`)
	}
	many.WriteString(`"q":` + string(js(p)) + `}`)
	long := strings.Repeat("a", 1100<<10) + " " + p
	return []redCase{
		mk("80 bad percent escapes before the attack", v2(func(ev map[string]any) { ev["rawQueryString"] = badEscapes.String() + "q=" + url.QueryEscape(p) })),
		mk("attack 70 levels deep", v2(func(ev map[string]any) { ev["body"] = deep })),
		mk("attack after 60000 values", v2(func(ev map[string]any) { ev["body"] = many.String() })),
		mk("attack after 1.1 MiB in one value", v2(func(ev map[string]any) { ev["body"] = string(js(map[string]string{"q": long})) })),
		mk("attack in the 1001st record", js(map[string]any{"Records": thousandRecords(p)})),
		coded(a.ID, "br", compressed(doc, brotli.NewWriter)),
		coded(a.ID, "zstd", compressed(doc, gzip.NewWriter)), // compressed bytes the agent cannot read as zstd
	}
}

// coded is an HTTP event whose body is sent in a content coding: Brotli,
// which Express's body-parser decodes and the agent too, and zstd, which
// the agent does not decode and so must treat as a bound reached; either
// way a 403, whether or not the red team's handler can decode it.
func coded(attack, coding string, body []byte) redCase {
	return redCase{Class: "limit", Name: "JSON body in content coding " + coding, Attack: attack, Expect: expectBlock, Contract: "http",
		Event: v2(func(ev map[string]any) {
			headers(ev)["content-encoding"] = coding
			headers(ev)["content-type"] = "application/json"
			ev["body"], ev["isBase64Encoded"] = base64.StdEncoding.EncodeToString(body), true
		})}
}

// compressed is s written through the compressor newWriter makes.
func compressed[W io.WriteCloser](s string, newWriter func(io.Writer) W) []byte {
	var b bytes.Buffer
	w := newWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func thousandRecords(p string) []any {
	recs := make([]any, 0, 1001)
	for i := range 1000 {
		recs = append(recs, map[string]any{"eventSource": "aws:sqs", "messageId": "m" + strconv.Itoa(i), "body": "fine"})
	}
	return append(recs, map[string]any{"eventSource": "aws:sqs", "messageId": "m-last", "body": string(js(map[string]string{"q": p}))})
}

// cpuCases are the worst cases of issue 13: each must be judged (no
// bypass) and its inspection time is reported against the goal.
func cpuCases(a attack) []redCase {
	p := a.Payload
	mk := func(name string, body string, budget int) redCase {
		return redCase{Class: "cpu", Name: name, Attack: a.ID, Expect: expectBlock, CPUBudgetMs: budget,
			Event: v2(func(ev map[string]any) { headers(ev)["content-type"] = "text/plain"; ev["body"] = body })}
	}
	return []redCase{
		mk("4.8 MB of repeated tag openers", strings.Repeat("<a", 2_400_000)+p, 150),
		mk("4.8 MB of quotes", strings.Repeat(`'`, 4_800_000)+p, 150),
		mk("4.8 MB of separators", strings.Repeat("&=;", 1_600_000)+p, 150),
		mk("1 MiB single value", strings.Repeat("x", 1<<20)+p, 50),
	}
}

// benignCases: events of every trigger that must reach the handler
// untouched (blocking correctness: no false block, nothing lost).
func benignCases() []redCase {
	mk := func(name string, ev any) redCase {
		b, ok := ev.([]byte)
		if !ok {
			b = js(ev)
		}
		return redCase{Class: "blocking", Name: "benign " + name, Event: b, Expect: expectPass}
	}
	return []redCase{
		mk("http api", v2(func(map[string]any) {})),
		mk("rest api", v1(func(map[string]any) {})),
		mk("http api with pathParameters and claims", v2(func(ev map[string]any) {
			ev["pathParameters"] = map[string]any{"id": "42"}
			ctx(ev)["authorizer"] = map[string]any{"jwt": map[string]any{"claims": map[string]any{"sub": "u-1", "scope": "read"}}}
		})),
		mk("sqs", map[string]any{"Records": []any{map[string]any{"eventSource": "aws:sqs", "messageId": "m1", "body": `{"order":1}`}}}),
		mk("kinesis", map[string]any{"Records": []any{map[string]any{"eventSource": "aws:kinesis", "eventID": "e", "kinesis": map[string]any{"sequenceNumber": "1", "data": b64(`{"n":1}`)}}}}),
		mk("pipes", []any{map[string]any{"eventSource": "aws:sqs", "messageId": "p1", "body": "hello"}}),
		mk("kafka", map[string]any{"eventSource": "aws:kafka", "records": map[string]any{"t-0": []any{map[string]any{"topic": "t", "partition": 0, "offset": 1, "value": b64("hello")}}}}),
		mk("activemq", map[string]any{"eventSource": "aws:mq", "messages": []any{map[string]any{"messageID": "1", "data": b64("hello")}}}),
		mk("appsync", map[string]any{"arguments": map[string]any{"id": "1"}, "info": map[string]any{"fieldName": "getPost"}}),
		mk("cognito", map[string]any{"version": "1", "triggerSource": "PreSignUp_SignUp", "userPoolId": "p", "userName": "alice", "request": map[string]any{"userAttributes": map[string]any{"email": "a@example.com"}}, "response": map[string]any{}}),
		mk("unknown", map[string]any{"job": "nightly", "steps": []any{"fetch", "report"}}),
		mk("eventbridge", map[string]any{"id": "e", "detail-type": "OrderPlaced", "source": "shop", "detail": map[string]any{"order": 7}}),
	}
}

// canaryCases plant secrets and personal data next to an attack in every
// trigger; the decision record must hold none of them.
func canaryCases() []redCase {
	const email, card, cookie = "dora.redteam@example.net", "4916 3385 0608 2832", "rtCookieSecret7731"
	leak := email + " ' OR 1=1 -- " + card
	canaries := []string{"dora.redteam", "4916 3385", "0608 2832", cookie}
	mk := func(name string, ev []byte) redCase {
		return redCase{Class: "log-leak", Name: name, Event: ev, Expect: expectBlock, Canaries: canaries}
	}
	return []redCase{
		mk("excerpt of a query value", v2(func(ev map[string]any) { ev["rawQueryString"] = "q=" + url.QueryEscape(leak) })),
		mk("query key that is an address", v2(func(ev map[string]any) {
			ev["rawQueryString"] = url.QueryEscape(email) + "=" + url.QueryEscape("' OR 1=1 --")
		})),
		mk("cookie value next to an attack", v2(func(ev map[string]any) { ev["cookies"] = []string{"sid=" + cookie + "' OR 1=1 --"} })),
		mk("cookie value echoed in the body", v2(func(ev map[string]any) {
			ev["cookies"] = []string{"sid=" + cookie}
			ev["body"] = string(js(map[string]string{"q": cookie + " ' OR 1=1 --"}))
		})),
		mk("x-api-key value", v2(func(ev map[string]any) { headers(ev)["x-api-key"] = cookie + "' OR 1=1 --" })),
		mk("sqs body", js(map[string]any{"Records": []any{map[string]any{"eventSource": "aws:sqs", "messageId": "m", "body": leak}}})),
		mk("kafka value", js(map[string]any{"eventSource": "aws:kafka", "records": map[string]any{"t-0": []any{map[string]any{"topic": "t", "partition": 0, "offset": 1, "value": b64(leak)}}}})),
		mk("cognito attribute", js(map[string]any{"triggerSource": "PreSignUp_SignUp", "userPoolId": "p", "userName": email, "request": map[string]any{"userAttributes": map[string]any{"name": leak}}})),
		mk("unknown event key", js(map[string]any{email: leak})),
		mk("malformed event", []byte(`{"version":"2.0","rawPath":"/","headers":{"n":1},"body":`+string(js(leak))+`,"requestContext":{"http":{"method":"POST"}},"`+email+`":1}`)),
	}
}
