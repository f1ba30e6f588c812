package local

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// TestBuiltInBootstrapsSpeakTheRuntimeAPI runs each built-in bootstrap in
// the emulation (without the agent: this is about the runtime side) and
// checks the documented context object, the handler styles and the error
// document of each language.
func TestBuiltInBootstrapsSpeakTheRuntimeAPI(t *testing.T) {
	tests := []struct {
		runtime, interpreter, dir, module string
		handlers                          map[string]string // export → role
		errorType, traceKey               string
	}{
		{"python3.12", "python3", "testdata/python", "ctx", map[string]string{"context_fields": "context", "fail": "error"}, "ValueError", "stackTrace"},
		{"nodejs22.x", "node", "testdata/node", "ctx", map[string]string{"contextFields": "context", "callback": "callback", "fail": "error"}, "TypeError", "trace"},
	}
	for _, tt := range tests {
		t.Run(tt.runtime, func(t *testing.T) {
			if _, err := exec.LookPath(tt.interpreter); err != nil {
				t.Fatalf("%s is needed (CI installs it): %v", tt.interpreter, err)
			}
			rt, _ := ParseRuntime(tt.runtime)
			for export, role := range tt.handlers {
				t.Run(export, func(t *testing.T) {
					f, err := ManagedFunction(t.Context(), rt, tt.module+"."+export, tt.dir, t.TempDir())
					if err != nil {
						t.Fatal(err)
					}
					logs := &emulator.LogBuffer{}
					fn, err := emulator.Start(t.Context(), emulator.Config{
						Handler: f.Command, HandlerName: f.HandlerName, TaskRoot: f.TaskRoot, Runtime: rt.ID,
						FunctionName: "orders", MemoryMB: 256, Timeout: 5 * time.Second, Logs: logs,
						Env: map[string]string{"PYTHONDONTWRITEBYTECODE": "1"},
					})
					if err != nil {
						t.Fatal(err)
					}
					defer func() {
						ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
						defer cancel()
						fn.Shutdown(ctx)
					}()
					res, err := fn.Invoke(t.Context(), []byte(`{"n":1}`), emulator.InvokeOptions{ClientContext: `{"custom":{"tenant":"t1"}}`})
					if err != nil {
						t.Fatalf("%v\nlogs:\n%s", err, logs)
					}
					var doc map[string]any
					if err := json.Unmarshal(res.Payload, &doc); err != nil {
						t.Fatalf("payload %s: %v", res.Payload, err)
					}
					switch role {
					case "context":
						if res.FunctionError != "" {
							t.Fatalf("function error %s: %s\nlogs:\n%s", res.ErrorType, res.Payload, logs)
						}
						want := map[string]any{
							"aws_request_id": res.RequestID, "function_name": "orders", "log_group_name": "/aws/lambda/orders",
							"remaining_positive": true, "client_custom": map[string]any{"tenant": "t1"}, "event": map[string]any{"n": 1.0},
						}
						for k, v := range want {
							if got, _ := json.Marshal(doc[k]); string(got) != mustJSON(v) {
								t.Errorf("%s = %s, want %s", k, got, mustJSON(v))
							}
						}
						if m := mustJSON(doc["memory_limit_in_mb"]); m != `"256"` && m != `256` {
							t.Errorf("memory_limit_in_mb = %s", m)
						}
						if arn, _ := doc["invoked_function_arn"].(string); !strings.HasSuffix(arn, ":function:orders") {
							t.Errorf("invoked_function_arn = %q", arn)
						}
					case "callback":
						if doc["via"] != "callback" {
							t.Errorf("callback result %s", res.Payload)
						}
					case "error":
						if res.FunctionError != "Unhandled" {
							t.Errorf("FunctionError = %q", res.FunctionError)
						}
						if doc["errorType"] != tt.errorType || doc["errorMessage"] != "no such order" {
							t.Errorf("error document %s", res.Payload)
						}
						if _, ok := doc[tt.traceKey].([]any); !ok {
							t.Errorf("error document has no %s list: %s", tt.traceKey, res.Payload)
						}
					}
				})
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
