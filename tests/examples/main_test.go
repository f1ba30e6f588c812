// Package examples runs the handler of every example under examples/ in the
// strict local Lambda emulation (agent/emulator), behind the production
// build of the lambdawaf extension, with the example's own lambdawaf.yaml,
// and drives it with real HTTP requests through the front door of its
// trigger (agent/gateway) or, for SQS, with a realistic batch event.
//
// Go handlers reach the agent in-process (redirect.Start). The Python and
// Node.js handlers run under small stand-ins for the managed runtimes'
// bootstrap (testdata/python-runtime.py, testdata/node-runtime.mjs) started
// through AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper, so the wrapper
// wiring is what is tested. Binaries are built once, in TestMain.
package examples

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// built is what TestMain prepared for the whole run.
var built struct {
	root     string            // module root
	opt      string            // plays /opt: extensions/lambdawaf, lambdawaf-wrapper, bootstrap
	handlers map[string]string // example name -> Go handler binary
	// python and node are the interpreters' real executables, or why they
	// are missing: a missing one fails its example's tests, never skips
	// them (CI machines have both).
	python, node       string
	pythonErr, nodeErr error
}

func TestMain(m *testing.M) { testenv.Main(m, "examples", build) }

// build compiles the production extension (no testhooks tag) and the Go
// handlers concurrently, lays out the layer with layer.Install, and finds
// the interpreters.
func build(dir string) error {
	built.root = testenv.ModuleRoot()
	built.opt = filepath.Join(dir, "opt")
	built.handlers = map[string]string{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	agent := filepath.Join(dir, "lambdawaf-extension")
	bins := []testenv.Binary{{Pkg: "./agent/cmd/lambdawaf-extension", Out: agent}} // production: no testhooks tag
	for name, mk := range examples {
		if mk().runtime != "" {
			continue // not a Go handler
		}
		out := filepath.Join(dir, "task", name, "bootstrap")
		built.handlers[name] = out
		bins = append(bins, testenv.Binary{Pkg: "./examples/" + name + "/handler", Out: out})
	}
	built.python, built.pythonErr = interpreter("python3", "import sys; print(sys.executable)")
	built.node, built.nodeErr = interpreter("node", "console.log(process.execPath)")
	if err := testenv.BuildAll(ctx, bins...); err != nil {
		return err
	}
	if err := layer.Install(built.opt, agent); err != nil {
		return fmt.Errorf("lay out the layer: %w", err)
	}
	return nil
}

// interpreter resolves the real executable of python3 or node (not a
// version manager's shim, which needs variables Lambda does not set).
func interpreter(name, printExecutable string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not installed or not on PATH (CI machines have it; install it to run this example): %w", name, err)
	}
	flag := "-c"
	if name == "node" {
		flag = "-e"
	}
	out, err := exec.Command(path, flag, printExecutable).Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", path, flag, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// function is one example's handler running in the emulation behind the
// agent, with the front door of its trigger in front when it has one.
type function struct {
	fn   *emulator.Function
	logs *emulator.LogBuffer
	url  string // front door base URL; "" for SQS

	exchanges chan gateway.Exchange
	mu        sync.Mutex
	payloads  map[string][]byte // request id -> raw function response
}

// spec says how to start one example.
type spec struct {
	example string // directory under examples/
	// translator is the front door; nil for non-HTTP triggers.
	translator *gateway.Translator
	// runtime is the managed runtime id ("python3.12", "nodejs22.x") or ""
	// for a Go handler on provided.al2023.
	runtime string
	// env is added to the function's configuration (LAMBDAWAF_MODE for a
	// control run).
	env map[string]string
}

// start runs the example's handler behind the agent and stops it when the
// test ends.
func start(t *testing.T, s spec) *function {
	t.Helper()
	cfgPath, err := filepath.Abs(filepath.Join(built.root, "examples", s.example, "lambdawaf.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"LAMBDAWAF_PORT":           testenv.FreePort(t),
		"LAMBDAWAF_EXTENSIONS_DIR": filepath.Join(built.opt, filepath.Dir(layer.ExtensionPath)),
		"LAMBDAWAF_CONFIG":         cfgPath,
	}
	cfg := emulator.Config{
		LayerDir:     built.opt,
		FunctionName: "example-" + s.example,
		// The example programs deploy with 10-30 s timeouts; the
		// emulator's default 3 s would turn a slow shared CI core into a
		// spurious timeout.
		Timeout: 10 * time.Second,
	}
	switch {
	case strings.HasPrefix(s.runtime, "python"):
		if built.pythonErr != nil {
			t.Fatalf("the %s example runs a Python handler: %v", s.example, built.pythonErr)
		}
		cfg.Handler = []string{built.python, filepath.Join(built.root, "tests", "examples", "testdata", "python-runtime.py")}
		env["PYTHONDONTWRITEBYTECODE"] = "1" // the task root is the source tree
	case strings.HasPrefix(s.runtime, "nodejs"):
		if built.nodeErr != nil {
			t.Fatalf("the %s example runs a Node.js handler: %v", s.example, built.nodeErr)
		}
		cfg.Handler = []string{built.node, filepath.Join(built.root, "tests", "examples", "testdata", "node-runtime.mjs")}
	default:
		cfg.Handler = []string{built.handlers[s.example]}
	}
	if s.runtime != "" {
		// A managed runtime: Lambda runs its bootstrap (here, the
		// stand-in) through the exec wrapper, with the handler's module in
		// the task root and its name in _HANDLER.
		cfg.Runtime = s.runtime
		cfg.TaskRoot = filepath.Join(built.root, "examples", s.example, "handler")
		cfg.HandlerName = "index.handler"
		env["AWS_LAMBDA_EXEC_WRAPPER"] = "/opt/" + layer.WrapperPath
	}
	for k, v := range s.env {
		env[k] = v
	}
	cfg.Env = env
	f := &function{logs: &emulator.LogBuffer{}, payloads: map[string][]byte{}, exchanges: make(chan gateway.Exchange, 16)}
	cfg.Logs = f.logs
	f.fn, err = emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start %s: %v", s.example, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := f.fn.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if t.Failed() {
			t.Logf("function logs:\n%s", f.logs.String())
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := f.fn.WaitInit(ctx); err != nil {
		t.Fatalf("init %s: %v\nlogs:\n%s", s.example, err, f.logs.String())
	}
	if s.translator != nil {
		f.serve(t, s.translator)
	}
	return f
}

// serve puts the trigger's front door in front of the function on a free
// loopback port.
func (f *function) serve(t *testing.T, tr *gateway.Translator) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &gateway.Server{Translator: tr, Invoker: gateway.InvokerFunc(f.invoke), Observe: func(x gateway.Exchange) { f.exchanges <- x }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("front door: %v", err)
		}
	})
	f.url = "http://" + ln.Addr().String()
}

// invoke is the front door's Invoker: the Invoke API of the emulated
// function, keeping each raw response so tests can check the exact shape
// the agent answered with.
func (f *function) invoke(ctx context.Context, event []byte) (*gateway.Result, error) {
	res, err := f.fn.Invoke(ctx, event, emulator.InvokeOptions{})
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.payloads[res.RequestID] = res.Payload
	f.mu.Unlock()
	if res.FunctionError != "" && res.ErrorType == "Sandbox.Timedout" {
		return nil, fmt.Errorf("%w: %s", gateway.ErrTimeout, res.Payload)
	}
	return &gateway.Result{RequestID: res.RequestID, Payload: res.Payload, FunctionError: res.FunctionError, ContentType: res.ContentType}, nil
}

// reply is one HTTP exchange with the front door.
type reply struct {
	status    int
	header    http.Header
	body      []byte
	requestID string // the Lambda request id: the key of the decision record
	raw       []byte // what the function (or the agent for it) returned
}

// send makes one request through the front door, one at a time per
// function (the exchange that follows is this request's).
func (f *function) send(t *testing.T, method, target, contentType, body string) reply {
	t.Helper()
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return f.sendHeader(t, method, target, h, body)
}

// sendHeader is send with request headers; a browser's User-Agent unless
// header sets one.
func (f *function) sendHeader(t *testing.T, method, target string, header http.Header, body string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, f.url+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) lambdawaf-examples-test")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: b}
	select {
	case x := <-f.exchanges:
		r.requestID = x.RequestID
	case <-time.After(5 * time.Second):
		t.Fatalf("%s %s: the front door reported no exchange", method, target)
	}
	f.mu.Lock()
	r.raw = f.payloads[r.requestID]
	f.mu.Unlock()
	return r
}

// decode unmarshals a JSON reply body.
func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("reply %d %q: %v", r.status, r.body, err)
	}
}

// decision waits for the agent's decision record of a request on the
// function's log (the agent's stdout) and returns it with its raw line.
func (f *function) decision(t *testing.T, requestID string) (telemetry.Record, string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, line := range f.logs.Lines(`"kind":"decision"`) {
			if !strings.Contains(line, requestID) {
				continue
			}
			var rec telemetry.Record
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("decision record is not JSON: %v\n%s", err, line)
			}
			if rec.RequestID == requestID {
				return rec, line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no decision record for request %s", requestID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// received reports whether a stand-in runtime has logged receiving the
// invocation so far.
func (f *function) received(requestID string) bool {
	return len(f.logs.Lines(`"received":"`+requestID+`"`)) > 0
}

// waitReceived waits until the stand-in runtime's line for the invocation
// is in the log: its output reaches the log through a pipe, so the line
// can trail the invocation's result by a moment.
func (f *function) waitReceived(t *testing.T, requestID string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !f.received(requestID) {
		if time.Now().After(deadline) {
			t.Fatalf("the stand-in runtime did not report receiving invocation %s", requestID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// neverReceived checks, after a later invocation the runtime is known to
// have received (so the ordered pipe has delivered every earlier line),
// that it received none of the blocked ones.
func (f *function) neverReceived(t *testing.T, later string, blocked []string) {
	t.Helper()
	f.waitReceived(t, later)
	for _, id := range blocked {
		if f.received(id) {
			t.Errorf("the runtime received the blocked invocation %s", id)
		}
	}
}

// jsonBody marshals v for a request body.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // send "<script>" as a client would, not <
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}
