package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The test binary doubles as the processes the emulator runs: linked under
// a role name (echo, fail, ...) or placed in an extensions directory, it
// plays that role instead of running tests. That keeps the unit tests free of separate builds.
func TestMain(m *testing.M) {
	if filepath.Base(filepath.Dir(os.Args[0])) == "extensions" {
		extensionMain()
		return
	}
	switch filepath.Base(os.Args[0]) {
	case "echo":
		lambda.Start(echo)
	case "fail":
		lambda.Start(func(context.Context, json.RawMessage) (string, error) {
			return "", &ValidationError{Field: "sku"}
		})
	case "panic":
		lambda.Start(func(context.Context, json.RawMessage) (string, error) { panic("boom") })
	case "initerror":
		initError()
	case "stream":
		lambda.Start(stream)
	case "deadline":
		// Gives up when its context's deadline (Lambda-Runtime-Deadline-Ms)
		// passes, as handlers that honour ctx do.
		lambda.Start(func(ctx context.Context, _ json.RawMessage) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		})
	default:
		os.Exit(m.Run())
	}
}

// roleBinary links the test binary into dir under a role name.
func roleBinary(t *testing.T, dir, role string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, role)
	if err := os.Symlink(exe, path); err != nil {
		t.Fatal(err)
	}
	return path
}

type ValidationError struct{ Field string }

func (e *ValidationError) Error() string { return "invalid " + e.Field }

type echoed struct {
	Event          json.RawMessage               `json:"event"`
	RequestID      string                        `json:"requestId"`
	ARN            string                        `json:"arn"`
	TenantID       string                        `json:"tenantId"`
	ClientContext  lambdacontext.ClientContext   `json:"clientContext"`
	Identity       lambdacontext.CognitoIdentity `json:"identity"`
	TraceEnv       string                        `json:"traceEnv"`
	TraceCtx       string                        `json:"traceCtx"`
	DeadlineMs     int64                         `json:"deadlineMs"`
	MaxConcurrency string                        `json:"maxConcurrency"`
	Env            map[string]string             `json:"env"`
}

func echo(ctx context.Context, event json.RawMessage) (*echoed, error) {
	var in struct {
		SleepMs int `json:"sleepMs"`
		Exit    int `json:"exit"`
	}
	_ = json.Unmarshal(event, &in)
	if in.Exit != 0 {
		os.Exit(in.Exit)
	}
	// The sleep ignores ctx on purpose: a stuck handler.
	time.Sleep(time.Duration(in.SleepMs) * time.Millisecond)
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	trace, _ := ctx.Value("x-amzn-trace-id").(string)
	env := map[string]string{}
	for _, k := range []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_REGION", "LAMBDA_TASK_ROOT", "_HANDLER", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_RUNTIME_API", "CUSTOM", "WRAPPED",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		env[k] = os.Getenv(k)
	}
	return &echoed{
		Event: event, RequestID: lc.AwsRequestID, ARN: lc.InvokedFunctionArn, TenantID: lc.TenantID,
		ClientContext: lc.ClientContext, Identity: lc.Identity, TraceEnv: os.Getenv("_X_AMZN_TRACE_ID"),
		TraceCtx: trace, DeadlineMs: deadline.UnixMilli(), MaxConcurrency: os.Getenv("AWS_LAMBDA_MAX_CONCURRENCY"), Env: env,
	}, nil
}

type StreamBroken struct{}

func (StreamBroken) Error() string { return "stream broke" }

func stream(ctx context.Context, event json.RawMessage) (*events.LambdaFunctionURLStreamingResponse, error) {
	var in struct {
		Chunks, IntervalMs, FailAfter int
	}
	_ = json.Unmarshal(event, &in)
	pr, pw := io.Pipe()
	go func() {
		for i := 1; i <= in.Chunks; i++ {
			if in.FailAfter > 0 && i > in.FailAfter {
				pw.CloseWithError(StreamBroken{})
				return
			}
			fmt.Fprintf(pw, "chunk-%d\n", i)
			time.Sleep(time.Duration(in.IntervalMs) * time.Millisecond)
		}
		pw.Close()
	}()
	return &events.LambdaFunctionURLStreamingResponse{StatusCode: 200, Body: pr}, nil
}

func initError() {
	req, _ := http.NewRequest(http.MethodPost, "http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error",
		strings.NewReader(`{"errorMessage":"missing setting","errorType":"Function.ConfigurationMissing"}`))
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Function.ConfigurationMissing")
	if os.Getenv("INIT_ERROR_MODE") != "exit" {
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	os.Exit(1)
}

// extensionMain is a minimal external extension: it registers (under
// TESTEXT_NAME, default its file name) for TESTEXT_EVENTS, logs every event
// it gets, and exits TESTEXT_SHUTDOWN_DELAY after SHUTDOWN.
func extensionMain() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2020-01-01/extension/"
	name := os.Getenv("TESTEXT_NAME")
	if name == "" {
		name = filepath.Base(os.Args[0])
	}
	evs := os.Getenv("TESTEXT_EVENTS")
	if evs == "" {
		evs = "INVOKE,SHUTDOWN"
	}
	body, _ := json.Marshal(map[string][]string{"events": strings.Split(evs, ",")})
	req, _ := http.NewRequest(http.MethodPost, api+"register", bytes.NewReader(body))
	req.Header.Set("Lambda-Extension-Name", name)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println("testext: register:", err)
		os.Exit(1)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Println("testext: register status", resp.StatusCode)
		// Hang like a process that cannot go on; Init must time out.
		select {}
	}
	id := resp.Header.Get("Lambda-Extension-Identifier")
	if os.Getenv("TESTEXT_INIT_ERROR") != "" {
		req, _ := http.NewRequest(http.MethodPost, api+"init/error", strings.NewReader(`{"errorMessage":"bad config"}`))
		req.Header.Set("Lambda-Extension-Identifier", id)
		req.Header.Set("Lambda-Extension-Function-Error-Type", "Extension.ConfigInvalid")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		os.Exit(1)
	}
	for {
		req, _ := http.NewRequest(http.MethodGet, api+"event/next", nil)
		req.Header.Set("Lambda-Extension-Identifier", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			os.Exit(2)
		}
		ev, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("testext event: %s\n", ev)
		var e struct{ EventType string }
		_ = json.Unmarshal(ev, &e)
		if e.EventType == "INVOKE" && os.Getenv("TESTEXT_EXIT_ERROR") != "" {
			req, _ := http.NewRequest(http.MethodPost, api+"exit/error", strings.NewReader(`{"errorMessage":"lost my state"}`))
			req.Header.Set("Lambda-Extension-Identifier", id)
			req.Header.Set("Lambda-Extension-Function-Error-Type", "Extension.Fatal")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				fmt.Println("testext: exit/error status", resp.StatusCode)
				resp.Body.Close()
			}
			os.Exit(1)
		}
		if e.EventType == "SHUTDOWN" {
			d, _ := time.ParseDuration(os.Getenv("TESTEXT_SHUTDOWN_DELAY"))
			time.Sleep(d)
			os.Exit(0)
		}
	}
}
