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
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// Built binaries, set up by TestMain.
var (
	layerDir   string // plays /opt: extensions/lambdawaf, lambdawaf-wrapper, bootstrap
	handlerDir string // one executable per tests/handlers program
	emptyLayer string // /opt without the agent
)

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "lambdawaf-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := build(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "e2e build:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

// build compiles the extension (static, with test hooks, as it ships
// inside the layer) and the handlers, and lays out the layer directory.
func build(tmp string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	layerDir = filepath.Join(tmp, "opt")
	handlerDir = filepath.Join(tmp, "task")
	emptyLayer = filepath.Join(tmp, "opt-empty")
	for _, d := range []string{filepath.Join(layerDir, "extensions"), handlerDir, filepath.Join(emptyLayer, "extensions")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	ext := exec.Command("go", "build", "-tags", "testhooks", "-trimpath", "-ldflags", "-s -w",
		"-o", filepath.Join(layerDir, "extensions", "lambdawaf"), "./agent/cmd/lambdawaf-extension")
	ext.Env = append(os.Environ(), "CGO_ENABLED=0")
	handlers := exec.Command("go", "build", "-trimpath", "-o", handlerDir+string(filepath.Separator), "./tests/handlers/...")
	for _, cmd := range []*exec.Cmd{ext, handlers} {
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, out)
		}
	}
	for _, script := range []string{"lambdawaf-wrapper", "bootstrap"} {
		if err := copyFile(filepath.Join(root, "agent", "layer", script), filepath.Join(layerDir, script), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// freePort returns a loopback port nobody listens on, so environments can
// run in parallel, each with its own LAMBDAWAF_PORT.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
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
		"LAMBDAWAF_PORT":           freePort(t),
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
