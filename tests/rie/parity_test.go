package rie

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
)

// The same invocations, one of every kind, through the agent in block
// mode on AWS's emulator and on this project's (agent/emulator, which
// `serve` and the fast tests use): what the caller gets must agree. Each
// answer is reduced to what a caller reads in it:
//   - a handler's answer (echo digest, stream with its prelude): the bytes;
//   - a block: the 403 response, without the per-request id header;
//   - a handler error or panic: the error document's type and message;
//   - a timeout: that it is one.
//
// Two differences are deliberate and not compared. AWS's emulator answers
// a runtime that exits after a panic with HTTP 502 (it is not the Invoke
// API); ours answers as the Invoke API does, 200 with X-Amz-Function-Error,
// the same error document in both. And on a timeout AWS's emulator starts
// its timer after the deadline it gives the runtime, so aws-lambda-go's own
// "context deadline exceeded" error usually arrives first, where ours (and
// Lambda's log) say Sandbox.Timedout; both are timeouts to the caller.
func TestOurEmulatorAnswersAsAWSs(t *testing.T) {
	needRIE(t)
	const timeout = 5 * time.Second
	plan := Plan(7, int(timeout/time.Millisecond), map[Kind]int{Benign: 1, Blocked: 1, Failing: 1, Stream: 1, Large: 1, Panic: 1, Timeout: 1})
	aws, err := fixture.Start(t.Context(), fixture.Block, RunOptions{TimeoutSeconds: int(timeout / time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	defer aws.Close()
	port, err := awsrie.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	var ourLogs emulator.LogBuffer
	ours, err := emulator.Start(t.Context(), emulator.Config{
		Handler:  []string{filepath.Join(fixture.Task, "bootstrap")},
		TaskRoot: fixture.Task,
		LayerDir: fixture.Block.Layer,
		Env: map[string]string{
			contract.EnvMode:          string(contract.ModeBlock),
			contract.EnvPort:          port,
			contract.EnvExtensionsDir: filepath.Join(fixture.Block.Layer, "extensions"),
		},
		Timeout: timeout,
		Logs:    &ourLogs,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Shutdown(t.Context())

	for _, e := range plan {
		kind := KindOf(e.Nonce)
		t.Run(string(kind), func(t *testing.T) {
			a, err := aws.Invoke(t.Context(), e.JSON())
			if err != nil {
				t.Fatalf("AWS's emulator: %v", err)
			}
			o, err := ours.Invoke(t.Context(), e.JSON(), emulator.InvokeOptions{})
			if err != nil {
				t.Fatalf("ours: %v", err)
			}
			ourBody := o.Payload
			if o.Stream != nil {
				if ourBody, err = io.ReadAll(o.Stream); err != nil {
					t.Fatalf("ours: read stream: %v", err)
				}
			}
			want, got := reading(kind, a.Body), reading(kind, ourBody)
			if want == "" {
				t.Fatalf("AWS's emulator answered %d %.300q: not a %s answer", a.Status, a.Body, kind)
			}
			if got != want {
				t.Errorf("answers differ\nAWS's emulator: %.400s\nours:           %.400s", want, got)
			}
			if kind == Failing || kind == Panic {
				if o.FunctionError != "Unhandled" {
					t.Errorf("ours: X-Amz-Function-Error %q, want Unhandled", o.FunctionError)
				}
			}
		})
	}
	if t.Failed() {
		t.Logf("our emulator's log:\n%s", ourLogs.String())
	}
}

// reading is what a caller reads in an answer of the given kind, or ""
// when the answer is not of that kind.
func reading(kind Kind, body []byte) string {
	switch kind {
	case Benign, Large, Stream:
		return string(body)
	case Blocked:
		var r struct {
			StatusCode int               `json:"statusCode"`
			Headers    map[string]string `json:"headers"`
			Body       string            `json:"body"`
		}
		if json.Unmarshal(body, &r) != nil || r.StatusCode != 403 {
			return ""
		}
		delete(r.Headers, "X-Lambdawaf-Request-Id")
		b, _ := json.Marshal(r)
		return string(b)
	case Failing, Panic:
		var d struct {
			ErrorType    string `json:"errorType"`
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(body, &d) != nil || d.ErrorType == "" {
			return ""
		}
		return d.ErrorType + ": " + d.ErrorMessage
	case Timeout:
		b := bytes.ToLower(body)
		for _, s := range []string{"sandbox.timedout", "task timed out", "deadline exceeded"} {
			if bytes.Contains(b, []byte(s)) {
				return "a timeout"
			}
		}
	}
	return ""
}
