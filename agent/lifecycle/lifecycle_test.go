package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeExtensionsAPI plays the Extensions API: it checks the headers of
// every call and serves queued events.
type fakeExtensionsAPI struct {
	t      *testing.T
	events chan string
	mu     sync.Mutex
	name   string
	asked  []EventType
	errors []reported
}

type reported struct {
	path, errorType, id string
	body                map[string]any
}

func newFakeExtensionsAPI(t *testing.T) (*fakeExtensionsAPI, string) {
	f := &fakeExtensionsAPI{t: t, events: make(chan string, 8)}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, strings.TrimPrefix(srv.URL, "http://")
}

const testID = "b3d5a5c6-0000-4000-8000-000000000001"

func (f *fakeExtensionsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	base := "/" + Version + "/extension"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == base+"/register":
		var body struct{ Events []EventType }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.name, f.asked = r.Header.Get(HeaderName), body.Events
		f.mu.Unlock()
		if r.Header.Get(HeaderName) == "" {
			http.Error(w, `{"errorType":"Extension.InvalidName"}`, http.StatusForbidden)
			return
		}
		w.Header().Set(HeaderIdentifier, testID)
		w.Header().Set("Content-Type", "application/json")
		resp := `{"functionName":"fn","functionVersion":"$LATEST","handler":"bootstrap"`
		if r.Header.Get(HeaderAcceptFeature) == "accountId" {
			resp += `,"accountId":"123456789012"`
		}
		_, _ = io.WriteString(w, resp+"}")
	case r.Method == http.MethodGet && r.URL.Path == base+"/event/next":
		if r.Header.Get(HeaderIdentifier) != testID {
			http.Error(w, `{"errorType":"Extension.Unknown"}`, http.StatusForbidden)
			return
		}
		select {
		case ev := <-f.events:
			_, _ = io.WriteString(w, ev)
		case <-r.Context().Done():
		}
	case r.Method == http.MethodPost && (r.URL.Path == base+"/init/error" || r.URL.Path == base+"/exit/error"):
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.errors = append(f.errors, reported{r.URL.Path, r.Header.Get(HeaderErrorType), r.Header.Get(HeaderIdentifier), body})
		f.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"status":"OK"}`)
	default:
		http.NotFound(w, r)
	}
}

func registered(t *testing.T) (*fakeExtensionsAPI, *Client) {
	t.Helper()
	f, addr := newFakeExtensionsAPI(t)
	c, err := NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := c.Register(context.Background(), "lambdawaf", Invoke, Shutdown)
	if err != nil {
		t.Fatal(err)
	}
	if reg.FunctionName != "fn" || reg.AccountID != "123456789012" || c.ID() != testID {
		t.Fatalf("registration = %+v, id %q", reg, c.ID())
	}
	return f, c
}

func TestRegister(t *testing.T) {
	f, _ := registered(t)
	if f.name != "lambdawaf" || len(f.asked) != 2 || f.asked[0] != Invoke || f.asked[1] != Shutdown {
		t.Errorf("registered as %q for %v", f.name, f.asked)
	}
}

func TestRegisterRefused(t *testing.T) {
	_, addr := newFakeExtensionsAPI(t)
	c, _ := NewClient(addr)
	_, err := c.Register(context.Background(), "", Shutdown)
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusForbidden || !strings.Contains(se.Body, "InvalidName") {
		t.Fatalf("err = %v", err)
	}
}

func TestNextEvents(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Event
	}{
		{
			"invoke",
			`{"eventType":"INVOKE","deadlineMs":1700000003000,"requestId":"r-1","invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:fn","tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-abc"}}`,
			Event{EventType: Invoke, DeadlineMs: 1700000003000, RequestID: "r-1", InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:fn", Tracing: &Tracing{"X-Amzn-Trace-Id", "Root=1-abc"}},
		},
		{"shutdown spindown", `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":1700000002000}`, Event{EventType: Shutdown, ShutdownReason: Spindown, DeadlineMs: 1700000002000}},
		{"shutdown timeout", `{"eventType":"SHUTDOWN","shutdownReason":"timeout","deadlineMs":1700000002000}`, Event{EventType: Shutdown, ShutdownReason: Timeout, DeadlineMs: 1700000002000}},
		{"shutdown failure", `{"eventType":"SHUTDOWN","shutdownReason":"failure","deadlineMs":1700000002000}`, Event{EventType: Shutdown, ShutdownReason: Failure, DeadlineMs: 1700000002000}},
	}
	f, c := registered(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.events <- tt.body
			ev, err := c.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if ev.EventType != tt.want.EventType || ev.DeadlineMs != tt.want.DeadlineMs || ev.RequestID != tt.want.RequestID ||
				ev.ShutdownReason != tt.want.ShutdownReason || ev.InvokedFunctionArn != tt.want.InvokedFunctionArn {
				t.Errorf("event = %+v, want %+v", ev, tt.want)
			}
			if tt.want.Tracing != nil && (ev.Tracing == nil || *ev.Tracing != *tt.want.Tracing) {
				t.Errorf("tracing = %+v", ev.Tracing)
			}
			if !ev.Deadline().Equal(time.UnixMilli(tt.want.DeadlineMs)) {
				t.Errorf("deadline = %v", ev.Deadline())
			}
		})
	}
}

func TestNextHonoursContext(t *testing.T) {
	_, c := registered(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("Next ignored its context")
	}
}

func TestNextWithoutRegisterFails(t *testing.T) {
	_, addr := newFakeExtensionsAPI(t)
	c, _ := NewClient(addr)
	if _, err := c.Next(context.Background()); err == nil {
		t.Fatal("Next without an identifier succeeded")
	}
}

func TestReportErrors(t *testing.T) {
	f, c := registered(t)
	if err := c.InitError(context.Background(), "Extension.ListenFailed", errors.New("bind 127.0.0.1:9009: address in use")); err != nil {
		t.Fatal(err)
	}
	if err := c.ExitError(context.Background(), "Extension.Crash", errors.New("lost the API")); err != nil {
		t.Fatal(err)
	}
	if len(f.errors) != 2 {
		t.Fatalf("reported %d errors", len(f.errors))
	}
	for i, want := range []reported{
		{path: "/" + Version + "/extension/init/error", errorType: "Extension.ListenFailed", id: testID, body: map[string]any{"errorMessage": "bind 127.0.0.1:9009: address in use"}},
		{path: "/" + Version + "/extension/exit/error", errorType: "Extension.Crash", id: testID, body: map[string]any{"errorMessage": "lost the API"}},
	} {
		got := f.errors[i]
		if got.path != want.path || got.errorType != want.errorType || got.id != want.id ||
			got.body["errorMessage"] != want.body["errorMessage"] || got.body["errorType"] != want.errorType {
			t.Errorf("report %d = %+v, want %+v", i, got, want)
		}
	}
}

func TestNewClientRejectsBadAddress(t *testing.T) {
	if _, err := NewClient("no-port"); err == nil {
		t.Fatal("accepted an address without a port")
	}
}
