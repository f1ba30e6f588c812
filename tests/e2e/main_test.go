// Package e2e runs the real lambdawaf extension binary with real
// aws-lambda-go handlers inside the strict Lambda emulation
// (agent/emulator): every wiring (redirect.Start, AWS_LAMBDA_EXEC_WRAPPER,
// /opt/bootstrap), every protocol path and every reset the agent has to
// survive in the cloud. Binaries are built once per `go test` run.
package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// Built binaries, set up by TestMain.
var (
	layerDir   string // plays /opt: extensions/lambdawaf, lambdawaf-wrapper, bootstrap
	handlerDir string // one executable per tests/handlers program
	emptyLayer string // /opt without the agent
)

func TestMain(m *testing.M) { testenv.Main(m, "e2e", build) }

// build compiles the extension (static, with test hooks, as it ships
// inside the layer) and the handlers, and lays out the layer directory as
// the real layer (layer.Install).
func build(tmp string) error {
	layerDir = filepath.Join(tmp, "opt")
	handlerDir = filepath.Join(tmp, "task")
	emptyLayer = filepath.Join(tmp, "opt-empty")
	for _, d := range []string{handlerDir, filepath.Join(emptyLayer, "extensions")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	agent := filepath.Join(tmp, "lambdawaf-extension")
	ext := exec.Command("go", "build", "-tags", "testhooks", "-trimpath", "-ldflags", "-s -w", "-o", agent, "./agent/cmd/lambdawaf-extension")
	ext.Env = append(os.Environ(), "CGO_ENABLED=0")
	handlers := exec.Command("go", "build", "-trimpath", "-o", handlerDir+string(filepath.Separator), "./tests/handlers/...")
	for _, cmd := range []*exec.Cmd{ext, handlers} {
		cmd.Dir = testenv.ModuleRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
		}
	}
	return layer.Install(layerDir, agent)
}

// wiring is how the runtime is pointed at the agent.
type wiring string

const (
	viaRedirect  wiring = "redirect.Start"              // Go on provided.al2023
	viaWrapper   wiring = "AWS_LAMBDA_EXEC_WRAPPER"     // managed runtime
	viaBootstrap wiring = "/opt/bootstrap"              // OS-only runtime, handler not named bootstrap
	noAgent      wiring = "no agent"                    // baseline
	bypassAgent  wiring = "bypass (plain lambda.Start)" // agent installed, runtime not redirected
)

// setup describes one emulated function under test.
type setup struct {
	handler string
	wiring  wiring
	env     map[string]string
	cfg     emulator.Config
	// quiet drops the processes' output instead of keeping it for the
	// failure report: benchmarks run thousands of invocations, and
	// retaining every decision record would load the measuring process.
	quiet bool
}

// startFunction starts the function and shuts it down when the test ends.
func startFunction(t testing.TB, s setup) (*emulator.Function, *emulator.LogBuffer) {
	t.Helper()
	cfg := s.cfg
	env := map[string]string{
		"LAMBDAWAF_PORT":           testenv.FreePort(t),
		"LAMBDAWAF_EXTENSIONS_DIR": filepath.Join(layerDir, "extensions"),
	}
	cfg.LayerDir = layerDir
	cfg.Handler = []string{filepath.Join(handlerDir, s.handler)}
	switch s.wiring {
	case viaRedirect, "":
	case viaWrapper:
		cfg.Runtime = "python3.13" // any managed runtime: the wrapper is honoured
		env["AWS_LAMBDA_EXEC_WRAPPER"] = "/opt/lambdawaf-wrapper"
		env["TEST_HANDLER_START"] = "lambda"
	case viaBootstrap:
		cfg.Runtime = "provided.al2023"
		cfg.Handler = []string{"/opt/bootstrap"}
		cfg.TaskRoot = handlerDir
		cfg.HandlerName = s.handler
		env["TEST_HANDLER_START"] = "lambda"
	case noAgent:
		cfg.LayerDir = emptyLayer
		env["LAMBDAWAF_EXTENSIONS_DIR"] = filepath.Join(emptyLayer, "extensions")
	case bypassAgent:
		env["TEST_HANDLER_START"] = "lambda"
	}
	for k, v := range s.env {
		env[k] = v
	}
	cfg.Env = env
	logs := &emulator.LogBuffer{}
	cfg.Logs = logs
	if s.quiet {
		cfg.Logs = io.Discard
	}
	fn, err := emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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

func invoke(t testing.TB, fn *emulator.Function, payload string, opts emulator.InvokeOptions) *emulator.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := fn.Invoke(ctx, []byte(payload), opts)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	return res
}
