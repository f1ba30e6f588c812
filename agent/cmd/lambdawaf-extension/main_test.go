package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/proxy"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// fakeLambda plays both APIs Lambda serves on AWS_LAMBDA_RUNTIME_API: the
// Extensions API the agent registers with and the Runtime API it proxies.
type fakeLambda struct {
	srv       *httptest.Server
	runtime   chan invocation // events for runtime next
	lifecycle chan string     // lifecycle events (JSON) for event/next
	firstNext chan time.Time  // when the extension first called event/next
	responses chan posted     // posts on /invocation/{id}/response and /error
	initError chan posted     // posts on /extension/init/error
	once      sync.Once
	mu        sync.Mutex
	name      string
	events    []string
	// refuseInvoke makes register refuse INVOKE subscriptions.
	refuseInvoke bool
}

type invocation struct {
	id      string
	payload string
}

type posted struct {
	path, errorType, body string
}

func newFakeLambda(t *testing.T) *fakeLambda {
	t.Helper()
	f := &fakeLambda{
		runtime:   make(chan invocation, 16),
		lifecycle: make(chan string, 16),
		firstNext: make(chan time.Time, 1),
		responses: make(chan posted, 16),
		initError: make(chan posted, 4),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLambda) addr() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeLambda) serve(w http.ResponseWriter, r *http.Request) {
	const ext = "/2020-01-01/extension"
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.URL.Path == ext+"/register":
		var req struct{ Events []string }
		_ = json.Unmarshal(body, &req)
		f.mu.Lock()
		f.name, f.events = r.Header.Get("Lambda-Extension-Name"), req.Events
		refuse := f.refuseInvoke
		f.mu.Unlock()
		if refuse && slices.Contains(req.Events, "INVOKE") {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"errorType":"InvalidEventType","errorMessage":"INVOKE is not supported"}`)
			return
		}
		w.Header().Set("Lambda-Extension-Identifier", "ext-id")
		_, _ = io.WriteString(w, `{"functionName":"fn","functionVersion":"$LATEST","handler":"h"}`)
	case r.URL.Path == ext+"/event/next":
		f.once.Do(func() { f.firstNext <- time.Now() })
		select {
		case ev := <-f.lifecycle:
			_, _ = io.WriteString(w, ev)
		case <-r.Context().Done():
		}
	case r.URL.Path == ext+"/init/error" || r.URL.Path == ext+"/exit/error":
		f.initError <- posted{r.URL.Path, r.Header.Get("Lambda-Extension-Function-Error-Type"), string(body)}
		w.WriteHeader(http.StatusAccepted)
	case r.URL.Path == "/2018-06-01/runtime/invocation/next":
		select {
		case inv := <-f.runtime:
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
			w.Header().Set("Content-Length", strconv.Itoa(len(inv.payload)))
			_, _ = io.WriteString(w, inv.payload)
		case <-r.Context().Done():
		}
	case strings.HasPrefix(r.URL.Path, "/2018-06-01/runtime/invocation/"):
		f.responses <- posted{path: r.URL.Path, body: string(body)}
		w.WriteHeader(http.StatusAccepted)
	default:
		http.NotFound(w, r)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer = emulator.LogBuffer

type agentRun struct {
	code chan int
	logs *syncBuffer
	port int
}

func startAgent(t *testing.T, f *fakeLambda, env map[string]string) *agentRun {
	t.Helper()
	port := freePort(t)
	full := map[string]string{"AWS_LAMBDA_RUNTIME_API": f.addr(), "LAMBDAWAF_PORT": strconv.Itoa(port)}
	for k, v := range env {
		full[k] = v
	}
	a := &agentRun{code: make(chan int, 1), logs: &syncBuffer{}, port: port}
	go func() {
		a.code <- run(context.Background(), []string{"/opt/extensions/lambdawaf"}, envOf(full), a.logs)
	}()
	return a
}

func (a *agentRun) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case c := <-a.code:
		return c
	case <-time.After(within):
		t.Fatalf("agent still running after %v; logs:\n%s", within, a.logs)
		return -1
	}
}

func TestAgentProxiesAndShutsDown(t *testing.T) {
	f := newFakeLambda(t)
	a := startAgent(t, f, nil)
	select {
	case <-f.firstNext:
	case <-time.After(5 * time.Second):
		t.Fatalf("agent never called event/next; logs:\n%s", a.logs)
	}
	if f.name != "lambdawaf" || strings.Join(f.events, ",") != "INVOKE,SHUTDOWN" {
		t.Errorf("registered as %q for %v", f.name, f.events)
	}

	f.runtime <- invocation{"req-1", `{"hello":1}`}
	f.lifecycle <- `{"eventType":"INVOKE","requestId":"req-1","deadlineMs":` + strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10) + `}`
	base := "http://127.0.0.1:" + strconv.Itoa(a.port)
	resp, err := http.Get(base + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Lambda-Runtime-Aws-Request-Id") != "req-1" || string(body) != `{"hello":1}` {
		t.Fatalf("runtime got %q %q", resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), body)
	}
	resp, err = http.Post(base+"/2018-06-01/runtime/invocation/req-1/response", "application/json", strings.NewReader(`"ok"`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if p := <-f.responses; p.path != "/2018-06-01/runtime/invocation/req-1/response" || p.body != `"ok"` || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upstream got %+v, runtime got %d", p, resp.StatusCode)
	}

	// The runtime waits for its next event when SHUTDOWN comes.
	waiting := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/2018-06-01/runtime/invocation/next")
		if err != nil {
			waiting <- 0
			return
		}
		resp.Body.Close()
		waiting <- resp.StatusCode
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":` + strconv.FormatInt(time.Now().Add(2*time.Second).UnixMilli(), 10) + `}`
	if code := a.wait(t, 3*time.Second); code != 0 {
		t.Errorf("exit code %d; logs:\n%s", code, a.logs)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("shutdown took %v", d)
	}
	if st := <-waiting; st == http.StatusOK {
		t.Error("runtime next answered 200 during shutdown")
	}
	if strings.Contains(a.logs.String(), "BYPASSED") {
		t.Errorf("false bypass warning:\n%s", a.logs)
	}

	// Restarting after a reset binds and registers again on the same port.
	f.once = sync.Once{}
	port := strconv.Itoa(a.port)
	again := &agentRun{code: make(chan int, 1), logs: &syncBuffer{}, port: a.port}
	go func() {
		again.code <- run(context.Background(), []string{"/opt/extensions/lambdawaf"}, envOf(map[string]string{"AWS_LAMBDA_RUNTIME_API": f.addr(), "LAMBDAWAF_PORT": port}), again.logs)
	}()
	select {
	case <-f.firstNext:
	case <-time.After(5 * time.Second):
		t.Fatalf("restarted agent never called event/next; logs:\n%s", again.logs)
	}
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"timeout","deadlineMs":0}`
	if code := again.wait(t, 3*time.Second); code != 0 {
		t.Errorf("restart exit code %d; logs:\n%s", code, again.logs)
	}
}

func TestAgentInitErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)

	tests := []struct {
		name, errorType string
		env             func(f *fakeLambda) map[string]string
	}{
		{"port in use", "Extension.ListenFailed", func(f *fakeLambda) map[string]string {
			return map[string]string{"LAMBDAWAF_PORT": busyPort}
		}},
		{"port invalid", "Extension.ListenFailed", func(f *fakeLambda) map[string]string {
			return map[string]string{"LAMBDAWAF_PORT": "http"}
		}},
		{"upstream is the agent itself", "Extension.ConfigInvalid", func(f *fakeLambda) map[string]string {
			p := strconv.Itoa(freePort(t))
			return map[string]string{"LAMBDAWAF_PORT": p, "LAMBDAWAF_UPSTREAM": "127.0.0.1:" + p}
		}},
		{"upstream malformed", "Extension.ConfigInvalid", func(f *fakeLambda) map[string]string {
			return map[string]string{"LAMBDAWAF_UPSTREAM": "not an address"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLambda(t)
			a := startAgent(t, f, tt.env(f))
			if code := a.wait(t, 5*time.Second); code != 1 {
				t.Errorf("exit code %d", code)
			}
			select {
			case p := <-f.initError:
				if p.path != "/2020-01-01/extension/init/error" || p.errorType != tt.errorType {
					t.Errorf("reported %+v, want %s", p, tt.errorType)
				}
			default:
				t.Errorf("no init error reported; logs:\n%s", a.logs)
			}
		})
	}
}

func TestAgentWithoutRuntimeAPI(t *testing.T) {
	var logs syncBuffer
	if code := run(context.Background(), []string{"lambdawaf"}, envOf(map[string]string{"LAMBDAWAF_PORT": strconv.Itoa(freePort(t))}), &logs); code != 1 {
		t.Errorf("exit code %d", code)
	}
	if !strings.Contains(logs.String(), "AWS_LAMBDA_RUNTIME_API is not set") {
		t.Errorf("logs:\n%s", logs.String())
	}
}

func TestAgentStopsOnSignal(t *testing.T) {
	f := newFakeLambda(t)
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	env := envOf(map[string]string{"AWS_LAMBDA_RUNTIME_API": f.addr(), "LAMBDAWAF_PORT": strconv.Itoa(freePort(t))})
	go func() { code <- run(ctx, []string{"lambdawaf"}, env, io.Discard) }()
	<-f.firstNext
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit code %d", c)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("agent ignored cancellation")
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name         string
		env          map[string]string
		listen       string
		upstream     string
		mode         contract.Mode
		failClosed   bool
		level        zerolog.Level
		problems     int
		validateFail bool
	}{
		{"defaults", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001"}, "127.0.0.1:9009", "127.0.0.1:9001", contract.ModeBlock, false, zerolog.InfoLevel, 0, false},
		{"chained", map[string]string{"AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001", "LAMBDAWAF_UPSTREAM": "127.0.0.1:9100", "LAMBDAWAF_PORT": "9200"}, "127.0.0.1:9200", "127.0.0.1:9100", contract.ModeBlock, false, zerolog.InfoLevel, 0, false},
		{"log closed debug", map[string]string{"AWS_LAMBDA_RUNTIME_API": "h:1", "LAMBDAWAF_MODE": "LOG", "LAMBDAWAF_FAILURE_POLICY": "closed", "LAMBDAWAF_LOG_LEVEL": "debug"}, "127.0.0.1:9009", "h:1", contract.ModeLog, false, zerolog.DebugLevel, 1, false},
		{"closed", map[string]string{"AWS_LAMBDA_RUNTIME_API": "h:1", "LAMBDAWAF_FAILURE_POLICY": "closed", "LAMBDAWAF_MODE": "off"}, "127.0.0.1:9009", "h:1", contract.ModeOff, true, zerolog.InfoLevel, 0, false},
		{"garbage falls back", map[string]string{"AWS_LAMBDA_RUNTIME_API": "h:1", "LAMBDAWAF_MODE": "panic", "LAMBDAWAF_FAILURE_POLICY": "maybe", "LAMBDAWAF_LOG_LEVEL": "loud"}, "127.0.0.1:9009", "h:1", contract.ModeBlock, false, zerolog.InfoLevel, 3, false},
		{"no upstream", map[string]string{}, "127.0.0.1:9009", "", contract.ModeBlock, false, zerolog.InfoLevel, 0, true},
		{"self loop via localhost", map[string]string{"AWS_LAMBDA_RUNTIME_API": "localhost:9009"}, "127.0.0.1:9009", "localhost:9009", contract.ModeBlock, false, zerolog.InfoLevel, 0, true},
		{"bad port", map[string]string{"AWS_LAMBDA_RUNTIME_API": "h:1", "LAMBDAWAF_PORT": "70000"}, "127.0.0.1:70000", "h:1", contract.ModeBlock, false, zerolog.InfoLevel, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadConfig(envOf(tt.env))
			if c.ListenAddr != tt.listen || c.Upstream != tt.upstream || c.Mode != tt.mode || c.FailClosed != tt.failClosed ||
				c.LogLevel != tt.level || len(c.Problems) != tt.problems {
				t.Errorf("config = %+v", c)
			}
			if err := c.validate(); (err != nil) != tt.validateFail {
				t.Errorf("validate() = %v", err)
			}
		})
	}
}

func TestShutdownDeadline(t *testing.T) {
	now := time.Unix(1000, 0)
	tests := []struct {
		name   string
		lambda time.Time
		want   time.Time
	}{
		{"no deadline", time.Time{}, now.Add(shutdownBudget)},
		{"generous deadline", now.Add(2 * time.Second), now.Add(shutdownBudget)},
		{"tight deadline", now.Add(time.Second), now.Add(800 * time.Millisecond)},
		{"deadline passed", now.Add(-time.Second), now.Add(50 * time.Millisecond)},
	}
	for _, tt := range tests {
		if got := shutdownDeadline(now, tt.lambda); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got.Sub(now), tt.want.Sub(now))
		}
	}
}

func TestBypassWatch(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "seen")
		_, _ = io.WriteString(w, `{}`)
	}))
	defer upstream.Close()
	p, err := proxy.New(strings.TrimPrefix(upstream.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	var logs syncBuffer
	w := &bypassWatch{proxy: p, grace: 10 * time.Millisecond, log: zerolog.New(&logs)}
	w.invoked("seen")
	for i := 1; i <= 5; i++ {
		w.invoked(fmt.Sprintf("unseen-%d", i))
	}
	deadline := time.Now().Add(3 * time.Second)
	for w.bypassed.Load() < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the "seen" check too
	out := logs.String()
	if n := w.bypassed.Load(); n != 5 {
		t.Fatalf("bypassed = %d, want 5", n)
	}
	// Once loudly, then at counts 2 and 4.
	if strings.Count(out, "LAMBDAWAF IS BEING BYPASSED") != 1 || strings.Count(out, "STILL BEING BYPASSED") != 2 {
		t.Errorf("logs:\n%s", out)
	}
	if !strings.Contains(out, "AWS_LAMBDA_EXEC_WRAPPER") || !strings.Contains(out, "redirect.Start") {
		t.Error("warning does not name the likely cause")
	}
	if strings.Contains(out, `"request_id":"seen"`) {
		t.Error("a fetched invocation was reported")
	}
}

func TestLogOnlyNeverBlocks(t *testing.T) {
	var logs syncBuffer
	filter := struct{ proxy.ResponseFilter }{}
	in := logOnly{log: zerolog.New(&logs), in: proxy.InspectorFunc(func(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
		return proxy.Verdict{Block: true, BlockResponse: []byte("x"), Event: []byte("y"), Response: filter}, nil
	})}
	v, err := in.InspectEvent(context.Background(), &proxy.Invocation{RequestID: "r"})
	if err != nil || v.Block || v.Event != nil || v.Response != filter {
		t.Errorf("verdict = %+v, %v", v, err)
	}
	if !strings.Contains(logs.String(), `"would_block":true`) {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestDeferredInspector(t *testing.T) {
	d := newDeferredInspector()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := d.InspectEvent(ctx, &proxy.Invocation{}); err == nil {
		t.Error("inspected before the inspector was ready")
	}
	d.wait = 10 * time.Millisecond
	if _, err := d.InspectEvent(context.Background(), &proxy.Invocation{}); err == nil || !strings.Contains(err.Error(), "not ready after") {
		t.Errorf("a hung build: err = %v", err)
	}
	if err := d.shutdown(context.Background()); err != nil {
		t.Errorf("shutdown before ready: %v", err)
	}
	stopped := false
	d.set(proxy.InspectorFunc(func(ctx context.Context, inv *proxy.Invocation) (proxy.Verdict, error) {
		return proxy.Verdict{Block: true}, nil
	}), func(context.Context) error { stopped = true; return nil }, nil)
	if err := d.shutdown(context.Background()); err != nil || !stopped {
		t.Errorf("shutdown: %v, ran %v", err, stopped)
	}
	if v, err := d.InspectEvent(context.Background(), &proxy.Invocation{}); err != nil || !v.Block {
		t.Errorf("verdict = %+v, %v", v, err)
	}
	failed := newDeferredInspector()
	failed.set(nil, nil, fmt.Errorf("no config"))
	if _, err := failed.InspectEvent(context.Background(), &proxy.Invocation{}); err == nil || !strings.Contains(err.Error(), "no config") {
		t.Errorf("err = %v", err)
	}
}

func TestAgentWithoutInvokeEvents(t *testing.T) {
	f := newFakeLambda(t)
	f.refuseInvoke = true
	a := startAgent(t, f, nil)
	select {
	case <-f.firstNext:
	case <-time.After(5 * time.Second):
		t.Fatalf("agent never called event/next; logs:\n%s", a.logs)
	}
	f.mu.Lock()
	events := strings.Join(f.events, ",")
	f.mu.Unlock()
	if events != "SHUTDOWN" {
		t.Errorf("registered for %s, want SHUTDOWN after INVOKE was refused", events)
	}
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":0}`
	if code := a.wait(t, 3*time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if !strings.Contains(a.logs.String(), "bypass detection is off") {
		t.Errorf("logs:\n%s", a.logs)
	}
}

func TestAgentWaitsForADyingPredecessor(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := busy.Addr().(*net.TCPAddr).Port
	go func() {
		time.Sleep(80 * time.Millisecond)
		busy.Close()
	}()
	f := newFakeLambda(t)
	a := &agentRun{code: make(chan int, 1), logs: &syncBuffer{}, port: port}
	env := envOf(map[string]string{"AWS_LAMBDA_RUNTIME_API": f.addr(), "LAMBDAWAF_PORT": strconv.Itoa(port)})
	go func() { a.code <- run(context.Background(), []string{"lambdawaf"}, env, a.logs) }()
	select {
	case <-f.firstNext:
	case p := <-f.initError:
		t.Fatalf("reported %+v instead of waiting for the port", p)
	case <-time.After(5 * time.Second):
		t.Fatalf("no event/next; logs:\n%s", a.logs)
	}
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":0}`
	if code := a.wait(t, 3*time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestDrainFlushesInspectorWithinBudget(t *testing.T) {
	upstream := httptest.NewServer(http.NotFoundHandler())
	defer upstream.Close()
	p, err := proxy.New(strings.TrimPrefix(upstream.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := proxy.NewServer(p, zerolog.Nop())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var flushDeadline time.Time
	d := newDeferredInspector()
	d.set(proxy.InspectorFunc(func(context.Context, *proxy.Invocation) (proxy.Verdict, error) { return proxy.Verdict{}, nil }),
		func(ctx context.Context) error { flushDeadline, _ = ctx.Deadline(); return nil }, nil)
	deadline := time.Now().Add(shutdownBudget)
	var logs syncBuffer
	drain(p, srv, served, d, deadline, zerolog.New(&logs))
	if !flushDeadline.Equal(deadline) {
		t.Errorf("flush ran with deadline %v, want the drain deadline %v", flushDeadline, deadline)
	}
	if !strings.Contains(logs.String(), "agent stopped") {
		t.Errorf("logs: %s", logs.String())
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("listener still open after drain")
	}
}
