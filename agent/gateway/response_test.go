package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResponseTranslation(t *testing.T) {
	tests := []struct {
		name       string
		shape      Shape
		payload    string
		wantStatus int
		wantHeader http.Header
		wantBody   string
		wantErr    bool
	}{
		{
			name: "v2 structured", shape: HTTPAPI,
			payload:    `{"statusCode":201,"headers":{"Content-Type":"text/plain","X-A":"1"},"cookies":["a=1; Path=/","b=2"],"body":"made"}`,
			wantStatus: 201, wantBody: "made",
			wantHeader: http.Header{"Content-Type": {"text/plain"}, "X-A": {"1"}, "Set-Cookie": {"a=1; Path=/", "b=2"}},
		},
		{
			name: "v2 without statusCode is a JSON body", shape: HTTPAPI,
			payload: `{"message":"hi"}`, wantStatus: 200, wantBody: `{"message":"hi"}`,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
		},
		{
			name: "v2 bare string is a JSON body", shape: FunctionURL,
			payload: `"Hello from Lambda!"`, wantStatus: 200, wantBody: `"Hello from Lambda!"`,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
		},
		{
			name: "v2 base64 body", shape: HTTPAPI,
			payload:    `{"statusCode":200,"headers":{"content-type":"image/png"},"body":"iVBORw0=","isBase64Encoded":true}`,
			wantStatus: 200, wantBody: "\x89PNG\r", wantHeader: http.Header{"Content-Type": {"image/png"}},
		},
		{
			name: "v2 structured without content type defaults to json", shape: HTTPAPI,
			payload: `{"statusCode":404}`, wantStatus: 404, wantBody: "",
			wantHeader: http.Header{"Content-Type": {"application/json"}},
		},
		{name: "v2 not JSON", shape: HTTPAPI, payload: `hello`, wantErr: true},
		{name: "v2 bad base64", shape: HTTPAPI, payload: `{"statusCode":200,"body":"!!","isBase64Encoded":true}`, wantErr: true},
		{
			name: "rest merges headers and multiValueHeaders", shape: REST,
			payload:    `{"statusCode":200,"headers":{"X-One":"h","X-Two":"single"},"multiValueHeaders":{"X-Two":["m1","m2"],"Set-Cookie":["a=1","b=2"]},"body":"ok"}`,
			wantStatus: 200, wantBody: "ok",
			wantHeader: http.Header{"X-One": {"h"}, "X-Two": {"m1", "m2"}, "Set-Cookie": {"a=1", "b=2"}, "Content-Type": {"application/json"}},
		},
		{name: "rest without statusCode", shape: REST, payload: `{"body":"x"}`, wantErr: true},
		{name: "rest plain JSON string", shape: REST, payload: `"x"`, wantErr: true},
		{name: "rest statusCode out of range", shape: REST, payload: `{"statusCode":99}`, wantErr: true},
		{name: "rest wrong body type", shape: REST, payload: `{"statusCode":200,"body":{"a":1}}`, wantErr: true},
		{name: "rest header injection", shape: REST, payload: `{"statusCode":200,"headers":{"X":"a\r\nSet-Cookie: x=1"}}`, wantErr: true},
		{
			name: "alb single uses headers only", shape: ALB,
			payload:    `{"statusCode":200,"statusDescription":"200 OK","headers":{"content-type":"text/html"},"multiValueHeaders":{"x-ignored":["1"]},"body":"<p>hi</p>","isBase64Encoded":false}`,
			wantStatus: 200, wantBody: "<p>hi</p>", wantHeader: http.Header{"Content-Type": {"text/html"}},
		},
		{
			name: "alb multi uses multiValueHeaders only", shape: ALBMultiValue,
			payload:    `{"statusCode":302,"multiValueHeaders":{"location":["/x"],"set-cookie":["a=1","b=2"]},"headers":{"x-ignored":"1"}}`,
			wantStatus: 302, wantHeader: http.Header{"Location": {"/x"}, "Set-Cookie": {"a=1", "b=2"}},
		},
		{name: "alb without statusCode", shape: ALB, payload: `{"body":"x"}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (&Translator{Shape: tc.shape}).Response([]byte(tc.payload), "*/*")
			if tc.wantErr {
				if !errors.Is(err, ErrMalformedResponse) {
					t.Fatalf("err = %v, want ErrMalformedResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.wantStatus || string(res.Body) != tc.wantBody {
				t.Errorf("status %d body %q", res.StatusCode, res.Body)
			}
			for k, v := range res.Header {
				slices.Sort(v)
				res.Header[k] = v
			}
			for k, v := range tc.wantHeader {
				slices.Sort(v)
				tc.wantHeader[k] = v
			}
			if !equalHeaders(res.Header, tc.wantHeader) {
				t.Errorf("header %v, want %v", res.Header, tc.wantHeader)
			}
		})
	}
}

// TestRESTBinaryResponsesNeedAMatchingAccept: REST APIs return a base64
// body as bytes only when the request accepts a binary media type of the
// API; otherwise the client gets the base64 text, as on AWS.
func TestRESTBinaryResponsesNeedAMatchingAccept(t *testing.T) {
	payload := []byte(`{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"iVBORw0=","isBase64Encoded":true}`)
	tests := []struct {
		types  []string
		accept string
		want   string
	}{
		{nil, "image/png", "iVBORw0="},
		{[]string{"image/png"}, "", "iVBORw0="},
		{[]string{"image/png"}, "text/html, image/png;q=0.9", "\x89PNG\r"},
		{[]string{"*/*"}, "*/*", "\x89PNG\r"},
		{[]string{"image/*"}, "application/json", "iVBORw0="},
	}
	for _, tc := range tests {
		res, err := (&Translator{Shape: REST, BinaryMediaTypes: tc.types}).Response(payload, tc.accept)
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Body) != tc.want {
			t.Errorf("types %v accept %q: body %q, want %q", tc.types, tc.accept, res.Body, tc.want)
		}
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestFailureResponses(t *testing.T) {
	tests := []struct {
		shape    Shape
		failure  Failure
		status   int
		body     string
		ctPrefix string
	}{
		{HTTPAPI, FailFunction, 502, `{"message":"Internal Server Error"}`, "application/json"},
		{FunctionURL, FailFunction, 502, `{"message":"Internal Server Error"}`, "application/json"},
		{REST, FailFunction, 502, `{"message": "Internal server error"}`, "application/json"},
		{REST, FailTimeout, 504, `{"message": "Endpoint request timed out"}`, "application/json"},
		{HTTPAPI, FailTimeout, 504, `{"message":"Endpoint request timed out"}`, "application/json"},
		{HTTPAPI, FailThrottled, 429, `{"message":"Too Many Requests"}`, "application/json"},
		{HTTPAPI, FailTooLarge, 413, `{"message":"Request Entity Too Large"}`, "application/json"},
		{ALB, FailFunction, 502, "", "text/html"},
		{ALB, FailTimeout, 504, "", "text/html"},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		(&Translator{Shape: tc.shape}).WriteFailure(rec, tc.failure)
		if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctPrefix) {
			t.Errorf("%s/%d: status %d content-type %q", tc.shape, tc.failure, rec.Code, rec.Header().Get("Content-Type"))
		}
		if tc.body != "" && rec.Body.String() != tc.body {
			t.Errorf("%s/%d: body %q, want %q", tc.shape, tc.failure, rec.Body, tc.body)
		}
	}
}

// chunkedReader hands out its chunks one Read at a time, blocking before
// each until the test releases it.
type chunkedReader struct {
	chunks [][]byte
	next   chan struct{}
	err    error
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(c.chunks) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		return 0, io.EOF
	}
	<-c.next
	n := copy(p, c.chunks[0])
	c.chunks = c.chunks[1:]
	return n, nil
}

func (c *chunkedReader) Close() error { return nil }

func TestStreamingResponseArrivesIncrementally(t *testing.T) {
	prelude := `{"statusCode":206,"headers":{"content-type":"text/plain","x-stream":"yes"},"cookies":["s=1"]}`
	body := &chunkedReader{
		chunks: [][]byte{append([]byte(prelude), make([]byte, 8)...), []byte("first "), []byte("second")},
		next:   make(chan struct{}, 3),
	}
	body.next <- struct{}{} // the prelude
	body.next <- struct{}{} // the first chunk
	srv := httptest.NewServer(&Server{
		Translator: &Translator{Shape: FunctionURL},
		Invoker: InvokerFunc(func(ctx context.Context, ev []byte) (*Result, error) {
			return &Result{Stream: body, ContentType: StreamingContentType}, nil
		}),
	})
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 206 || resp.Header.Get("X-Stream") != "yes" || resp.Header.Get("Set-Cookie") != "s=1" {
		t.Fatalf("status %d header %v", resp.StatusCode, resp.Header)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first " {
		t.Fatalf("first chunk %q, %v", buf, err)
	}
	// The function has not produced the rest yet; release it now.
	body.next <- struct{}{}
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest %q, %v", rest, err)
	}
}

func TestStreamingFailureMidStreamAbortsTheResponse(t *testing.T) {
	body := &chunkedReader{
		chunks: [][]byte{append([]byte(`{"statusCode":200}`), make([]byte, 8)...), []byte("partial")},
		next:   make(chan struct{}, 2),
		err:    errors.New("Runtime.ExitError"),
	}
	body.next <- struct{}{}
	body.next <- struct{}{}
	srv := httptest.NewServer(&Server{
		Translator: &Translator{Shape: FunctionURL},
		Invoker: InvokerFunc(func(ctx context.Context, ev []byte) (*Result, error) {
			return &Result{Stream: body, ContentType: StreamingContentType}, nil
		}),
	})
	defer srv.Close()
	srv.Config.ErrorLog = nil
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("truncated stream read cleanly: %q", b)
	}
	if !bytes.HasPrefix([]byte("partial"), b) {
		t.Errorf("body %q", b)
	}
}

func TestServerMapsInvokeErrors(t *testing.T) {
	tests := []struct {
		name   string
		res    *Result
		err    error
		status int
	}{
		{"timeout", nil, ErrTimeout, 504},
		{"throttled", nil, ErrThrottled, 429},
		{"function error", &Result{Payload: []byte(`{"errorMessage":"boom","errorType":"errorString"}`), FunctionError: "Unhandled"}, nil, 502},
		{"malformed", &Result{Payload: []byte(`not json`)}, nil, 502},
		{"other", nil, errors.New("environment crashed"), 502},
	}
	for _, tc := range tests {
		s := &Server{Translator: &Translator{}, Invoker: InvokerFunc(func(context.Context, []byte) (*Result, error) { return tc.res, tc.err })}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if strings.Contains(rec.Body.String(), "boom") {
			t.Errorf("%s: error detail leaked to the client", tc.name)
		}
	}
}

func TestServerBodyLimit(t *testing.T) {
	invoked := false
	s := &Server{Invoker: InvokerFunc(func(context.Context, []byte) (*Result, error) {
		invoked = true
		return &Result{Payload: []byte(`{"statusCode":200}`)}, nil
	})}
	big := bytes.Repeat([]byte("a"), MaxPayload+1)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/", bytes.NewReader(big)))
	if rec.Code != 413 || invoked {
		t.Errorf("status %d invoked %v", rec.Code, invoked)
	}
	// Chunked: no Content-Length to reject up front.
	req := httptest.NewRequest("POST", "/", io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 413 || invoked {
		t.Errorf("chunked: status %d invoked %v", rec.Code, invoked)
	}
	// Binary under the limit but over it once base64-encoded in the event.
	bin := bytes.Repeat([]byte{0xff}, 5*1024*1024)
	req = httptest.NewRequest("POST", "/", bytes.NewReader(bin))
	req.Header.Set("Content-Type", "application/octet-stream")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 413 || invoked {
		t.Errorf("inflated event: status %d invoked %v", rec.Code, invoked)
	}
}

func TestServeShutsDownWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ln, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- (&Server{Invoker: InvokerFunc(func(context.Context, []byte) (*Result, error) {
			return &Result{Payload: []byte(`{"ok":true}`)}, nil
		})}).Serve(ctx, ln)
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != `{"ok":true}` {
		t.Fatalf("status %d body %q", resp.StatusCode, b)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}
