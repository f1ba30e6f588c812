package outbound

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/internal/leak"
	"github.com/lambdawaf/lambdawaf/agent/policy"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

// One sample of each leak kind, with what must not survive masking.
var samples = []struct {
	kind   leak.Kind
	text   string
	secret string
}{
	{leak.Card, "card 4111 1111 1111 1111 on file", "4111 1111 1111"},
	{leak.SSN, "ssn: 536-90-4399", "536-90-4399"},
	{leak.CPF, "cpf 529.982.247-25", "529.982.247-25"},
	{leak.SpanishID, "dni 12345678Z", "12345678Z"},
	{leak.AWSAccessKey, "key AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"},
	{leak.AWSSecretKey, "aws secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
	{leak.Secret, "db_password=Pr0d-P4ss!", "Pr0d-P4ss!"},
	{leak.PrivateKey, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----", "MHcCAQEEIBkg"},
	{leak.StackTrace, "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler", "/var/task/app.py"},
	{leak.StackTrace, "goroutine 1 [running]:\nmain.main()\n\t/var/task/main.go:12 +0x1d", "/var/task/main.go:12"},
	{leak.StackTrace, "java.lang.NullPointerException\n\tat com.acme.App.run(App.java:42)", "App.java:42"},
	{leak.StackTrace, "Error: x\n    at handler (/var/task/index.js:3:9)", "/var/task/index.js:3:9"},
	{leak.DBError, "You have an error in your SQL syntax; check the manual near 'x'", "error in your SQL syntax"},
	{leak.DBError, "pq: syntax error at or near \"'\"", "syntax error at or near"},
	{leak.DBError, "Unclosed quotation mark after the character string 'x'.", "Unclosed quotation mark"},
	{leak.DBError, "ORA-01756: quoted string not properly terminated", "ORA-01756"},
	{leak.DBError, "SQLITE_ERROR: near \"x\": syntax error", "SQLITE_ERROR"},
}

type reports struct {
	mu  sync.Mutex
	all []*Report
}

func (r *reports) ReportResponse(_ context.Context, rep *Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, rep)
}

func (r *reports) last(t *testing.T) *Report {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.all) == 0 {
		t.Fatal("no report")
	}
	return r.all[len(r.all)-1]
}

func newFilter(action Action, trigger event.Trigger, ev []byte) (*Filter, *reports) {
	rep := &reports{}
	in := New(Config{Action: action}, rep, zerolog.Nop())
	f := in.ResponseFilter(context.Background(), &proxy.Invocation{RequestID: "req-1", Event: ev}, &policy.Decision{Trigger: trigger})
	return f.(*Filter), rep
}

func v1Response(body string, b64 bool, headers map[string]string) []byte {
	if b64 {
		body = base64.StdEncoding.EncodeToString([]byte(body))
	}
	b, _ := json.Marshal(map[string]any{"statusCode": 200, "headers": headers, "body": body, "isBase64Encoded": b64})
	return b
}

type shape struct {
	name    string
	trigger event.Trigger
	wrap    func(text string) []byte
	// body extracts the (decoded) body text from a filtered payload.
	body func(t *testing.T, out []byte) string
}

func objBody(t *testing.T, out []byte) string {
	var obj struct {
		StatusCode      int
		Headers         map[string]string
		Body            string
		IsBase64Encoded bool
	}
	if err := json.Unmarshal(out, &obj); err != nil {
		t.Fatalf("response object is not valid JSON: %v: %s", err, out)
	}
	b := obj.Body
	if obj.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(b)
		if err != nil {
			t.Fatal(err)
		}
		b = string(d)
	}
	if cl, ok := obj.Headers["Content-Length"]; ok && cl != itoa(len(b)) {
		t.Errorf("Content-Length %s, body %d bytes", cl, len(b))
	}
	return b
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

var shapes = []shape{
	{"rest json body", event.APIGatewayREST, func(s string) []byte {
		b, _ := json.Marshal(map[string]string{"detail": s})
		return v1Response(string(b), false, map[string]string{"Content-Type": "application/json", "Content-Length": itoa(len(b))})
	}, func(t *testing.T, out []byte) string {
		body := objBody(t, out)
		var m map[string]string
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("masked JSON body invalid: %v: %s", err, body)
		}
		return m["detail"]
	}},
	{"http api base64 text", event.APIGatewayHTTP, func(s string) []byte {
		return v1Response(s, true, map[string]string{"content-type": "text/plain"})
	}, objBody},
	{"alb html", event.ALB, func(s string) []byte {
		return v1Response("<pre>"+s+"</pre>", false, map[string]string{"Content-Type": "text/html"})
	}, objBody},
	{"function url v2 shorthand", event.FunctionURL, func(s string) []byte {
		b, _ := json.Marshal(map[string]any{"items": []any{map[string]string{"note": s}}})
		return b
	}, func(t *testing.T, out []byte) string {
		var m struct{ Items []map[string]string }
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("masked v2 payload invalid: %v: %s", err, out)
		}
		return m.Items[0]["note"]
	}},
	{"sqs raw text", event.SQS, func(s string) []byte { return []byte(s) }, func(t *testing.T, out []byte) string { return string(out) }},
}

func TestFilterResponseMasks(t *testing.T) {
	for _, sh := range shapes {
		for _, sm := range samples {
			t.Run(sh.name+"/"+sm.kind.String(), func(t *testing.T) {
				f, rep := newFilter(Mask, sh.trigger, nil)
				out, err := f.FilterResponse(context.Background(), sh.wrap(sm.text))
				if err != nil {
					t.Fatal(err)
				}
				body := sh.body(t, out)
				if strings.Contains(body, sm.secret) {
					t.Errorf("masked body still holds %q: %q", sm.secret, body)
				}
				r := rep.last(t)
				if r.Action != Mask || r.Counts[sm.kind] == 0 || r.Where != "body" || r.RequestID != "req-1" {
					t.Errorf("report = %+v", r)
				}
			})
		}
	}
}

func TestFilterResponseBlocks(t *testing.T) {
	sm := samples[0]
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			f, rep := newFilter(Block, sh.trigger, nil)
			out, _ := f.FilterResponse(context.Background(), sh.wrap(sm.text))
			if bytes.Contains(out, []byte("1111")) {
				t.Errorf("blocked response leaks: %s", out)
			}
			if sh.trigger.IsHTTP() {
				var obj struct {
					StatusCode        int
					StatusDescription string
					Body              string
				}
				if err := json.Unmarshal(out, &obj); err != nil || obj.StatusCode != 500 || obj.Body != genericErrorBody {
					t.Errorf("block response = %s (%v)", out, err)
				}
				if sh.trigger == event.ALB && obj.StatusDescription != "500 Internal Server Error" {
					t.Errorf("ALB block response without statusDescription: %s", out)
				}
			} else if !json.Valid(out) || !bytes.Contains(out, []byte("ResponseWithheld")) {
				t.Errorf("non-HTTP block = %s", out)
			}
			if rep.last(t).Action != Block {
				t.Errorf("report = %+v", rep.last(t))
			}
		})
	}
}

func TestFilterResponseBlockALBMultiValue(t *testing.T) {
	ev := []byte(`{"requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1"}},"httpMethod":"GET","path":"/","multiValueQueryStringParameters":{},"multiValueHeaders":{"host":["x"]},"body":"","isBase64Encoded":false}`)
	f, _ := newFilter(Block, event.ALB, ev)
	resp, _ := json.Marshal(map[string]any{"statusCode": 200, "multiValueHeaders": map[string][]string{"Content-Type": {"text/plain"}}, "body": samples[0].text})
	out, _ := f.FilterResponse(context.Background(), resp)
	if !bytes.Contains(out, []byte(`"multiValueHeaders"`)) || !bytes.Contains(out, []byte(`"statusCode":500`)) {
		t.Errorf("ALB multi-value block response = %s", out)
	}
}

func TestFilterResponseLogAndPass(t *testing.T) {
	in := v1Response(samples[0].text, false, map[string]string{"content-type": "text/plain"})
	f, rep := newFilter(Log, event.APIGatewayHTTP, nil)
	out, _ := f.FilterResponse(context.Background(), in)
	if !bytes.Equal(out, in) || rep.last(t).Action != Log {
		t.Errorf("log action changed the response or did not report: %s / %+v", out, rep.last(t))
	}
	// Benign responses are passed byte for byte, without a report.
	benign := v1Response(`{"orders":[{"id":12345,"total":"19.99"}],"ts":1700000000000}`, false, map[string]string{"content-type": "application/json"})
	f, rep = newFilter(Mask, event.APIGatewayHTTP, nil)
	out, _ = f.FilterResponse(context.Background(), benign)
	if !bytes.Equal(out, benign) || len(rep.all) != 0 {
		t.Errorf("benign response changed: %s / %v", out, rep.all)
	}
	// A body in an encoding it cannot read is passed and reported.
	br := v1Response("\x1f\x8b...", false, map[string]string{"Content-Encoding": "br"})
	f, rep = newFilter(Mask, event.APIGatewayHTTP, nil)
	out, _ = f.FilterResponse(context.Background(), br)
	if !bytes.Equal(out, br) || rep.last(t).Action != Pass {
		t.Errorf("brotli body: %s / %+v", out, rep.all)
	}
	// A corrupt gzip body too.
	bad := v1Response("not gzip", false, map[string]string{"Content-Encoding": "gzip"})
	f, rep = newFilter(Mask, event.APIGatewayHTTP, nil)
	out, _ = f.FilterResponse(context.Background(), bad)
	if !bytes.Equal(out, bad) || rep.last(t).Action != Pass {
		t.Errorf("corrupt gzip body: %s / %+v", out, rep.all)
	}
	// Binary bodies are not scanned.
	img := v1Response("4111111111111111", true, map[string]string{"content-type": "image/png"})
	f, rep = newFilter(Mask, event.APIGatewayHTTP, nil)
	out, _ = f.FilterResponse(context.Background(), img)
	if !bytes.Equal(out, img) || len(rep.all) != 0 {
		t.Errorf("image body changed")
	}
}

func TestMaskJSONEdgeCases(t *testing.T) {
	tests := []struct {
		name, in string
		gone     []string
	}{
		{"card as a number", `{"pan":4111111111111111,"n":1}`, []string{"4111111111111111"}},
		{"db error then next member", `{"error":"pq: syntax error at or near \"x\"","code":42}`, []string{"syntax error"}},
		{"unicode-escaped card", `{"c":"\u0034111111111111111"}`, []string{`\u0034111111111111111`}},
		{"password member", `{"user":"bob","password":"hunter2"}`, []string{"hunter2"}},
		{"stack array", `{"errorMessage":"boom","stackTrace":["    at f (/var/task/index.js:3:9)","    at g (/var/task/index.js:9:1)"]}`, []string{"index.js:3:9", "index.js:9:1"}},
		{"pem in string", `{"k":"-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----"}`, []string{"MIIEvQ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, counts := maskJSON([]byte(tt.in), leak.Outbound)
			if counts == nil {
				t.Fatalf("nothing found in %s", tt.in)
			}
			if !json.Valid(out) {
				t.Fatalf("invalid JSON: %s", out)
			}
			for _, g := range tt.gone {
				if strings.Contains(string(out), g) {
					t.Errorf("%q survived: %s", g, out)
				}
			}
		})
	}
}

// chunkReader returns its data in fixed-size reads.
type chunkReader struct {
	data []byte
	size int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(c.size, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func TestFilterStreamSplitAcrossChunks(t *testing.T) {
	for _, sm := range samples {
		text := strings.Repeat("lorem ipsum ", 20) + "\n" + sm.text + "\n" + strings.Repeat("dolor sit ", 20)
		for _, size := range []int{1, 3, 7, 16, 64, 4096} {
			f, rep := newFilter(Mask, event.FunctionURL, nil)
			r := f.FilterStream(context.Background(), "text/plain", &chunkReader{data: []byte(text), size: size})
			out, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), sm.secret) {
				t.Errorf("%v, %d-byte chunks: %q survived in %q", sm.kind, size, sm.secret, out)
			}
			if !strings.HasPrefix(string(out), "lorem ipsum") || !strings.HasSuffix(string(out), "dolor sit ") {
				t.Errorf("%v, %d-byte chunks: stream damaged: %q", sm.kind, size, out)
			}
			if r := rep.last(t); r.Where != "stream" || r.Counts[sm.kind] == 0 || r.Action != Mask {
				t.Errorf("report = %+v", r)
			}
		}
	}
}

func TestFilterStreamPrelude(t *testing.T) {
	prelude := `{"statusCode":200,"headers":{"content-type":"text/plain"},"cookies":["a=b"]}` + "\x00\x00\x00\x00\x00\x00\x00\x00"
	body := "your card 4111-1111-1111-1111 thanks"
	for _, size := range []int{1, 5, 1000} {
		f, _ := newFilter(Mask, event.FunctionURL, nil)
		r := f.FilterStream(context.Background(), IntegrationResponseType, &chunkReader{data: []byte(prelude + body), size: size})
		out, _ := io.ReadAll(r)
		want := prelude + "your card ****-****-****-1111 thanks"
		if string(out) != want {
			t.Errorf("%d-byte chunks: got %q, want %q", size, out, want)
		}
	}
	// No delimiter within the bound: passed through, reported.
	f, rep := newFilter(Mask, event.FunctionURL, nil)
	huge := strings.Repeat("x", maxPrelude+10) + "4111111111111111"
	out, _ := io.ReadAll(f.FilterStream(context.Background(), IntegrationResponseType, strings.NewReader(huge)))
	if string(out) != huge || rep.last(t).Action != Pass {
		t.Errorf("oversized prelude: %d bytes, report %+v", len(out), rep.all)
	}
}

// TestFilterStreamDoesNotBuffer reads the first bytes while the handler has
// not finished writing, and checks that a pause releases held-back bytes.
func TestFilterStreamDoesNotBuffer(t *testing.T) {
	pr, pw := io.Pipe()
	f, _ := newFilter(Block, event.FunctionURL, nil)
	r := f.FilterStream(context.Background(), "text/event-stream", pr)
	go pw.Write([]byte("data: hello\n\n"))
	buf := make([]byte, 100)
	start := time.Now()
	n, err := r.Read(buf)
	if err != nil || string(buf[:n]) != "data: hello\n\n" {
		t.Fatalf("first read = %q, %v", buf[:n], err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("first event took %v", d)
	}
	go func() {
		pw.Write([]byte("data: 4111 1111 "))
		time.Sleep(2 * time.Millisecond)
		pw.Write([]byte("1111 1111\n\n"))
		pw.Close()
	}()
	rest, _ := io.ReadAll(r)
	if strings.Contains(string(rest), "4111") {
		t.Errorf("card split across writes survived: %q", rest)
	}
}

func TestFilterStreamLogPassesBytes(t *testing.T) {
	text := "card 4111111111111111 end"
	f, rep := newFilter(Log, event.FunctionURL, nil)
	out, _ := io.ReadAll(f.FilterStream(context.Background(), "text/plain", strings.NewReader(text)))
	if string(out) != text || rep.last(t).Action != Log {
		t.Errorf("log stream = %q, %+v", out, rep.all)
	}
}

func TestFilterStreamError(t *testing.T) {
	pr, pw := io.Pipe()
	f, _ := newFilter(Mask, event.FunctionURL, nil)
	r := f.FilterStream(context.Background(), "text/plain", pr)
	go func() {
		pw.Write([]byte("partial 4111111111111111"))
		pw.CloseWithError(io.ErrUnexpectedEOF)
	}()
	out, err := io.ReadAll(r)
	if err != io.ErrUnexpectedEOF || string(out) != "partial ************1111" {
		t.Errorf("got %q, %v", out, err)
	}
}

func TestParseAction(t *testing.T) {
	for _, s := range []string{"mask", "BLOCK", " log "} {
		if _, err := ParseAction(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseAction("drop"); err == nil {
		t.Error("ParseAction(drop) = nil error")
	}
}

// The inspector is what the firewall asks for response filters.
var (
	_ firewall.ResponseFilters = (*Inspector)(nil)
	_ proxy.ResponseFilter     = (*Filter)(nil)
)

func TestFilterResponseGzip(t *testing.T) {
	text := `{"card":"4111 1111 1111 1111","ok":true}`
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte(text))
	zw.Close()
	in, _ := json.Marshal(map[string]any{
		"statusCode": 200, "isBase64Encoded": true, "body": base64.StdEncoding.EncodeToString(zb.Bytes()),
		"headers": map[string]string{"Content-Encoding": "gzip", "Content-Type": "application/json", "Content-Length": itoa(zb.Len())},
	})
	f, rep := newFilter(Mask, event.APIGatewayREST, nil)
	out, _ := f.FilterResponse(context.Background(), in)
	var obj struct {
		Headers         map[string]string
		Body            string
		IsBase64Encoded bool
	}
	if err := json.Unmarshal(out, &obj); err != nil || !obj.IsBase64Encoded {
		t.Fatalf("response %s: %v", out, err)
	}
	raw, _ := base64.StdEncoding.DecodeString(obj.Body)
	if obj.Headers["Content-Length"] != itoa(len(raw)) {
		t.Errorf("Content-Length %s for %d bytes", obj.Headers["Content-Length"], len(raw))
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != `{"card":"**** **** **** 1111","ok":true}` || rep.last(t).Action != Mask {
		t.Errorf("masked gzip body %q, report %+v", plain, rep.all)
	}
	// A decompression bomb is passed, not inflated.
	zb.Reset()
	zw = gzip.NewWriter(&zb)
	zw.Write(bytes.Repeat([]byte("0"), DefaultMaxBody+10))
	zw.Close()
	bomb, _ := json.Marshal(map[string]any{"statusCode": 200, "isBase64Encoded": true, "body": base64.StdEncoding.EncodeToString(zb.Bytes()),
		"headers": map[string]string{"Content-Encoding": "gzip"}})
	f, rep = newFilter(Mask, event.APIGatewayREST, nil)
	out, _ = f.FilterResponse(context.Background(), bomb)
	if !bytes.Equal(out, bomb) || rep.last(t).Action != Pass {
		t.Errorf("bomb: report %+v", rep.all)
	}
}

func TestFilterStreamCompressedPassesThrough(t *testing.T) {
	prelude := `{"statusCode":200,"headers":{"Content-Encoding":"gzip"}}` + "\x00\x00\x00\x00\x00\x00\x00\x00"
	body := "4111111111111111 (pretend these are compressed bytes)"
	f, rep := newFilter(Mask, event.FunctionURL, nil)
	out, _ := io.ReadAll(f.FilterStream(context.Background(), IntegrationResponseType, strings.NewReader(prelude+body)))
	if string(out) != prelude+body || rep.last(t).Action != Pass {
		t.Errorf("compressed stream altered: %q, %+v", out, rep.all)
	}
}

// FuzzMaskJSON checks that masking never breaks a valid JSON document.
//
//	go test ./agent/outbound -run '^$' -fuzz FuzzMaskJSON -fuzztime 60s
func FuzzMaskJSON(f *testing.F) {
	f.Add([]byte(`{"card":"4111 1111 1111 1111","n":4111111111111111}`))
	f.Add([]byte(`{"e":"pq: syntax error at or near \"x\"","s":["    at f (/a.js:1:2)"]}`))
	f.Add([]byte(`{"password":"a\"b","k":"\u0034111111111111111"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if !json.Valid(doc) {
			return
		}
		out, _ := maskJSON(doc, leak.All)
		if !json.Valid(out) {
			t.Fatalf("maskJSON broke JSON:\nin  %q\nout %q", doc, out)
		}
	})
}

// BenchmarkFilterResponse is the cost of inspecting a clean API Gateway
// response (the common case) of 1 KB and 100 KB of JSON.
//
//	go test ./agent/outbound -run '^$' -bench BenchmarkFilterResponse
func BenchmarkFilterResponse(b *testing.B) {
	item := `{"id":12345,"name":"Widget deluxe","price":"19.99","sku":"ABC-123-XYZ","updated":"2026-11-21T23:45:00Z"},`
	for _, size := range []int{1 << 10, 100 << 10} {
		body := `{"items":[` + strings.Repeat(item, size/len(item)) + `{}]}`
		payload := v1Response(body, false, map[string]string{"content-type": "application/json"})
		b.Run(itoa(size/1024)+"KB", func(b *testing.B) {
			f, _ := newFilter(Mask, event.APIGatewayHTTP, nil)
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				f.FilterResponse(context.Background(), payload)
			}
		})
	}
}
