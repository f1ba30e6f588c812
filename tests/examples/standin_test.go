package examples

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// TestStandInRuntimes checks the stand-ins for the managed runtimes'
// bootstrap against the strict emulated Runtime API directly (no agent):
// results and the context reach the caller, a handler exception becomes
// an /error with its type, and a handler that cannot be imported fails
// Init. The example tests can then trust them to behave as AWS's clients.
func TestStandInRuntimes(t *testing.T) {
	t.Parallel()
	standins := []struct {
		runtime, interpreter, script, errorType string
		interpreterErr                          error
	}{
		{"python3.12", built.python, "python-runtime.py", "ValueError", built.pythonErr},
		{"nodejs22.x", built.node, "node-runtime.mjs", "TypeError", built.nodeErr},
	}
	for _, s := range standins {
		t.Run(s.runtime, func(t *testing.T) {
			t.Parallel()
			if s.interpreterErr != nil {
				t.Fatal(s.interpreterErr)
			}
			run := func(t *testing.T, handler string) (*emulator.Function, *emulator.LogBuffer) {
				logs := &emulator.LogBuffer{}
				fn, err := emulator.Start(context.Background(), emulator.Config{
					Handler:     []string{s.interpreter, filepath.Join(built.root, "tests", "examples", "testdata", s.script)},
					Runtime:     s.runtime,
					TaskRoot:    filepath.Join(built.root, "tests", "examples", "testdata", "standin"),
					HandlerName: handler,
					Env:         map[string]string{"PYTHONDONTWRITEBYTECODE": "1"},
					Timeout:     10 * time.Second,
					Logs:        logs,
				})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					fn.Shutdown(ctx)
					if t.Failed() {
						t.Logf("logs:\n%s", logs.String())
					}
				})
				return fn, logs
			}
			fn, logs := run(t, "index.handler")
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()

			res, err := fn.Invoke(ctx, []byte(`{"customer":"O'Brien","n":[1,2]}`), emulator.InvokeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				Echo        map[string]any `json:"echo"`
				RequestID   string         `json:"requestId"`
				FunctionArn string         `json:"functionArn"`
				RemainingMs float64        `json:"remainingMs"`
			}
			if res.FunctionError != "" || json.Unmarshal(res.Payload, &out) != nil {
				t.Fatalf("invoke: %s %s", res.ErrorType, res.Payload)
			}
			// The deadline travels in whole milliseconds, rounded up, and the
			// stand-ins read the clock truncated to the millisecond: within
			// the first millisecond the remaining time can read 10,001.
			if out.Echo["customer"] != "O'Brien" || out.RequestID != res.RequestID || !strings.HasPrefix(out.FunctionArn, "arn:aws:lambda:") ||
				out.RemainingMs <= 0 || out.RemainingMs > 10001 {
				t.Errorf("handler saw %s (request %s)", res.Payload, res.RequestID)
			}
			// The log line travels through the emulator's pipe after the
			// response: wait for it (bounded) rather than race it.
			id := res.RequestID
			waitFor(t, func() bool { return strings.Contains(logs.String(), id) })
			if !strings.Contains(logs.String(), id) {
				t.Errorf("the stand-in did not log receiving %s", id)
			}

			res, err = fn.Invoke(ctx, []byte(`{"fail":true}`), emulator.InvokeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var doc struct{ ErrorMessage, ErrorType string }
			if res.FunctionError == "" || json.Unmarshal(res.Payload, &doc) != nil || doc.ErrorType != s.errorType || doc.ErrorMessage != "asked to fail" {
				t.Errorf("handler exception: function error %q type %q payload %s", res.FunctionError, res.ErrorType, res.Payload)
			}

			// The environment survives a handler error, as on Lambda.
			if res, err = fn.Invoke(ctx, []byte(`{}`), emulator.InvokeOptions{}); err != nil || res.FunctionError != "" {
				t.Errorf("invoke after a handler error: %v %s", err, res.Payload)
			}

			// A module that cannot be imported fails Init with the type
			// AWS's clients report.
			broken, _ := run(t, "missing.handler")
			var ie *emulator.InitError
			if err := broken.WaitInit(ctx); !errors.As(err, &ie) || ie.Type != "Runtime.ImportModuleError" || !strings.Contains(ie.Message, "missing") {
				t.Errorf("a handler module that does not exist: init error %v", err)
			}
		})
	}
}
