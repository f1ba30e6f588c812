package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// The agent binary inside the strict Lambda emulation, with a real
// aws-lambda-go handler (tests/handlers/echo) that reaches it through
// redirect.Start. The end-to-end suite (tests/e2e) covers every wiring;
// this is the agent's own acceptance check.

var (
	handlersMu sync.Mutex
	handlers   = map[string]string{}
)

// testHandler builds tests/handlers/<name> once per test run.
func testHandler(t *testing.T, name string) string {
	t.Helper()
	handlersMu.Lock()
	defer handlersMu.Unlock()
	if p, ok := handlers[name]; ok {
		return p
	}
	p := filepath.Join(filepath.Dir(filepath.Dir(agentBinary(t))), "task", name)
	cmd := exec.Command("go", "build", "-o", p, "github.com/lambdawaf/lambdawaf/tests/handlers/"+name)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build handler %s: %v\n%s", name, err, out)
	}
	handlers[name] = p
	return p
}

func startEmulated(t *testing.T, handler string, env map[string]string, concurrency int) (*emulator.Function, *syncBuffer, int) {
	t.Helper()
	layer := filepath.Dir(filepath.Dir(agentBinary(t))) // holds extensions/lambdawaf
	port := freePort(t)
	full := map[string]string{"LAMBDAWAF_PORT": strconv.Itoa(port), "LAMBDAWAF_EXTENSIONS_DIR": filepath.Join(layer, "extensions")}
	for k, v := range env {
		full[k] = v
	}
	logs := &syncBuffer{}
	f, err := emulator.Start(context.Background(), emulator.Config{
		Handler:     []string{testHandler(t, handler)},
		LayerDir:    layer,
		Env:         full,
		Logs:        logs,
		Concurrency: concurrency,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = f.Shutdown(ctx)
	})
	return f, logs, port
}

func TestInEmulator(t *testing.T) {
	f, logs, port := startEmulated(t, "echo", map[string]string{
		"LAMBDAWAF_TESTHOOK_BLOCK": "evil-marker",
		"LAMBDAWAF_TESTHOOK_PANIC": "panic-marker",
	}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	res, err := f.Invoke(ctx, []byte(`{"hello":"world"}`), emulator.InvokeOptions{TenantID: "tenant-7", ClientContext: `{"custom":{"k":"v"}}`})
	if err != nil {
		t.Fatal(err)
	}
	var seen struct {
		Event      json.RawMessage `json:"event"`
		RuntimeAPI string          `json:"runtimeApi"`
		TenantID   string          `json:"tenantId"`
		RequestID  string          `json:"requestId"`
	}
	if err := json.Unmarshal(res.Payload, &seen); err != nil || res.FunctionError != "" {
		t.Fatalf("result %+v (%v); logs:\n%s", res, err, logs)
	}
	if seen.RuntimeAPI != "127.0.0.1:"+strconv.Itoa(port) || string(seen.Event) != `{"hello":"world"}` || seen.TenantID != "tenant-7" || seen.RequestID != res.RequestID {
		t.Errorf("handler saw %+v", seen)
	}

	res, err = f.Invoke(ctx, []byte(`{"q":"evil-marker"}`), emulator.InvokeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FunctionError != "" || !strings.Contains(string(res.Payload), `"statusCode":403`) || strings.Contains(string(res.Payload), "evil") {
		t.Errorf("blocked invocation: %+v %s", res, res.Payload)
	}

	res, err = f.Invoke(ctx, []byte(`{"q":"panic-marker"}`), emulator.InvokeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FunctionError != "" || !strings.Contains(string(res.Payload), "panic-marker") {
		t.Errorf("panicking inspection did not fail open: %+v %s", res, res.Payload)
	}

	big := `{"b":"` + strings.Repeat("x", 5<<20) + `"}`
	res, err = f.Invoke(ctx, []byte(big), emulator.InvokeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FunctionError != "" {
		t.Errorf("5 MB event: %+v", res.ErrorType)
	}

	envs := f.Environments()
	if len(envs) != 1 {
		t.Fatalf("%d environments: the agent broke one; logs:\n%s", len(envs), logs)
	}
	ext, ok := envs[0].Extension("lambdawaf")
	if !ok || !ext.External || ext.FirstNext.IsZero() {
		t.Errorf("extension report %+v", ext)
	}
	t.Logf("init %v; agent first event/next %v after init start", envs[0].InitDuration, ext.FirstNext.Sub(envs[0].InitStart))

	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	start := time.Now()
	if err := f.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	ext, _ = f.Environments()[0].Extension("lambdawaf")
	if ext.Process.Killed {
		t.Errorf("agent was killed at shutdown instead of exiting (%s); took %v", ext.Process.ExitInfo, time.Since(start))
	}
	if strings.Contains(logs.String(), "BYPASSED") {
		t.Errorf("false bypass warning:\n%s", logs)
	}
}

func TestInEmulatorConcurrent(t *testing.T) {
	f, logs, _ := startEmulated(t, "echo", nil, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := f.Invoke(ctx, []byte(`{"sleepMs":300,"i":`+strconv.Itoa(i)+`}`), emulator.InvokeOptions{})
			if err != nil || res.FunctionError != "" {
				t.Errorf("invocation %d: %v %+v", i, err, res)
			}
		}()
	}
	wg.Wait()
	// Eight 300 ms invocations in one environment: concurrent, not queued.
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("8 concurrent invocations took %v; logs:\n%s", d, logs)
	}
}

func TestInEmulatorBypassIsReported(t *testing.T) {
	f, logs, _ := startEmulated(t, "echo", map[string]string{"TEST_HANDLER_START": "lambda"}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := f.Invoke(ctx, []byte(`{}`), emulator.InvokeOptions{}); err != nil {
		t.Fatal(err)
	}
	// The check runs bypassGrace after the INVOKE event, off the hot path.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "LAMBDAWAF IS BEING BYPASSED") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "LAMBDAWAF IS BEING BYPASSED") {
		t.Errorf("no bypass warning; logs:\n%s", logs)
	}
}

func TestInEmulatorStreaming(t *testing.T) {
	f, logs, _ := startEmulated(t, "stream", nil, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Five chunks 200 ms apart: the first must arrive long before the last
	// is written, or something on the way buffers.
	start := time.Now()
	res, err := f.Invoke(ctx, []byte(`{"chunks":5,"intervalMs":200}`), emulator.InvokeOptions{Streaming: true})
	if err != nil || res.Stream == nil {
		t.Fatalf("invoke: %v %+v; logs:\n%s", err, res, logs)
	}
	var got []byte
	buf := make([]byte, 4096)
	var firstAt time.Duration
	for {
		n, err := res.Stream.Read(buf)
		got = append(got, buf[:n]...)
		if firstAt == 0 && strings.Contains(string(got), "chunk-1") {
			firstAt = time.Since(start)
		}
		if err != nil {
			break
		}
	}
	total := time.Since(start)
	if !strings.Contains(string(got), "chunk-5") {
		t.Fatalf("stream = %q", got)
	}
	t.Logf("first chunk after %v, stream complete after %v", firstAt, total)
	if firstAt == 0 || firstAt > total-500*time.Millisecond {
		t.Errorf("first chunk at %v of %v: the stream was buffered", firstAt, total)
	}

	// A mid-stream failure reaches the caller through the error trailers.
	res, err = f.Invoke(ctx, []byte(`{"chunks":5,"intervalMs":10,"failAfter":2}`), emulator.InvokeOptions{Streaming: true})
	if err != nil || res.Stream == nil {
		t.Fatalf("invoke: %v %+v", err, res)
	}
	_, err = io.ReadAll(res.Stream)
	var se *emulator.StreamError
	if !errors.As(err, &se) || !strings.Contains(se.Type, "StreamBroken") || !strings.Contains(string(se.Body), "stream broke after 2 chunks") {
		t.Errorf("mid-stream error = %v (%+v); logs:\n%s", err, se, logs)
	}
}

func TestInEmulatorLargeResponses(t *testing.T) {
	f, logs, _ := startEmulated(t, "large", nil, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Just under Lambda's 6 MB limit (the JSON string adds two quotes).
	size := emulator.MaxPayloadSize - 2
	res, err := f.Invoke(ctx, []byte(`{"size":`+strconv.Itoa(size)+`}`), emulator.InvokeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FunctionError != "" || len(res.Payload) != size+2 {
		t.Fatalf("6 MB response: error %q, %d bytes; logs:\n%s", res.ErrorType, len(res.Payload), logs)
	}
	// Over the limit: Lambda's own error, passed through untouched.
	res, err = f.Invoke(ctx, []byte(`{"size":`+strconv.Itoa(size+1024)+`}`), emulator.InvokeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Errorf("oversized response: %+v", res.ErrorType)
	}
}
