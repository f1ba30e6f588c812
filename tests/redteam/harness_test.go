// Package redteam attacks lambdawaf as an attacker would: events of every
// trigger, forged fields, parser differentials, limits, log leaks and
// CPU-heavy inputs go through the production agent binary, laid out as
// the real layer, in the strict Lambda emulation (agent/emulator), in
// front of a Python handler that parses its event the way real handlers
// do (testdata/handler/index.py: json.loads, parse_qs, http.cookies, the
// email multipart parser, lenient b64decode, gzip). The handler reports
// which attacks reached it in a parsed view; an attack that did is a
// bypass.
//
// `go test ./tests/redteam` runs the short form (one attack per location,
// about a third of the cases; CI). `make redteam` runs every case
// (LAMBDAWAF_REDTEAM=full) and, with LAMBDAWAF_REDTEAM_TABLE=path, writes
// the results table that README.md shows.
package redteam

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// built is what TestMain prepared.
var built struct {
	root, opt, python string
	pythonErr         error
}

func TestMain(m *testing.M) { testenv.Main(m, "redteam", build) }

// build compiles the production extension (no test hooks) and lays out
// the layer as it ships.
func build(dir string) error {
	built.root = testenv.ModuleRoot()
	built.opt = filepath.Join(dir, "opt")
	agent := filepath.Join(dir, "lambdawaf-extension")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	if err := testenv.BuildAll(ctx, testenv.Binary{Pkg: "./agent/cmd/lambdawaf-extension", Out: agent}); err != nil {
		return err
	}
	if err := layer.Install(built.opt, agent); err != nil {
		return fmt.Errorf("lay out the layer: %w", err)
	}
	path, err := exec.LookPath("python3")
	if err != nil {
		built.pythonErr = fmt.Errorf("python3 is not installed (CI machines have it): %w", err)
		return nil
	}
	out, err := exec.Command(path, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		built.pythonErr = err
		return nil
	}
	built.python = strings.TrimSpace(string(out))
	return nil
}

// function is the Python handler behind the agent.
type function struct {
	fn   *emulator.Function
	logs *emulator.LogBuffer
}

// start runs the red-team handler behind the agent with the given extra
// environment, until the test ends.
func start(t *testing.T, env map[string]string) *function {
	t.Helper()
	if built.pythonErr != nil {
		t.Fatal(built.pythonErr)
	}
	e := map[string]string{
		"LAMBDAWAF_PORT":           testenv.FreePort(t),
		"LAMBDAWAF_EXTENSIONS_DIR": filepath.Join(built.opt, filepath.Dir(layer.ExtensionPath)),
		"AWS_LAMBDA_EXEC_WRAPPER":  "/opt/" + layer.WrapperPath,
		"PYTHONDONTWRITEBYTECODE":  "1",
		"LAMBDAWAF_SAMPLE_ALLOWED": "1",
	}
	for k, v := range env {
		e[k] = v
	}
	f := &function{logs: &emulator.LogBuffer{}}
	cfg := emulator.Config{
		LayerDir:     built.opt,
		FunctionName: "redteam",
		Handler:      []string{built.python, filepath.Join(built.root, "tests", "examples", "testdata", "python-runtime.py")},
		Runtime:      "python3.13",
		TaskRoot:     filepath.Join(built.root, "tests", "redteam", "testdata", "handler"),
		HandlerName:  "index.handler",
		Env:          e,
		Logs:         f.logs,
		Timeout:      30 * time.Second,
		MemoryMB:     1024,
	}
	var err error
	f.fn, err = emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := f.fn.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := f.fn.WaitInit(ctx); err != nil {
		t.Fatalf("init: %v\nlogs:\n%s", err, f.logs.String())
	}
	return f
}

// handlerReport is what the handler answers when it ran.
type handlerReport struct {
	Reached bool     `json:"reached"`
	Hits    []string `json:"hits"`
	Records int      `json:"records"`
	// BatchItemFailures is what the agent added to the handler's answer.
	BatchItemFailures []struct {
		ItemIdentifier string `json:"itemIdentifier"`
	} `json:"batchItemFailures"`
}

// decisionOf returns the agent's decision record for a request id,
// waiting a little for it: the agent writes it on its own schedule.
func (f *function) decisionOf(requestID string) (map[string]any, string) {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if m, line := f.findDecision(requestID); m != nil || time.Now().After(deadline) {
			return m, line
		}
	}
}

func (f *function) findDecision(requestID string) (map[string]any, string) {
	for _, l := range f.logs.Lines(`"kind":"decision"`) {
		if !strings.Contains(l, requestID) {
			continue
		}
		i := strings.IndexByte(l, '{')
		var m map[string]any
		if i >= 0 && json.Unmarshal([]byte(l[i:]), &m) == nil && m["request_id"] == requestID {
			return m, l[i:]
		}
	}
	return nil, ""
}
