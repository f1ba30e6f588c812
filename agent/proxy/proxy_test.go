package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeEvent is one event the fake upstream hands out on next.
type fakeEvent struct {
	id      string
	payload []byte
	header  http.Header // extra headers
}

// received is one request the fake upstream got on a path other than next.
type received struct {
	method, path, query string
	header, trailer     http.Header
	body                []byte
	chunked             bool
}

// fakeAPI plays the upstream Runtime API: it hands out queued events on
// next (blocking until one is queued) and records everything else.
type fakeAPI struct {
	events chan fakeEvent
	// status and body answered on posts; 202 by default.
	postStatus int

	nexts atomic.Int32 // next calls received

	mu   sync.Mutex
	got  []received
	cond chan struct{} // closed and replaced on every receipt
	srv  *httptest.Server
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{events: make(chan fakeEvent, 64), postStatus: http.StatusAccepted, cond: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) addr() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == pathNext {
		f.nexts.Add(1)
		select {
		case ev := <-f.events:
			for k, vv := range ev.header {
				w.Header()[k] = vv
			}
			w.Header().Set(headerRequestID, ev.id)
			if w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/json")
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(ev.payload)))
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(ev.payload)
		case <-r.Context().Done():
		}
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec := received{
		method: r.Method, path: r.URL.Path, query: r.URL.RawQuery,
		header: r.Header.Clone(), trailer: r.Trailer.Clone(), body: body,
		chunked: len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked",
	}
	f.mu.Lock()
	f.got = append(f.got, rec)
	close(f.cond)
	f.cond = make(chan struct{})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.postStatus)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// waitFor returns the first received request on path, waiting up to 5 s.
func (f *fakeAPI) waitFor(t *testing.T, path string) received {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		for _, g := range f.got {
			if g.path == path {
				f.mu.Unlock()
				return g
			}
		}
		c := f.cond
		f.mu.Unlock()
		select {
		case <-c:
		case <-deadline:
			t.Fatalf("upstream never received %s", path)
		}
	}
}

// harness is a proxy in front of a fake upstream, and a runtime client.
type harness struct {
	api    *fakeAPI
	proxy  *Proxy
	srv    *httptest.Server
	client *http.Client
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	api := newFakeAPI(t)
	p, err := New(api.addr(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(p)
	srv.Config = NewServer(p, p.log)
	srv.Start()
	t.Cleanup(func() { p.Close(); srv.Close() })
	return &harness{api: api, proxy: p, srv: srv, client: &http.Client{Transport: &http.Transport{DisableCompression: true}}}
}

func (h *harness) url(path string) string { return h.srv.URL + path }

func (h *harness) next(t *testing.T) (*http.Response, []byte) {
	t.Helper()
	resp, err := h.client.Get(h.url(pathNext))
	if err != nil {
		t.Fatalf("runtime next: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read next body: %v", err)
	}
	return resp, body
}

func (h *harness) postResponse(t *testing.T, id string, body []byte, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+id+suffixResponse), bytes.NewReader(body))
	for k, vv := range header {
		req.Header[k] = vv
	}
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatalf("post response: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

var lambdaHeaders = http.Header{
	"Lambda-Runtime-Deadline-Ms":          {"4102444800000"},
	"Lambda-Runtime-Invoked-Function-Arn": {"arn:aws:lambda:eu-west-1:123456789012:function:f"},
	"Lambda-Runtime-Trace-Id":             {"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"},
	"Lambda-Runtime-Client-Context":       {`{"client":{"app_title":"t"}}`},
	"Lambda-Runtime-Cognito-Identity":     {`{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}`},
	"Lambda-Runtime-Aws-Tenant-Id":        {"tenant-42"},
	"Content-Type":                        {"application/json"},
}

func TestNextPassesEveryHeader(t *testing.T) {
	h := newHarness(t)
	h.api.events <- fakeEvent{id: "req-1", payload: []byte(`{"hello":"world"}`), header: lambdaHeaders}
	resp, body := h.next(t)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if string(body) != `{"hello":"world"}` {
		t.Fatalf("body = %q", body)
	}
	for k, vv := range lambdaHeaders {
		if got := resp.Header.Values(k); strings.Join(got, "|") != strings.Join(vv, "|") {
			t.Errorf("header %s = %q, want %q", k, got, vv)
		}
	}
	if got := resp.Header.Get(headerRequestID); got != "req-1" {
		t.Errorf("request id = %q", got)
	}
	if s := h.proxy.Stats(); s.RuntimeNexts != 1 || s.Fetched != 1 {
		t.Errorf("stats = %+v", s)
	}
	if !h.proxy.Fetched("req-1") || h.proxy.Fetched("req-2") {
		t.Error("Fetched does not reflect what was fetched")
	}
}

func TestPostsPassHeadersAndStatus(t *testing.T) {
	tests := []struct {
		name, path string
		header     http.Header
		body       string
	}{
		{"response", pathPrefix + "r1/response", http.Header{"Content-Type": {"application/vnd.custom"}, "Lambda-Runtime-Function-Xray-Error-Cause": {`{"working_directory":"/"}`}}, `{"ok":true}`},
		{"error", pathPrefix + "r1/error", http.Header{"Content-Type": {"application/json"}, "Lambda-Runtime-Function-Error-Type": {"Runtime.Unknown"}, "Lambda-Runtime-Function-Xray-Error-Cause": {`{"exceptions":[]}`}}, `{"errorMessage":"x"}`},
		{"init error", "/2018-06-01/runtime/init/error", http.Header{"Content-Type": {"application/json"}, "Lambda-Runtime-Function-Error-Type": {"Runtime.ExitError"}}, `{"errorMessage":"boom"}`},
		{"unknown path", "/2099-01-01/something/new", http.Header{"Content-Type": {"text/plain"}, "X-Custom": {"a", "b"}}, `payload`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			for _, status := range []int{http.StatusAccepted, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusInternalServerError} {
				h.api.postStatus = status
				req, _ := http.NewRequest(http.MethodPost, h.url(tt.path+"?q=1&q=2"), strings.NewReader(tt.body))
				req.Header = tt.header.Clone()
				req.Header.Set("User-Agent", "aws-lambda-go/go1.26")
				resp, err := h.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != status {
					t.Errorf("status = %d, want %d", resp.StatusCode, status)
				}
				if resp.Header.Get("Content-Type") != "application/json" || string(got) != `{"status":"OK"}` {
					t.Errorf("response not relayed: %q %q", resp.Header.Get("Content-Type"), got)
				}
			}
			rec := h.api.waitFor(t, tt.path)
			if string(rec.body) != tt.body || rec.query != "q=1&q=2" {
				t.Errorf("upstream got body %q query %q", rec.body, rec.query)
			}
			for k, vv := range tt.header {
				if got := rec.header.Values(k); strings.Join(got, "|") != strings.Join(vv, "|") {
					t.Errorf("upstream header %s = %q, want %q", k, got, vv)
				}
			}
			if rec.header.Get("User-Agent") != "aws-lambda-go/go1.26" {
				t.Errorf("user agent = %q", rec.header.Get("User-Agent"))
			}
		})
	}
}

func TestNonOKNextPassesThrough(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case pathNext:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Lambda-Runtime-Extra", "kept")
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"errorType":"Runtime.ExitError"}`)
		default:
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, "teapot "+r.Method+" "+r.URL.RequestURI())
		}
	}))
	defer upstream.Close()
	p, err := New(strings.TrimPrefix(upstream.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()

	resp, err := http.Get(srv.URL + pathNext)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || string(body) != `{"errorType":"Runtime.ExitError"}` || resp.Header.Get("Lambda-Runtime-Extra") != "kept" {
		t.Errorf("next: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(method, srv.URL+"/2018-06-01/runtime/restore/next?a=%2F", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := "teapot " + method + " /2018-06-01/runtime/restore/next?a=%2F"
		if resp.StatusCode != http.StatusTeapot || string(body) != want || resp.Header.Get("Content-Type") != "text/plain" {
			t.Errorf("%s: %d %q (want %q)", method, resp.StatusCode, body, want)
		}
	}
	if s := p.Stats(); s.Fetched != 0 || s.RuntimeNexts != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestUpstreamDownIsBadGateway(t *testing.T) {
	upstream := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(upstream.URL, "http://")
	upstream.Close()
	p, err := New(addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, err := http.Get(srv.URL + pathNext)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status = %d, want 502", resp.StatusCode)
	}
}

func TestNewRejectsBadUpstream(t *testing.T) {
	for _, addr := range []string{"", "localhost", "http://127.0.0.1:9001/"} {
		if _, err := New(addr); err == nil {
			t.Errorf("New(%q) accepted", addr)
		}
	}
}

// chunkedPost sends body chunked with the declared error trailers set to
// the given values once the body has been written.
func chunkedPost(t *testing.T, client *http.Client, url string, header http.Header, chunks [][]byte, trailer http.Header) *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url, pr)
	req.Header = header.Clone()
	req.Trailer = http.Header{}
	for k := range trailer {
		req.Trailer[k] = nil
	}
	go func() {
		for _, c := range chunks {
			if _, err := pw.Write(c); err != nil {
				return
			}
		}
		for k, vv := range trailer {
			req.Trailer[k] = vv
		}
		pw.Close()
	}()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("chunked post: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestTrailersForwardedWithValues(t *testing.T) {
	errorTrailers := http.Header{
		"Lambda-Runtime-Function-Error-Type": {"Runtime.StreamError"},
		"Lambda-Runtime-Function-Error-Body": {"eyJlcnJvck1lc3NhZ2UiOiJib29tIn0="},
	}
	tests := []struct {
		name   string
		path   string
		filter ResponseFilter
		mode   string
	}{
		{"response", pathPrefix + "t1/response", nil, ""},
		{"error", pathPrefix + "t1/error", nil, ""},
		{"streaming response", pathPrefix + "t1/response", nil, responseModeStream},
		{"buffered response through a filter", pathPrefix + "t1/response", upperFilter{}, ""},
		{"streaming response through a filter", pathPrefix + "t1/response", upperFilter{}, responseModeStream},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
				return Verdict{Response: tt.filter}, nil
			})))
			h.api.events <- fakeEvent{id: "t1", payload: []byte(`{}`)}
			h.next(t)
			hdr := http.Header{"Content-Type": {"application/json"}}
			if tt.mode != "" {
				hdr.Set(headerResponseMode, tt.mode)
			}
			resp := chunkedPost(t, h.client, h.url(tt.path), hdr, [][]byte{[]byte("part one,"), []byte("part two")}, errorTrailers)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("status = %d", resp.StatusCode)
			}
			rec := h.api.waitFor(t, tt.path)
			for k, vv := range errorTrailers {
				if got := rec.trailer.Values(k); len(got) != 1 || got[0] != vv[0] {
					t.Errorf("trailer %s = %q, want %q", k, got, vv)
				}
			}
			want := "part one,part two"
			if tt.filter != nil {
				want = strings.ToUpper(want)
			}
			if string(rec.body) != want {
				t.Errorf("body = %q, want %q", rec.body, want)
			}
			if !rec.chunked {
				t.Error("trailers need a chunked request; upstream got a fixed-length one")
			}
			if rec.header.Get("Transfer-Encoding") != "" || rec.header.Get("Trailer") != "" {
				t.Errorf("hop-by-hop header leaked: %v", rec.header)
			}
		})
	}
}

// upperFilter upper-cases buffered and streamed responses.
type upperFilter struct{}

func (upperFilter) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	return bytes.ToUpper(payload), nil
}

func (upperFilter) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return &upperReader{r: body}
}

type upperReader struct{ r io.Reader }

func (u *upperReader) Read(b []byte) (int, error) {
	n, err := u.r.Read(b)
	copy(b[:n], bytes.ToUpper(b[:n]))
	return n, err
}

func TestStreamingIsNotBuffered(t *testing.T) {
	for _, filtered := range []bool{false, true} {
		t.Run(fmt.Sprintf("filtered=%v", filtered), func(t *testing.T) {
			firstChunk := make(chan string, 1)
			sawFirst := make(chan struct{})
			var gotRest string
			var gotTrailer http.Header
			done := make(chan struct{})
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == pathNext {
					w.Header().Set(headerRequestID, "s1")
					_, _ = io.WriteString(w, `{}`)
					return
				}
				defer close(done)
				buf := make([]byte, 64)
				n, err := r.Body.Read(buf)
				if err != nil && err != io.EOF {
					t.Errorf("read first chunk: %v", err)
				}
				firstChunk <- string(buf[:n])
				close(sawFirst)
				rest, _ := io.ReadAll(r.Body)
				gotRest = string(rest)
				gotTrailer = r.Trailer.Clone()
				w.WriteHeader(http.StatusAccepted)
			}))
			defer upstream.Close()
			var opts []Option
			if filtered {
				opts = append(opts, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
					return Verdict{Response: upperFilter{}}, nil
				})))
			}
			p, _ := New(strings.TrimPrefix(upstream.URL, "http://"), opts...)
			srv := httptest.NewServer(p)
			defer srv.Close()
			resp, err := http.Get(srv.URL + pathNext)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()

			pr, pw := io.Pipe()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+pathPrefix+"s1/response", pr)
			// No Lambda-Runtime-Function-Response-Mode header: aws-lambda-go
			// streams without it; the content type says it all.
			req.Header.Set("Content-Type", "application/vnd.awslambda.http-integration-response")
			req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil}
			go func() {
				_, _ = pw.Write([]byte(`{"statusCode":200}` + "\x00\x00\x00\x00\x00\x00\x00\x00"))
				// The rest is written only once upstream has the
				// first chunk: a buffering proxy deadlocks here.
				select {
				case <-sawFirst:
				case <-time.After(5 * time.Second):
					pw.CloseWithError(errors.New("upstream never saw the first chunk"))
					return
				}
				_, _ = pw.Write([]byte("tail"))
				req.Trailer.Set("Lambda-Runtime-Function-Error-Type", "Runtime.TruncatedResponse")
				pw.Close()
			}()
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			<-done
			first := <-firstChunk
			want := `{"statusCode":200}` + "\x00\x00\x00\x00\x00\x00\x00\x00"
			wantRest := "tail"
			if filtered {
				want, wantRest = strings.ToUpper(want), "TAIL"
			}
			if first != want || gotRest != wantRest {
				t.Errorf("got first %q rest %q", first, gotRest)
			}
			if gotTrailer.Get("Lambda-Runtime-Function-Error-Type") != "Runtime.TruncatedResponse" {
				t.Errorf("mid-stream error trailer lost: %v", gotTrailer)
			}
			if resp.StatusCode != http.StatusAccepted {
				t.Errorf("status = %d", resp.StatusCode)
			}
		})
	}
}

func TestSixMegabyteEventAndResponse(t *testing.T) {
	h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Response: identityFilter{}}, nil
	})))
	event := bytes.Repeat([]byte("e"), 6<<20+512)
	h.api.events <- fakeEvent{id: "big", payload: event}
	resp, body := h.next(t)
	if !bytes.Equal(body, event) || resp.ContentLength != int64(len(event)) {
		t.Fatalf("event: got %d bytes (Content-Length %d), want %d", len(body), resp.ContentLength, len(event))
	}
	response := bytes.Repeat([]byte("r"), 6<<20+512)
	if resp := h.postResponse(t, "big", response, nil); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	rec := h.api.waitFor(t, pathPrefix+"big/response")
	if !bytes.Equal(rec.body, response) {
		t.Fatalf("response: upstream got %d bytes, want %d", len(rec.body), len(response))
	}
	// An unfiltered 6 MB response streams straight through, chunked.
	resp = chunkedPost(t, h.client, h.url(pathPrefix+"other/response"), http.Header{}, [][]byte{response}, http.Header{})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if rec := h.api.waitFor(t, pathPrefix+"other/response"); !bytes.Equal(rec.body, response) {
		t.Fatalf("response: upstream got %d bytes", len(rec.body))
	}
}

type identityFilter struct{}

func (identityFilter) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	return payload, nil
}
func (identityFilter) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return body
}

func TestOversizedResponseSkipsFilter(t *testing.T) {
	h := newHarness(t, WithMaxFilteredResponse(10), WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Response: upperFilter{}}, nil
	})))
	h.api.events <- fakeEvent{id: "o1", payload: []byte(`{}`)}
	h.next(t)
	h.postResponse(t, "o1", []byte("0123456789abcdef"), nil)
	if rec := h.api.waitFor(t, pathPrefix+"o1/response"); string(rec.body) != "0123456789abcdef" {
		t.Errorf("body = %q", rec.body)
	}
}

func blockOn(substr string) Inspector {
	return InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		if bytes.Contains(inv.Event, []byte(substr)) {
			return Verdict{Block: true, BlockResponse: []byte(`{"statusCode":403,"body":"blocked"}`)}, nil
		}
		return Verdict{}, nil
	})
}

func TestBlockAnswersUpstreamAndRuntimeGetsNextEvent(t *testing.T) {
	h := newHarness(t, WithInspector(blockOn("attack")))
	h.api.events <- fakeEvent{id: "bad-1", payload: []byte(`{"q":"attack"}`)}
	h.api.events <- fakeEvent{id: "bad-2", payload: []byte(`{"q":"attack again"}`)}
	h.api.events <- fakeEvent{id: "good", payload: []byte(`{"q":"hello"}`)}
	resp, body := h.next(t)
	if id := resp.Header.Get(headerRequestID); id != "good" || string(body) != `{"q":"hello"}` {
		t.Fatalf("runtime got %s %q, want the benign event", id, body)
	}
	for _, id := range []string{"bad-1", "bad-2"} {
		rec := h.api.waitFor(t, pathPrefix+id+"/response")
		if string(rec.body) != `{"statusCode":403,"body":"blocked"}` {
			t.Errorf("%s: block response = %q", id, rec.body)
		}
	}
	s := h.proxy.Stats()
	if s.Blocked != 2 || s.Fetched != 3 || s.RuntimeNexts != 1 || s.Inspections != 3 {
		t.Errorf("stats = %+v", s)
	}
}

func TestRefusedBlockFallsBackToError(t *testing.T) {
	h := newHarness(t, WithInspector(blockOn("attack")))
	h.api.postStatus = http.StatusBadRequest
	h.api.events <- fakeEvent{id: "bad", payload: []byte(`attack`)}
	h.api.events <- fakeEvent{id: "good", payload: []byte(`ok`)}
	resp, _ := h.next(t)
	if resp.Header.Get(headerRequestID) != "good" {
		t.Fatal("runtime did not get the next event")
	}
	rec := h.api.waitFor(t, pathPrefix+"bad/error")
	if !strings.Contains(string(rec.body), "LambdaWAF.Blocked") {
		t.Errorf("error body = %q", rec.body)
	}
	if s := h.proxy.Stats(); s.BlockFailures != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestVerdictEventReplacesPayload(t *testing.T) {
	h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Event: []byte(`{"Records":[]}`)}, nil
	})))
	h.api.events <- fakeEvent{id: "r1", payload: []byte(`{"Records":[{"body":"evil"},{"body":"fine"}]}`), header: lambdaHeaders}
	resp, body := h.next(t)
	if string(body) != `{"Records":[]}` || resp.ContentLength != int64(len(`{"Records":[]}`)) {
		t.Errorf("got %q (Content-Length %d)", body, resp.ContentLength)
	}
	if resp.Header.Get("Lambda-Runtime-Aws-Tenant-Id") != "tenant-42" {
		t.Error("headers lost on replacement")
	}
	if s := h.proxy.Stats(); s.Replaced != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestInspectorFailures(t *testing.T) {
	panicky := InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		panic("detector bug")
	})
	failing := InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Block: true}, errors.New("config not loaded")
	})
	tests := []struct {
		name       string
		inspector  Inspector
		failClosed bool
		wantPanics uint64
	}{
		{"panic fails open", panicky, false, 1},
		{"error fails open", failing, false, 0},
		{"panic fails closed", panicky, true, 1},
		{"error fails closed", failing, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithInspector(tt.inspector), WithFailClosed(tt.failClosed))
			h.api.events <- fakeEvent{id: "e1", payload: []byte(`{"a":1}`)}
			if tt.failClosed {
				// The failed event is blocked; the runtime waits on.
				go func() {
					h.api.waitFor(t, pathPrefix+"e1/response")
					h.proxy.Close()
				}()
				resp, err := h.client.Get(h.url(pathNext))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get(headerRequestID) != "" {
					t.Fatalf("runtime got %d %q although inspection failed closed", resp.StatusCode, resp.Header.Get(headerRequestID))
				}
				rec := h.api.waitFor(t, pathPrefix+"e1/response")
				if string(rec.body) != GenericBlockResponse {
					t.Errorf("block response = %q", rec.body)
				}
			} else {
				resp, body := h.next(t)
				if resp.Header.Get(headerRequestID) != "e1" || string(body) != `{"a":1}` {
					t.Errorf("event not passed unchanged: %q", body)
				}
			}
			if s := h.proxy.Stats(); s.InspectErrors != 1 || s.Panics != tt.wantPanics {
				t.Errorf("stats = %+v", s)
			}
		})
	}
}

func TestResponseFilterAppliedOnceAndForgotten(t *testing.T) {
	var calls sync.Map
	h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Response: countingFilter{id: inv.RequestID, calls: &calls}}, nil
	})))
	h.api.events <- fakeEvent{id: "f1", payload: []byte(`{}`)}
	h.api.events <- fakeEvent{id: "f2", payload: []byte(`{}`)}
	h.next(t)
	h.next(t)
	if n := h.proxy.Stats().PendingFilterCount; n != 2 {
		t.Fatalf("pending filters = %d", n)
	}
	h.postResponse(t, "f1", []byte("secret=1"), http.Header{"Content-Type": {"application/json"}})
	if rec := h.api.waitFor(t, pathPrefix+"f1/response"); string(rec.body) != "[filtered f1] secret=1" || rec.chunked {
		t.Errorf("upstream got %q chunked=%v", rec.body, rec.chunked)
	} else if rec.header.Get("Content-Length") != strconv.Itoa(len("[filtered f1] secret=1")) {
		t.Errorf("Content-Length = %q", rec.header.Get("Content-Length"))
	}
	// An error forgets the filter without calling it.
	req, _ := http.NewRequest(http.MethodPost, h.url(pathPrefix+"f2/error"), strings.NewReader(`{}`))
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := h.proxy.Stats().PendingFilterCount; n != 0 {
		t.Errorf("pending filters = %d after response and error", n)
	}
	// A second response for f1 is not filtered again.
	h.postResponse(t, "f1", []byte("again"), nil)
	if v, _ := calls.Load("f1"); v.(int) != 1 {
		t.Errorf("filter called %d times", v)
	}
	if _, ok := calls.Load("f2"); ok {
		t.Error("filter called for an error")
	}
}

type countingFilter struct {
	id    string
	calls *sync.Map
}

func (c countingFilter) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	v, _ := c.calls.LoadOrStore(c.id, 0)
	c.calls.Store(c.id, v.(int)+1)
	return append([]byte("[filtered "+c.id+"] "), payload...), nil
}
func (c countingFilter) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return body
}

type brokenFilter struct{ panics bool }

func (b brokenFilter) FilterResponse(ctx context.Context, payload []byte) ([]byte, error) {
	if b.panics {
		panic("filter bug")
	}
	return nil, errors.New("filter failed")
}
func (b brokenFilter) FilterStream(ctx context.Context, contentType string, body io.Reader) io.Reader {
	return &panicReader{}
}

type panicReader struct{}

func (*panicReader) Read([]byte) (int, error) { panic("stream filter bug") }

func TestResponseFilterFailures(t *testing.T) {
	tests := []struct {
		name       string
		filter     brokenFilter
		failClosed bool
		want       string
	}{
		{"error fails open", brokenFilter{}, false, "original"},
		{"panic fails open", brokenFilter{panics: true}, false, "original"},
		{"error fails closed", brokenFilter{}, true, GenericBlockResponse},
		{"panic fails closed", brokenFilter{panics: true}, true, GenericBlockResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithFailClosed(tt.failClosed), WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
				return Verdict{Response: tt.filter}, nil
			})))
			h.api.events <- fakeEvent{id: "x", payload: []byte(`{}`)}
			h.next(t)
			h.postResponse(t, "x", []byte("original"), nil)
			if rec := h.api.waitFor(t, pathPrefix+"x/response"); string(rec.body) != tt.want {
				t.Errorf("upstream got %q, want %q", rec.body, tt.want)
			}
		})
	}
	t.Run("stream filter panic does not crash", func(t *testing.T) {
		h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
			return Verdict{Response: brokenFilter{}}, nil
		})))
		h.api.events <- fakeEvent{id: "s", payload: []byte(`{}`)}
		h.next(t)
		h.postResponse(t, "s", []byte("data"), http.Header{headerResponseMode: {responseModeStream}})
		if s := h.proxy.Stats(); s.Panics != 1 {
			t.Errorf("stats = %+v", s)
		}
	})
}

func TestConcurrentInvocations(t *testing.T) {
	const n = 8
	// Upstream hands out an event only once all n nexts wait at once:
	// a proxy that serialises invocations never gets past the barrier.
	var mu sync.Mutex
	waiting := 0
	all := make(chan struct{})
	var responses sync.Map
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathNext {
			mu.Lock()
			waiting++
			id := waiting
			if waiting == n {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
			case <-time.After(5 * time.Second):
				http.Error(w, "not concurrent", http.StatusInternalServerError)
				return
			}
			w.Header().Set(headerRequestID, fmt.Sprintf("c%d", id))
			fmt.Fprintf(w, `{"n":%d}`, id)
			return
		}
		b, _ := io.ReadAll(r.Body)
		responses.Store(r.URL.Path, string(b))
		w.WriteHeader(http.StatusAccepted)
	}))
	defer upstream.Close()
	p, _ := New(strings.TrimPrefix(upstream.URL, "http://"), WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		return Verdict{Response: identityFilter{}}, nil
	})))
	srv := httptest.NewServer(p)
	defer srv.Close()

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + pathNext)
			if err != nil {
				errs <- err
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs <- fmt.Errorf("next status %d: %s", resp.StatusCode, body)
				return
			}
			id := resp.Header.Get(headerRequestID)
			r, err := http.Post(srv.URL+pathPrefix+id+"/response", "application/json", bytes.NewReader(append([]byte("echo "), body...)))
			if err != nil {
				errs <- err
				return
			}
			r.Body.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := 1; i <= n; i++ {
		v, ok := responses.Load(fmt.Sprintf("%sc%d/response", pathPrefix, i))
		if !ok || v.(string) != fmt.Sprintf(`echo {"n":%d}`, i) {
			t.Errorf("invocation c%d: upstream got %v", i, v)
		}
	}
	if s := p.Stats(); s.RuntimeNexts != n || s.Fetched != n || s.PendingFilterCount != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestCloseReleasesWaitingNext(t *testing.T) {
	h := newHarness(t)
	errc := make(chan error, 1)
	go func() {
		resp, err := h.client.Get(h.url(pathNext))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				err = fmt.Errorf("status %d after Close, want 503", resp.StatusCode)
			}
		}
		errc <- err
	}()
	for h.proxy.Stats().RuntimeNexts == 0 {
		time.Sleep(time.Millisecond)
	}
	h.proxy.Close()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("runtime next still waiting after Close")
	}
}

func TestIDSetForgetsOldest(t *testing.T) {
	s := newIDSet(3)
	for _, id := range []string{"a", "b", "c", "a", "d"} {
		s.add(id)
	}
	for id, want := range map[string]bool{"a": false, "b": true, "c": true, "d": true} {
		if s.has(id) != want {
			t.Errorf("has(%q) = %v", id, !want)
		}
	}
}

func TestRuntimeGoneBeforeDeliveryFailsInvocation(t *testing.T) {
	release := make(chan struct{})
	h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		<-release
		return Verdict{}, nil
	})))
	h.api.events <- fakeEvent{id: "orphan", payload: []byte(`{}`)}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.url(pathNext), nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := h.client.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	for h.proxy.Stats().Fetched == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel() // the runtime goes away while the event is being inspected
	<-done
	time.Sleep(50 * time.Millisecond)
	close(release)
	rec := h.api.waitFor(t, pathPrefix+"orphan/error")
	if !strings.Contains(string(rec.body), "LambdaWAF.Undeliverable") {
		t.Errorf("error body = %q", rec.body)
	}
	if s := h.proxy.Stats(); s.Undelivered != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestIsStreamed(t *testing.T) {
	tests := []struct {
		name          string
		header        http.Header
		contentLength int64
		want          bool
	}{
		{"response mode header", http.Header{"Lambda-Runtime-Function-Response-Mode": {"streaming"}, "Content-Type": {"application/json"}}, -1, true},
		{"function URL prelude without the header (aws-lambda-go)", http.Header{"Content-Type": {"application/vnd.awslambda.http-integration-response"}}, -1, true},
		{"raw reader, chunked", http.Header{"Content-Type": {"application/octet-stream"}}, -1, true},
		{"raw bytes, fixed length", http.Header{"Content-Type": {"application/octet-stream"}}, 10, false},
		{"JSON, chunked (aws-lambda-go buffered response)", http.Header{"Content-Type": {"application/json"}}, -1, false},
		{"JSON with parameters", http.Header{"Content-Type": {"application/json; charset=utf-8"}}, 10, false},
		{"nothing", http.Header{}, 0, false},
	}
	for _, tt := range tests {
		r := &http.Request{Header: tt.header, ContentLength: tt.contentLength}
		if got := isStreamed(r); got != tt.want {
			t.Errorf("%s: isStreamed = %v", tt.name, got)
		}
	}
}

func TestTruncatedEventFailsInvocation(t *testing.T) {
	var errors sync.Map
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathNext {
			// Promise 100 bytes, send 5, hang up.
			w.Header().Set(headerRequestID, "cut")
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, `{"a":`)
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
				}
			}
			return
		}
		b, _ := io.ReadAll(r.Body)
		errors.Store(r.URL.Path, string(b))
		w.WriteHeader(http.StatusAccepted)
	}))
	defer upstream.Close()
	p, _ := New(strings.TrimPrefix(upstream.URL, "http://"))
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, err := http.Get(srv.URL + pathNext)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("runtime got %d, want 502", resp.StatusCode)
	}
	if v, ok := errors.Load(pathPrefix + "cut/error"); !ok || !strings.Contains(v.(string), "LambdaWAF.Undeliverable") {
		t.Errorf("upstream error post: %v", v)
	}
}
