package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// seen is the echo handler's answer (tests/handlers/echo).
type seen struct {
	Event              json.RawMessage `json:"event"`
	RequestID          string          `json:"requestId"`
	InvokedFunctionArn string          `json:"invokedFunctionArn"`
	TenantID           string          `json:"tenantId"`
	DeadlineMs         int64           `json:"deadlineMs"`
	ClientContext      struct {
		Client struct {
			InstallationID string `json:"installation_id"`
			AppTitle       string `json:"app_title"`
		} `json:"Client"`
		Custom map[string]string `json:"custom"`
	} `json:"clientContext"`
	Identity struct {
		CognitoIdentityID     string `json:"cognitoIdentityId"`
		CognitoIdentityPoolID string `json:"cognitoIdentityPoolId"`
	} `json:"identity"`
	TraceEnv       string `json:"traceEnv"`
	TraceContext   string `json:"traceContext"`
	FunctionName   string `json:"functionName"`
	RuntimeAPI     string `json:"runtimeApi"`
	MaxConcurrency int    `json:"maxConcurrency"`
}

func decodeSeen(t *testing.T, res *emulator.Result) seen {
	t.Helper()
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s", res.ErrorType, res.Payload)
	}
	var s seen
	if err := json.Unmarshal(res.Payload, &s); err != nil {
		t.Fatalf("decode %s: %v", res.Payload, err)
	}
	return s
}

// eventuallyCallers waits (briefly) until the calls ending in suffix, by
// caller, satisfy ok: a call is logged when its handler returns, which can
// be just after the caller already has the invocation's result.
func eventuallyCallers(t *testing.T, fn *emulator.Function, suffix string, ok func(map[string]int) bool) map[string]int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		by := callersOf(fn.Calls(), suffix)
		if ok(by) || time.Now().After(deadline) {
			return by
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// callersOf returns who made the calls whose path ends in suffix.
func callersOf(calls []emulator.Call, suffix string) map[string]int {
	out := map[string]int{}
	for _, c := range emulator.CallsTo(calls, suffix) {
		out[c.Caller]++
	}
	return out
}

// TestEveryHeaderReachesTheHandlerThroughTheAgent runs the echo handler
// behind the agent with each wiring and checks that every invocation
// header arrives intact and that the runtime's calls reached the emulated
// Runtime API only through the agent.
func TestEveryHeaderReachesTheHandlerThroughTheAgent(t *testing.T) {
	opts := emulator.InvokeOptions{
		ClientContext:   `{"client":{"installation_id":"inst-7","app_title":"shop"},"custom":{"cart":"42"},"env":{"platform":"android"}}`,
		CognitoIdentity: `{"cognitoIdentityId":"eu-west-1:abc","cognitoIdentityPoolId":"eu-west-1:pool"}`,
		TenantID:        "tenant-blue",
		TraceID:         "Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=1",
	}
	for _, w := range []wiring{viaRedirect, viaWrapper, viaBootstrap} {
		t.Run(string(w), func(t *testing.T) {
			t.Parallel()
			fn, _ := startFunction(t, setup{handler: "echo", wiring: w, cfg: emulator.Config{FunctionName: "orders"}})
			for i := range 2 {
				res := invoke(t, fn, `{"n":`+string(rune('0'+i))+`,"unicode":"é✓"}`, opts)
				got := decodeSeen(t, res)
				checks := []struct{ name, got, want string }{
					{"event", string(got.Event), `{"n":` + string(rune('0'+i)) + `,"unicode":"é✓"}`},
					{"request id", got.RequestID, res.RequestID},
					{"function arn", got.InvokedFunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:orders"},
					{"tenant id", got.TenantID, "tenant-blue"},
					{"client context", got.ClientContext.Client.InstallationID + "|" + got.ClientContext.Custom["cart"], "inst-7|42"},
					{"cognito identity", got.Identity.CognitoIdentityID + "|" + got.Identity.CognitoIdentityPoolID, "eu-west-1:abc|eu-west-1:pool"},
					{"trace id (env)", got.TraceEnv, opts.TraceID},
					{"trace id (context)", got.TraceContext, opts.TraceID},
					{"function name", got.FunctionName, "orders"},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
					}
				}
				// the deadline travels in whole milliseconds, rounded up
				if d := time.Until(time.UnixMilli(got.DeadlineMs)); d <= 0 || d > emulator.DefaultTimeout+time.Millisecond {
					t.Errorf("deadline %v away", d)
				}
				if !strings.HasPrefix(got.RuntimeAPI, "127.0.0.1:") || got.RuntimeAPI == fn.Addr() {
					t.Errorf("handler's AWS_LAMBDA_RUNTIME_API = %q: not the agent", got.RuntimeAPI)
				}
			}
			calls := fn.Calls()
			for _, suffix := range []string{"/invocation/next", "/response"} {
				if by := callersOf(calls, suffix); by["runtime"] != 0 || by["lambdawaf"] == 0 {
					t.Errorf("%s calls by %v: want them all through the agent", suffix, by)
				}
			}
			ext, ok := fn.Environments()[0].Extension("lambdawaf")
			if !ok || !ext.External || ext.FirstNext.IsZero() {
				t.Errorf("agent did not register and reach event/next: %+v", ext)
			}
		})
	}
}

func TestHandlerErrorsReachTheCaller(t *testing.T) {
	cases := []struct {
		handler, wantType, wantMsg string
	}{
		{"fail", "ValidationError", "invalid field: sku"},
		{"panic", "string", "handler panicked on purpose"},
	}
	for _, tc := range cases {
		t.Run(tc.handler, func(t *testing.T) {
			t.Parallel()
			fn, _ := startFunction(t, setup{handler: tc.handler})
			for range 2 { // the second one runs after the panic's reset
				res := invoke(t, fn, `{"field":"sku"}`, emulator.InvokeOptions{})
				var doc struct{ ErrorMessage, ErrorType string }
				if err := json.Unmarshal(res.Payload, &doc); err != nil {
					t.Fatalf("error document %s: %v", res.Payload, err)
				}
				if res.FunctionError != "Unhandled" || res.ErrorType != tc.wantType || doc.ErrorType != tc.wantType || doc.ErrorMessage != tc.wantMsg {
					t.Fatalf("got %s %s %s, want %s %q", res.FunctionError, res.ErrorType, res.Payload, tc.wantType, tc.wantMsg)
				}
			}
			if by := eventuallyCallers(t, fn, "/error", func(by map[string]int) bool { return by["lambdawaf"] == 2 }); by["lambdawaf"] != 2 {
				t.Errorf("error reports by %v, want 2 through the agent", by)
			}
		})
	}
}

func TestInitErrorThroughTheAgent(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "initerror"})
	res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
	if res.FunctionError != "Unhandled" || res.ErrorType != "Function.ConfigurationMissing" || !strings.Contains(string(res.Payload), "REQUIRED_SETTING is not set") {
		t.Fatalf("got %s %s", res.ErrorType, res.Payload)
	}
	if by := eventuallyCallers(t, fn, "/runtime/init/error", func(by map[string]int) bool { return by["lambdawaf"] == 1 }); by["lambdawaf"] != 1 {
		t.Errorf("init/error by %v, want through the agent", by)
	}
	// The failed environment is reset and the agent starts again cleanly.
	invoke(t, fn, `{}`, emulator.InvokeOptions{})
	envs := fn.Environments()
	if len(envs) < 2 || envs[0].ShutdownReason != "failure" {
		t.Fatalf("environments %+v", envs)
	}
	if ext, ok := envs[1].Extension("lambdawaf"); !ok || ext.Registered.IsZero() {
		t.Errorf("agent did not register again after the reset: %+v", ext)
	}
}

func TestStreamedResponseWithMidStreamErrorThroughTheAgent(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "stream", cfg: emulator.Config{Timeout: 10 * time.Second}})

	res := invoke(t, fn, `{"chunks":3,"intervalMs":300,"failAfter":2}`, emulator.InvokeOptions{Streaming: true})
	if res.Stream == nil {
		t.Fatalf("not streamed: %s %s", res.ErrorType, res.Payload)
	}
	if res.ContentType != "application/vnd.awslambda.http-integration-response" {
		t.Errorf("content type %q", res.ContentType)
	}
	br := bufio.NewReader(res.Stream)
	prelude, err := br.ReadBytes(0)
	if err != nil || !strings.Contains(string(prelude), `"statusCode":200`) {
		t.Fatalf("prelude %q: %v", prelude, err)
	}
	if _, err := br.Discard(7); err != nil {
		t.Fatal(err)
	}
	first, err := br.ReadString('\n')
	if err != nil || first != "chunk-1\n" {
		t.Fatalf("first chunk %q: %v", first, err)
	}
	// Not buffered by the agent: the first chunk is here while the handler
	// is still writing, so the response has not completed upstream.
	if n := len(emulator.CallsTo(fn.Calls(), "/response")); n != 0 {
		t.Errorf("first chunk arrived only after the whole response")
	}
	rest, err := io.ReadAll(br)
	var se *emulator.StreamError
	if !errors.As(err, &se) || se.Type != "StreamBrokenError" || !strings.Contains(string(se.Body), "stream broke after 2 chunks") {
		t.Fatalf("want the StreamBrokenError trailers intact, got %v", err)
	}
	if string(rest) != "chunk-2\n" {
		t.Errorf("rest of the stream %q", rest)
	}

	res = invoke(t, fn, `{"chunks":3,"intervalMs":1}`, emulator.InvokeOptions{Streaming: true})
	body, err := io.ReadAll(res.Stream)
	if err != nil || !strings.HasSuffix(string(body), "chunk-1\nchunk-2\nchunk-3\n") {
		t.Errorf("clean stream %q: %v", body, err)
	}
}

func TestSixMegabyteEventAndResponse(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "large"})
	const size = 6_000_000
	event := `{"pad":"` + strings.Repeat("p", size) + `"}`
	res := invoke(t, fn, event, emulator.InvokeOptions{})
	if res.FunctionError != "" || string(res.Payload) != `"event bytes: `+itoa(len(event))+`"` {
		t.Fatalf("6 MB event: %s %.200s", res.ErrorType, res.Payload)
	}
	res = invoke(t, fn, `{"size":6000000}`, emulator.InvokeOptions{})
	if res.FunctionError != "" || len(res.Payload) != size+2 || strings.Trim(string(res.Payload), `"x`) != "" {
		t.Fatalf("6 MB response: %s, %d bytes", res.ErrorType, len(res.Payload))
	}
	// Over the limit, Lambda's error, also through the agent.
	res = invoke(t, fn, `{"size":7000000}`, emulator.InvokeOptions{})
	if res.ErrorType != "Function.ResponseSizeTooLarge" {
		t.Errorf("7 MB response: %s %.200s", res.ErrorType, res.Payload)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTimeoutResetsAndTheAgentReinitialises(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "slow", cfg: emulator.Config{Timeout: time.Second},
		env: map[string]string{"SLOW_HANDLER_SLEEP": "1h"}})
	res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
	if res.ErrorType != "Sandbox.Timedout" {
		t.Fatalf("got %s %s", res.ErrorType, res.Payload)
	}
	if err := fn.WaitInit(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The reset is asynchronous: the new environment may still be on its
	// way when the old one's init is reported done.
	envs := fn.Environments()
	for deadline := time.Now().Add(5 * time.Second); len(envs) < 2 && time.Now().Before(deadline); envs = fn.Environments() {
		time.Sleep(10 * time.Millisecond)
	}
	if len(envs) != 2 || envs[0].ShutdownReason != "timeout" {
		t.Fatalf("environments: %+v", envs)
	}
	old, _ := envs[0].Extension("lambdawaf")
	if old.ShutdownSent.IsZero() || old.Process.Killed || old.ShutdownDuration() > 1500*time.Millisecond {
		t.Errorf("agent shutdown after timeout: sent %v, took %v, killed %v", old.ShutdownSent, old.ShutdownDuration(), old.Process.Killed)
	}
	fresh, ok := envs[1].Extension("lambdawaf")
	if !ok || fresh.Registered.IsZero() || fresh.FirstNext.IsZero() || envs[1].InitError != nil {
		t.Fatalf("agent did not re-register cleanly: %+v %v", fresh, envs[1].InitError)
	}
	if fresh.Process.PID == old.Process.PID {
		t.Errorf("the agent process was not restarted")
	}
}

func TestShutdownIsHandledWithinBudget(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "echo"})
	invoke(t, fn, `{}`, emulator.InvokeOptions{})
	if err := fn.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	env := fn.Environments()[0]
	agent, _ := env.Extension("lambdawaf")
	d := agent.ShutdownDuration()
	t.Logf("agent exited %v after SHUTDOWN", d)
	if env.ShutdownReason != "spindown" || agent.ShutdownSent.IsZero() || agent.Process.Killed || d <= 0 || d >= 1500*time.Millisecond {
		t.Errorf("shutdown: reason %q, sent %v, killed %v, took %v (want < 1.5 s)", env.ShutdownReason, agent.ShutdownSent, agent.Process.Killed, d)
	}
}

func TestEightConcurrentInvocations(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "echo", cfg: emulator.Config{Concurrency: 8}})
	if err := fn.WaitInit(t.Context()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*emulator.Result, 8)
	begin := time.Now()
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = invoke(t, fn, `{"sleepMs":500,"i":`+itoa(i)+`}`, emulator.InvokeOptions{})
		}()
	}
	wg.Wait()
	if elapsed := time.Since(begin); elapsed > 2*time.Second {
		t.Errorf("8 × 500 ms took %v: the invocations did not overlap", elapsed)
	}
	ids := map[string]bool{}
	for i, r := range results {
		got := decodeSeen(t, r)
		var ev struct{ I int }
		_ = json.Unmarshal(got.Event, &ev)
		if ev.I != i || got.RequestID != r.RequestID || got.MaxConcurrency != 8 {
			t.Errorf("result %d: event %s, id %s/%s, max concurrency %d", i, got.Event, got.RequestID, r.RequestID, got.MaxConcurrency)
		}
		ids[got.RequestID] = true
	}
	if len(ids) != 8 {
		t.Errorf("%d distinct request ids", len(ids))
	}
	if by := eventuallyCallers(t, fn, "/response", func(by map[string]int) bool { return by["lambdawaf"] == 8 }); by["lambdawaf"] != 8 {
		t.Errorf("responses by %v", by)
	}
}

func TestBlockedEventIsAnsweredByTheAgent(t *testing.T) {
	seenDir := t.TempDir()
	fn, _ := startFunction(t, setup{handler: "echo", env: map[string]string{
		"LAMBDAWAF_TESTHOOK_BLOCK": "evil-payload",
		"HANDLER_SEEN_DIR":         seenDir,
	}})
	blocked := invoke(t, fn, `{"q":"evil-payload"}`, emulator.InvokeOptions{})
	if blocked.FunctionError != "" || !strings.Contains(string(blocked.Payload), `"statusCode":403`) || strings.Contains(string(blocked.Payload), "evil-payload") {
		t.Fatalf("block response %s %s", blocked.ErrorType, blocked.Payload)
	}
	allowed := invoke(t, fn, `{"q":"fine"}`, emulator.InvokeOptions{})
	decodeSeen(t, allowed)

	if _, err := os.Stat(filepath.Join(seenDir, blocked.RequestID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the handler saw the blocked event (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(seenDir, allowed.RequestID+".json")); err != nil {
		t.Errorf("the handler did not see the allowed event: %v", err)
	}
	// The agent, not the runtime, answered the blocked invocation.
	if by := eventuallyCallers(t, fn, "/"+blocked.RequestID+"/response", func(by map[string]int) bool { return by["lambdawaf"] == 1 }); by["lambdawaf"] != 1 || len(by) != 1 {
		t.Errorf("blocked invocation answered by %v", by)
	}
}

func TestPanicInsideInspectionLetsTheEventThrough(t *testing.T) {
	fn, logs := startFunction(t, setup{handler: "echo", env: map[string]string{"LAMBDAWAF_TESTHOOK_PANIC": "kaboom"}})
	res := invoke(t, fn, `{"q":"kaboom"}`, emulator.InvokeOptions{})
	if got := decodeSeen(t, res); string(got.Event) != `{"q":"kaboom"}` {
		t.Errorf("event %s", got.Event)
	}
	if !strings.Contains(strings.ToLower(logs.String()), "panic") {
		t.Errorf("the agent did not log the inspection panic")
	}
	// The agent survives and keeps working.
	decodeSeen(t, invoke(t, fn, `{"q":"next"}`, emulator.InvokeOptions{}))
}

func TestRuntimeBypassingTheAgentIsReported(t *testing.T) {
	fn, logs := startFunction(t, setup{handler: "echo", wiring: bypassAgent})
	res := invoke(t, fn, `{}`, emulator.InvokeOptions{})
	if got := decodeSeen(t, res); got.RuntimeAPI != fn.Addr() {
		t.Fatalf("runtime API %s: the handler was redirected after all", got.RuntimeAPI)
	}
	if by := eventuallyCallers(t, fn, "/response", func(by map[string]int) bool { return by["runtime"] == 1 }); by["runtime"] != 1 {
		t.Errorf("responses by %v, want straight from the runtime", by)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(logs.Lines("BYPASSED")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no bypass warning in the agent's log")
		}
		time.Sleep(50 * time.Millisecond)
	}
	line := logs.Lines("BYPASSED")[0]
	var rec map[string]any
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["request_id"] != res.RequestID {
		t.Errorf("bypass warning %s", line)
	}
}

// TestOrdersAPIBehindTheAgent drives the demo handler with HTTP API (v2)
// events: a create, a read, and an attack the test hook blocks.
func TestOrdersAPIBehindTheAgent(t *testing.T) {
	fn, _ := startFunction(t, setup{handler: "orders", env: map[string]string{"LAMBDAWAF_TESTHOOK_BLOCK": "UNION SELECT"}})
	request := func(method, path, body string) map[string]any {
		t.Helper()
		ev, _ := json.Marshal(map[string]any{
			"version": "2.0", "routeKey": "$default", "rawPath": path, "body": body,
			"headers":        map[string]string{"content-type": "application/json"},
			"requestContext": map[string]any{"http": map[string]string{"method": method, "path": path, "sourceIp": "203.0.113.9"}},
		})
		res := invoke(t, fn, string(ev), emulator.InvokeOptions{})
		var out map[string]any
		if res.FunctionError != "" || json.Unmarshal(res.Payload, &out) != nil {
			t.Fatalf("%s %s: %s %s", method, path, res.ErrorType, res.Payload)
		}
		return out
	}
	created := request("POST", "/orders", `{"customer":"c-1","sku":"SKU-1","quantity":2}`)
	if created["statusCode"] != float64(201) {
		t.Fatalf("create: %v", created)
	}
	var order struct{ ID string }
	_ = json.Unmarshal([]byte(created["body"].(string)), &order)
	if got := request("GET", "/orders/"+order.ID, ""); got["statusCode"] != float64(200) || !strings.Contains(got["body"].(string), "SKU-1") {
		t.Errorf("read: %v", got)
	}
	if got := request("GET", "/orders/1 UNION SELECT password FROM users", ""); got["statusCode"] != float64(403) {
		t.Errorf("attack not blocked: %v", got)
	}
}

// TestFirewallBlocksAttacksBeforeTheHandler sends HTTP API events with
// real attacks (no test hook: the production inspector decides) and checks
// that each is answered by the agent with a block response that does not
// reflect the input, while the benign request reaches the handler.
func TestFirewallBlocksAttacksBeforeTheHandler(t *testing.T) {
	seenDir := t.TempDir()
	fn, _ := startFunction(t, setup{handler: "echo", env: map[string]string{"HANDLER_SEEN_DIR": seenDir}})
	cases := []struct {
		name, query, body string
		blocked           bool
	}{
		{"benign", "page=2", `{"sku":"SKU-1","quantity":2}`, false},
		{"sql injection in the query", "id=1%27%20OR%20%271%27%3D%271", `{}`, true},
		{"xss in a JSON body", "", `{"note":"<script>alert(document.cookie)</script>"}`, true},
		{"path traversal in the body", "", `{"file":"../../../../etc/passwd"}`, true},
	}
	for _, tc := range cases {
		res := invoke(t, fn, httpEvent(tc.query, tc.body), emulator.InvokeOptions{})
		_, statErr := os.Stat(filepath.Join(seenDir, res.RequestID+".json"))
		handlerSaw := statErr == nil
		if handlerSaw == tc.blocked {
			t.Errorf("%s: handler saw it = %v, want blocked = %v (%s)", tc.name, handlerSaw, tc.blocked, res.Payload)
		}
		if tc.blocked {
			var resp struct {
				StatusCode int    `json:"statusCode"`
				Body       string `json:"body"`
			}
			if err := json.Unmarshal(res.Payload, &resp); err != nil || resp.StatusCode != 403 {
				t.Errorf("%s: block response %s", tc.name, res.Payload)
			}
			for _, fragment := range []string{"script", "passwd", "OR"} {
				if strings.Contains(string(res.Payload), fragment) {
					t.Errorf("%s: block response reflects input %q: %s", tc.name, fragment, res.Payload)
				}
			}
		}
	}
}
