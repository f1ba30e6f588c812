package emulator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// start runs a function whose runtime is the test binary in role handler,
// with optional test extensions, and shuts it down at the end of the test.
func start(t *testing.T, handler string, extensions []string, cfg emulator.Config) (*emulator.Function, *emulator.LogBuffer) {
	t.Helper()
	dir := t.TempDir()
	cfg.Handler = []string{roleBinary(t, filepath.Join(dir, "task"), handler)}
	if len(extensions) > 0 {
		cfg.ExtensionsDir = filepath.Join(dir, "extensions")
		for _, name := range extensions {
			roleBinary(t, cfg.ExtensionsDir, name)
		}
	}
	env := map[string]string{"GORACE": "atexit_sleep_ms=0"} // -race binaries otherwise linger 1 s at exit
	for k, v := range cfg.Env {
		env[k] = v
	}
	cfg.Env = env
	logs := &emulator.LogBuffer{}
	cfg.Logs = logs
	fn, err := emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := fn.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if t.Failed() {
			t.Logf("function logs:\n%s", logs.String())
		}
	})
	return fn, logs
}

func invoke(t *testing.T, fn *emulator.Function, payload string, opts emulator.InvokeOptions) *emulator.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := fn.Invoke(ctx, []byte(payload), opts)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	return res
}

func TestInvokePassesEveryHeaderAndEnvironment(t *testing.T) {
	fn, _ := start(t, "echo", []string{"observer"}, emulator.Config{
		FunctionName: "orders", Region: "eu-west-1", MemoryMB: 256,
		Env:         map[string]string{"CUSTOM": "yes"},
		Credentials: emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "token"},
	})
	opts := emulator.InvokeOptions{
		ClientContext:   `{"client":{"installation_id":"inst-1","app_title":"shop"},"custom":{"k":"v"},"env":{"platform":"ios"}}`,
		CognitoIdentity: `{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}`,
		TenantID:        "tenant-42",
		TraceID:         "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
	}
	res := invoke(t, fn, `{"hello":"world"}`, opts)
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s", res.ErrorType, res.Payload)
	}
	var got echoed
	if err := json.Unmarshal(res.Payload, &got); err != nil {
		t.Fatalf("decode %s: %v", res.Payload, err)
	}
	checks := []struct{ name, got, want string }{
		{"event", string(got.Event), `{"hello":"world"}`},
		{"request id", got.RequestID, res.RequestID},
		{"arn", got.ARN, "arn:aws:lambda:eu-west-1:123456789012:function:orders"},
		{"tenant", got.TenantID, "tenant-42"},
		{"client context", got.ClientContext.Client.InstallationID + "/" + got.ClientContext.Custom["k"], "inst-1/v"},
		{"cognito", got.Identity.CognitoIdentityID + "/" + got.Identity.CognitoIdentityPoolID, "id-1/pool-1"},
		{"trace env", got.TraceEnv, opts.TraceID},
		{"trace ctx", got.TraceCtx, opts.TraceID},
		{"function name", got.Env["AWS_LAMBDA_FUNCTION_NAME"], "orders"},
		{"memory", got.Env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256"},
		{"version", got.Env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST"},
		{"region", got.Env["AWS_REGION"], "eu-west-1"},
		{"handler", got.Env["_HANDLER"], "echo"},
		{"log group", got.Env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/orders"},
		{"runtime api", got.Env["AWS_LAMBDA_RUNTIME_API"], fn.Addr()},
		{"custom", got.Env["CUSTOM"], "yes"},
		{"role key", got.Env["AWS_ACCESS_KEY_ID"], "AKIDEXAMPLE"},
		{"role secret", got.Env["AWS_SECRET_ACCESS_KEY"], "secret"},
		{"role token", got.Env["AWS_SESSION_TOKEN"], "token"},
		{"max concurrency", got.MaxConcurrency, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// the deadline travels in whole milliseconds, rounded up
	if d := time.Until(time.UnixMilli(got.DeadlineMs)); d <= 0 || d > emulator.DefaultTimeout+time.Millisecond {
		t.Errorf("deadline %v from now, want within the 3 s timeout", d)
	}

	// Observability: who called what, and the extension's timings. A call
	// is logged when its handler returns, a moment after the result.
	var calls []emulator.Call
	var sawNext, sawResponse, sawRegister bool
	for deadline := time.Now().Add(2 * time.Second); !sawResponse && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		calls = fn.Calls()
		sawResponse = len(emulator.CallsTo(calls, "/response")) > 0
	}
	sawResponse = false
	for _, c := range calls {
		switch {
		case strings.HasSuffix(c.Path, "/invocation/next") && c.Caller == "runtime" && c.Status == 200:
			sawNext = true
		case strings.HasSuffix(c.Path, "/"+res.RequestID+"/response") && c.Caller == "runtime" && c.Status == 202:
			sawResponse = true
		case strings.HasSuffix(c.Path, "/extension/register") && c.Caller == "observer" && c.Status == 200:
			sawRegister = true
		}
	}
	if !sawNext || !sawResponse || !sawRegister {
		t.Errorf("call log incomplete (next %v, response %v, register %v): %+v", sawNext, sawResponse, sawRegister, calls)
	}
	envs := fn.Environments()
	if len(envs) != 1 || envs[0].InitDuration <= 0 || envs[0].InitError != nil {
		t.Fatalf("environments: %+v", envs)
	}
	ext, ok := envs[0].Extension("observer")
	if !ok || !ext.External || ext.StartToFirstNext() <= 0 || ext.Registered.Before(ext.Process.Started) || ext.FirstNext.Before(ext.Registered) {
		t.Errorf("extension report: %+v", ext)
	}
	if res.InitDuration <= 0 {
		t.Errorf("first invocation should report the init it waited for")
	}
}

func TestHandlerErrorAndPanic(t *testing.T) {
	t.Run("error", func(t *testing.T) {
		t.Parallel()
		fn, _ := start(t, "fail", nil, emulator.Config{})
		for range 2 { // the environment survives a handled error
			res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
			if res.FunctionError != "Unhandled" || res.ErrorType != "ValidationError" || !strings.Contains(string(res.Payload), "invalid sku") {
				t.Fatalf("result %+v payload %s", res, res.Payload)
			}
		}
		if n := len(fn.Environments()); n != 1 {
			t.Errorf("%d environments, want 1", n)
		}
	})
	t.Run("panic", func(t *testing.T) {
		t.Parallel()
		fn, _ := start(t, "panic", nil, emulator.Config{})
		res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
		if res.FunctionError != "Unhandled" || !strings.Contains(string(res.Payload), "boom") {
			t.Fatalf("result %+v payload %s", res, res.Payload)
		}
		// aws-lambda-go exits after a panic: the environment resets and
		// the next invocation gets a fresh one.
		res = invoke(t, fn, `{}`, emulator.InvokeOptions{})
		if res.FunctionError != "Unhandled" || !strings.Contains(string(res.Payload), "boom") {
			t.Fatalf("second result %+v payload %s", res, res.Payload)
		}
		envs := fn.Environments()
		if len(envs) != 2 || envs[0].ShutdownReason != "failure" {
			t.Errorf("want a reset after the panic, got %+v", envs)
		}
	})
}

func TestInitErrors(t *testing.T) {
	cases := []struct {
		name     string
		handler  string
		exts     []string
		env      map[string]string
		initTO   time.Duration
		wantType string
		wantMsg  string
	}{
		{"runtime reports init error", "initerror", nil, nil, 0, "Function.ConfigurationMissing", "missing setting"},
		{"runtime exits during init", "initerror", nil, map[string]string{"INIT_ERROR_MODE": "exit"}, 0, "Runtime.ExitError", "exit status 1"},
		{"extension reports init error", "echo", []string{"agent"}, map[string]string{"TESTEXT_INIT_ERROR": "1"}, 0, "Extension.ConfigInvalid", "bad config"},
		{"extension registers under a wrong name", "echo", []string{"agent"}, map[string]string{"TESTEXT_NAME": "not-the-file-name", "TESTEXT_EVENTS": "INVOKE"}, time.Second,
			"Sandbox.Timedout", `extension "agent" never registered`},
		{"wrong name with SHUTDOWN is refused", "echo", []string{"agent"}, map[string]string{"TESTEXT_NAME": "other"}, time.Second,
			"Sandbox.Timedout", `extension "agent" never registered`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fn, _ := start(t, tc.handler, tc.exts, emulator.Config{Env: tc.env, InitTimeout: tc.initTO})
			res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
			var doc struct{ ErrorMessage, ErrorType string }
			_ = json.Unmarshal(res.Payload, &doc)
			if res.FunctionError != "Unhandled" || res.ErrorType != tc.wantType || doc.ErrorType != tc.wantType || !strings.Contains(doc.ErrorMessage, tc.wantMsg) {
				t.Fatalf("result type %q payload %s, want %q containing %q", res.ErrorType, res.Payload, tc.wantType, tc.wantMsg)
			}
			env := fn.Environments()[0]
			if env.InitError == nil || env.InitError.Type != tc.wantType {
				t.Errorf("init error %v", env.InitError)
			}
		})
	}
}

func TestWrongNameMessageExplainsInternalExtension(t *testing.T) {
	fn, _ := start(t, "echo", []string{"lambdawaf"}, emulator.Config{
		InitTimeout: 500 * time.Millisecond, Env: map[string]string{"TESTEXT_NAME": "lambdawaf-extension", "TESTEXT_EVENTS": "INVOKE"},
	})
	err := fn.WaitInit(context.Background())
	var ie *emulator.InitError
	if !errors.As(err, &ie) || !strings.Contains(ie.Message, "lambdawaf-extension") || !strings.Contains(ie.Message, "internal") {
		t.Fatalf("init error %v", err)
	}
}

func TestStreamingIsIncrementalAndCarriesTrailers(t *testing.T) {
	fn, _ := start(t, "stream", nil, emulator.Config{Timeout: 10 * time.Second})

	res := invoke(t, fn, `{"Chunks":4,"IntervalMs":150}`, emulator.InvokeOptions{Streaming: true})
	if res.Stream == nil {
		t.Fatalf("no stream: %+v %s", res, res.Payload)
	}
	if res.ContentType != "application/vnd.awslambda.http-integration-response" {
		t.Errorf("content type %q", res.ContentType)
	}
	br := bufio.NewReader(res.Stream)
	prelude, err := br.ReadString(0)
	if err != nil || !strings.Contains(prelude, `"statusCode":200`) {
		t.Fatalf("prelude %q: %v", prelude, err)
	}
	if _, err := br.Discard(7); err != nil {
		t.Fatal(err)
	}
	first, err := br.ReadString('\n')
	if err != nil || first != "chunk-1\n" {
		t.Fatalf("first chunk %q: %v", first, err)
	}
	// The first chunk arrived while the handler is still writing: the
	// response has not been posted completely yet.
	if n := len(emulator.CallsTo(fn.Calls(), "/response")); n != 0 {
		t.Errorf("response already complete when the first chunk arrived")
	}
	rest, err := io.ReadAll(br)
	if err != nil || string(rest) != "chunk-2\nchunk-3\nchunk-4\n" {
		t.Fatalf("rest %q: %v", rest, err)
	}

	res = invoke(t, fn, `{"Chunks":4,"IntervalMs":10,"FailAfter":2}`, emulator.InvokeOptions{Streaming: true})
	body, err := io.ReadAll(res.Stream)
	var se *emulator.StreamError
	if !errors.As(err, &se) || se.Type != "StreamBroken" || !strings.Contains(string(se.Body), "stream broke") {
		t.Fatalf("want a StreamBroken trailer error, got %v", err)
	}
	if !strings.HasSuffix(string(body), "chunk-1\nchunk-2\n") {
		t.Errorf("body before the error %q", body)
	}

	// Buffered invocation of the same handler: the error trailer becomes
	// the function error.
	res = invoke(t, fn, `{"Chunks":3,"FailAfter":1}`, emulator.InvokeOptions{})
	if res.FunctionError != "Unhandled" || res.ErrorType != "StreamBroken" {
		t.Errorf("buffered failure %+v %s", res, res.Payload)
	}
}

func TestTimeoutResetsTheEnvironment(t *testing.T) {
	fn, logs := start(t, "echo", []string{"observer"}, emulator.Config{Timeout: 400 * time.Millisecond})
	res := invoke(t, fn, `{"sleepMs":5000}`, emulator.InvokeOptions{})
	if res.FunctionError != "Unhandled" || res.ErrorType != "Sandbox.Timedout" || !strings.Contains(string(res.Payload), "Task timed out after 0.40 seconds") {
		t.Fatalf("result %+v %s", res, res.Payload)
	}
	res = invoke(t, fn, `{"n":2}`, emulator.InvokeOptions{})
	if res.FunctionError != "" {
		t.Fatalf("after reset: %+v %s", res, res.Payload)
	}
	envs := fn.Environments()
	if len(envs) != 2 {
		t.Fatalf("%d environments, want 2", len(envs))
	}
	old := envs[0]
	if old.ShutdownReason != "timeout" || !old.Runtime.Killed {
		t.Errorf("old environment: reason %q runtime %+v", old.ShutdownReason, old.Runtime)
	}
	ext, _ := old.Extension("observer")
	if ext.ShutdownSent.IsZero() || ext.Process.Exited.IsZero() || ext.Process.Killed {
		t.Errorf("extension did not get SHUTDOWN and exit by itself: %+v", ext)
	}
	if len(logs.Lines(`"shutdownReason":"timeout"`)) != 1 {
		t.Errorf("extension should log one SHUTDOWN timeout event:\n%s", logs.String())
	}
	// The caller can have its answer before the extension logs its event.
	for deadline := time.Now().Add(2 * time.Second); len(logs.Lines(`"eventType":"INVOKE"`)) != 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("extension should see two INVOKE events")
		}
	}
}

// A handler that gives up at its context's deadline answers after the
// platform's: the invocation times out (as on AWS's emulator, which
// tests/rie compares), it does not end with the handler's own error, on
// every run.
func TestAnswerAtTheDeadlineIsATimeout(t *testing.T) {
	fn, _ := start(t, "deadline", nil, emulator.Config{Timeout: 50 * time.Millisecond})
	for i := range 20 {
		res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
		if res.ErrorType != "Sandbox.Timedout" {
			t.Fatalf("invocation %d: %s %s, want Sandbox.Timedout", i, res.ErrorType, res.Payload)
		}
	}
}

func TestShutdownBudgetKillsSlowExtensions(t *testing.T) {
	fn, _ := start(t, "echo", []string{"fast", "slow"}, emulator.Config{
		ShutdownBudget: 600 * time.Millisecond,
		Env:            map[string]string{"TESTEXT_SHUTDOWN_DELAY": "50ms"},
	})
	invoke(t, fn, `{}`, emulator.InvokeOptions{})
	// Both share the env; make "slow" slow by sending SIGSTOP-free means:
	// here both exit after 50ms, so both are measured, none killed.
	if err := fn.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	env := fn.Environments()[0]
	if env.ShutdownReason != "spindown" {
		t.Errorf("reason %q", env.ShutdownReason)
	}
	for _, ext := range env.Extensions {
		d := ext.ShutdownDuration()
		if d < 50*time.Millisecond || d > 600*time.Millisecond || ext.Process.Killed {
			t.Errorf("%s shutdown took %v (killed %v)", ext.Name, d, ext.Process.Killed)
		}
	}
}

func TestShutdownKillsExtensionOverBudget(t *testing.T) {
	fn, _ := start(t, "echo", []string{"sluggish"}, emulator.Config{
		ShutdownBudget: 300 * time.Millisecond,
		Env:            map[string]string{"TESTEXT_SHUTDOWN_DELAY": "10s"},
	})
	if err := fn.WaitInit(context.Background()); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if err := fn.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	ext, _ := fn.Environments()[0].Extension("sluggish")
	if !ext.Process.Killed {
		t.Errorf("extension over budget was not killed: %+v", ext)
	}
}

func TestConcurrencyModelsManagedInstances(t *testing.T) {
	fn, _ := start(t, "echo", []string{"observer"}, emulator.Config{Concurrency: 4})
	var wg sync.WaitGroup
	results := make([]*emulator.Result, 4)
	begin := time.Now()
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = invoke(t, fn, `{"sleepMs":400}`, emulator.InvokeOptions{})
		}()
	}
	wg.Wait()
	if err := fn.WaitInit(context.Background()); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(begin) - fn.Environments()[0].InitDuration
	if elapsed > 1200*time.Millisecond {
		t.Errorf("4 invocations of 400 ms took %v: not concurrent", elapsed)
	}
	ids := map[string]bool{}
	for _, r := range results {
		var got echoed
		if r.FunctionError != "" || json.Unmarshal(r.Payload, &got) != nil {
			t.Fatalf("result %+v %s", r, r.Payload)
		}
		if got.MaxConcurrency != "4" {
			t.Errorf("AWS_LAMBDA_MAX_CONCURRENCY = %q", got.MaxConcurrency)
		}
		ids[got.RequestID] = true
	}
	if len(ids) != 4 {
		t.Errorf("request ids not distinct: %v", ids)
	}
}

func TestRuntimeCrashMidInvoke(t *testing.T) {
	fn, _ := start(t, "echo", nil, emulator.Config{})
	res := invoke(t, fn, `{"exit":3}`, emulator.InvokeOptions{})
	if res.ErrorType != "Runtime.ExitError" || !strings.Contains(string(res.Payload), "exit status 3") {
		t.Fatalf("result %+v %s", res, res.Payload)
	}
	if res := invoke(t, fn, `{}`, emulator.InvokeOptions{}); res.FunctionError != "" {
		t.Fatalf("after crash: %s", res.Payload)
	}
}

func TestPayloadLimits(t *testing.T) {
	fn, _ := start(t, "echo", nil, emulator.Config{})
	_, err := fn.Invoke(context.Background(), make([]byte, emulator.MaxPayloadSize+1), emulator.InvokeOptions{})
	var apiErr *emulator.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 413 || apiErr.Type != "RequestEntityTooLargeException" {
		t.Fatalf("oversized request: %v", err)
	}
	_, err = fn.Invoke(context.Background(), []byte(`{"unterminated":`), emulator.InvokeOptions{})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type != "InvalidRequestContentException" {
		t.Fatalf("invalid JSON request: %v", err)
	}
	big := `{"pad":"` + strings.Repeat("a", 6_000_000) + `"}`
	res := invoke(t, fn, big, emulator.InvokeOptions{})
	if res.FunctionError != "" || len(res.Payload) < 6_000_000 {
		t.Fatalf("6 MB event: %+v", res.ErrorType)
	}
}

func TestReservedEnvironmentIsRejected(t *testing.T) {
	_, err := emulator.Start(context.Background(), emulator.Config{
		Handler: []string{"/bin/true"},
		Env:     map[string]string{"AWS_LAMBDA_RUNTIME_API": "x", "TZ": "UTC"},
	})
	if err == nil || !strings.Contains(err.Error(), "AWS_LAMBDA_RUNTIME_API,TZ") {
		t.Fatalf("err = %v", err)
	}
}

// TestRuntimeAPIIsStrict plays the runtime by hand against the emulated API.
func TestRuntimeAPIIsStrict(t *testing.T) {
	fn, err := emulator.Start(context.Background(), emulator.Config{Handler: []string{"/bin/sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Shutdown(context.Background())
	base := "http://" + fn.Addr() + "/2018-06-01/runtime/"
	do := func(method, path, body string, header map[string]string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}

	type outcome struct {
		res *emulator.Result
		err error
	}
	results := make(chan outcome, 3)
	go func() {
		r, err := fn.Invoke(context.Background(), []byte(`{"a":1}`), emulator.InvokeOptions{})
		results <- outcome{r, err}
	}()
	status, body, h := do("GET", "invocation/next", "", nil)
	id := h.Get("Lambda-Runtime-Aws-Request-Id")
	if status != 200 || body != `{"a":1}` || id == "" || h.Get("Lambda-Runtime-Deadline-Ms") == "" || h.Get("Lambda-Runtime-Trace-Id") == "" {
		t.Fatalf("next: %d %q %v", status, body, h)
	}
	steps := []struct {
		method, path string
		header       map[string]string
		body         string
		wantStatus   int
		wantType     string
	}{
		{"POST", "invocation/next", nil, "", 405, ""},
		{"GET", "invocation/" + id + "/response", nil, "", 405, ""},
		{"POST", "invocation/not-an-id/response", nil, "x", 400, "InvalidRequestID"},
		{"POST", "invocation/" + id + "/response", map[string]string{"Lambda-Runtime-Function-Response-Mode": "bogus"}, "x", 400, "InvalidFunctionResponseMode"},
		{"POST", "invocation/" + id + "/response", nil, `"ok"`, 202, ""},
		{"POST", "invocation/" + id + "/response", nil, `"again"`, 403, "InvalidStateTransition"},
		{"POST", "invocation/" + id + "/error", nil, `{}`, 403, "InvalidStateTransition"},
		{"POST", "init/error", nil, `{}`, 403, "InvalidStateTransition"},
		{"GET", "restore/next", nil, "", 403, "InvalidStateTransition"},
		{"GET", "no/such/path", nil, "", 404, ""},
	}
	for _, s := range steps {
		status, body, _ := do(s.method, s.path, s.body, s.header)
		if status != s.wantStatus || (s.wantType != "" && !strings.Contains(body, `"errorType":"`+s.wantType+`"`)) {
			t.Errorf("%s %s: %d %s, want %d %s", s.method, s.path, status, body, s.wantStatus, s.wantType)
		}
	}
	out := <-results
	if out.err != nil || string(out.res.Payload) != `"ok"` {
		t.Fatalf("invoke result %+v %v", out.res, out.err)
	}

	// An oversized buffered response: 413 to the runtime, a
	// Function.ResponseSizeTooLarge error to the caller.
	go func() {
		r, err := fn.Invoke(context.Background(), []byte(`{}`), emulator.InvokeOptions{})
		results <- outcome{r, err}
	}()
	_, _, h = do("GET", "invocation/next", "", nil)
	status, body, _ = do("POST", "invocation/"+h.Get("Lambda-Runtime-Aws-Request-Id")+"/response", strings.Repeat("a", emulator.MaxPayloadSize+1), nil)
	if status != 413 || !strings.Contains(body, "RequestEntityTooLarge") {
		t.Errorf("oversized response: %d %s", status, body)
	}
	out = <-results
	if out.err != nil || out.res.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Errorf("oversized response result %+v %v", out.res, out.err)
	}

	// An error report with its type in the header.
	go func() {
		r, err := fn.Invoke(context.Background(), []byte(`{}`), emulator.InvokeOptions{})
		results <- outcome{r, err}
	}()
	_, _, h = do("GET", "invocation/next", "", nil)
	status, _, _ = do("POST", "invocation/"+h.Get("Lambda-Runtime-Aws-Request-Id")+"/error", `{"errorMessage":"x"}`,
		map[string]string{"Lambda-Runtime-Function-Error-Type": "Custom.Failure"})
	out = <-results
	if status != 202 || out.res.ErrorType != "Custom.Failure" || out.res.FunctionError != "Unhandled" {
		t.Errorf("error report: %d %+v", status, out.res)
	}
}

func TestExtensionsAPIIsStrict(t *testing.T) {
	fn, err := emulator.Start(context.Background(), emulator.Config{Handler: []string{"/bin/sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Shutdown(context.Background())
	base := "http://" + fn.Addr() + "/2020-01-01/extension/"
	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		wantStatus               int
		wantType                 string
	}{
		{"no name", "POST", "register", `{"events":["INVOKE"]}`, nil, 403, "Extension.InvalidExtensionName"},
		{"bad event", "POST", "register", `{"events":["BOGUS"]}`, map[string]string{"Lambda-Extension-Name": "x"}, 403, "Extension.InvalidEventType"},
		{"internal with shutdown", "POST", "register", `{"events":["SHUTDOWN"]}`, map[string]string{"Lambda-Extension-Name": "x"}, 403, "Extension.InvalidEventType"},
		{"next without id", "GET", "event/next", "", nil, 403, "Extension.MissingExtensionIdentifier"},
		{"next with unknown id", "GET", "event/next", "", map[string]string{"Lambda-Extension-Identifier": "nope"}, 403, "Extension.UnknownExtensionIdentifier"},
		{"wrong method", "GET", "register", "", nil, 405, ""},
	}
	for _, tc := range cases {
		req, _ := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.wantStatus || !strings.Contains(string(b), tc.wantType) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, b, tc.wantStatus, tc.wantType)
		}
	}
}

func TestExtensionExitErrorResetsTheEnvironment(t *testing.T) {
	fn, logs := start(t, "echo", []string{"flaky"}, emulator.Config{Env: map[string]string{"TESTEXT_EXIT_ERROR": "1"}})
	// The invocation may finish before or after the extension dies; either
	// way the environment must be reset and the error type recorded.
	invoke(t, fn, `{"sleepMs":200}`, emulator.InvokeOptions{})
	if res := invoke(t, fn, `{}`, emulator.InvokeOptions{}); res.FunctionError != "" && res.ErrorType != "Extension.Fatal" {
		t.Errorf("second invocation: %s %s", res.ErrorType, res.Payload)
	}
	if len(logs.Lines("exit/error status 202")) == 0 {
		t.Errorf("exit/error was not accepted:\n%s", logs.String())
	}
	env := fn.Environments()[0]
	ext, _ := env.Extension("flaky")
	if env.ShutdownReason != "failure" || ext.ErrorType != "Extension.Fatal" {
		t.Errorf("reason %q, extension error %q", env.ShutdownReason, ext.ErrorType)
	}
}

// TestExecWrapperOnlyOnManagedRuntimes checks AWS_LAMBDA_EXEC_WRAPPER runs
// the runtime through the wrapper (resolved from /opt in LayerDir) on a
// managed runtime and is ignored on provided.al2023, as on Lambda.
func TestExecWrapperOnlyOnManagedRuntimes(t *testing.T) {
	layer := t.TempDir()
	wrapper := "#!/bin/sh\nexport WRAPPED=\"via $0\"\nexec \"$@\"\n"
	if err := os.WriteFile(filepath.Join(layer, "wrapper"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ runtime, want string }{
		{"python3.13", "via " + filepath.Join(layer, "wrapper")},
		{"provided.al2023", ""},
	}
	for _, tc := range cases {
		t.Run(tc.runtime, func(t *testing.T) {
			fn, _ := start(t, "echo", nil, emulator.Config{Runtime: tc.runtime, LayerDir: layer,
				Env: map[string]string{"AWS_LAMBDA_EXEC_WRAPPER": "/opt/wrapper"}})
			var got echoed
			res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
			if err := json.Unmarshal(res.Payload, &got); err != nil {
				t.Fatalf("%s: %v", res.Payload, err)
			}
			if got.Env["WRAPPED"] != tc.want {
				t.Errorf("WRAPPED = %q, want %q", got.Env["WRAPPED"], tc.want)
			}
		})
	}
}

// TestInternalExtensionJoinsInit plays a runtime that starts an internal
// extension: it registers during runtime init, Init waits for its first
// event/next, and registration closes once the runtime is ready.
func TestInternalExtensionJoinsInit(t *testing.T) {
	fn, err := emulator.Start(context.Background(), emulator.Config{Handler: []string{"/bin/sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	defer fn.Shutdown(context.Background())
	api := "http://" + fn.Addr()
	register := func(name string) *http.Response {
		req, _ := http.NewRequest("POST", api+"/2020-01-01/extension/register", strings.NewReader(`{"events":["INVOKE"]}`))
		req.Header.Set("Lambda-Extension-Name", name)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp := register("inproc")
	if resp.StatusCode != 200 {
		t.Fatalf("internal registration: %d", resp.StatusCode)
	}
	id := resp.Header.Get("Lambda-Extension-Identifier")

	nextDone := make(chan struct{})
	go func() { // the runtime's first next
		defer close(nextDone)
		req, _ := http.NewRequestWithContext(t.Context(), "GET", api+"/2018-06-01/runtime/invocation/next", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := fn.WaitInit(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Init finished before the internal extension called event/next: %v", err)
	}
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", api+"/2020-01-01/extension/event/next", nil)
		req.Header.Set("Lambda-Extension-Identifier", id)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	if err := fn.WaitInit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if resp := register("late"); resp.StatusCode != 403 {
		t.Errorf("registration after Init: %d, want 403", resp.StatusCode)
	}
	env := fn.Environments()[0]
	if ext, ok := env.Extension("inproc"); !ok || ext.External || ext.FirstNext.IsZero() {
		t.Errorf("internal extension report %+v", ext)
	}
}

// TestShutdownDuringInitLeavesNoProcess spins the function down while it is
// still initialising: every process it started must be gone.
func TestShutdownDuringInitLeavesNoProcess(t *testing.T) {
	fn, _ := start(t, "echo", []string{"a", "b"}, emulator.Config{})
	if err := fn.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, env := range fn.Environments() {
		procs := []emulator.ProcessReport{env.Runtime}
		for _, ext := range env.Extensions {
			procs = append(procs, ext.Process)
		}
		for _, p := range procs {
			if p.PID != 0 && p.Exited.IsZero() {
				t.Errorf("process %s (%d) still running after Shutdown", p.Name, p.PID)
			}
		}
	}
	if _, err := fn.Invoke(context.Background(), []byte(`{}`), emulator.InvokeOptions{}); err == nil {
		t.Errorf("Invoke after Shutdown succeeded")
	}
}
