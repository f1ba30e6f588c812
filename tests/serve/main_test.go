// Package serve holds the end-to-end tests of the local front door: real
// HTTP requests through gateway.Server, the Lambda emulation, the real
// lambdawaf extension binary and a real aws-lambda-go handler, compared
// with the events AWS documents and the responses API Gateway, ALB and
// Function URLs return.
package serve

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/gateway/local"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// bins are the binaries built once for the whole run.
var bins struct {
	agent, agentHooks, handler string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lambdawaf-serve-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		root := moduleRoot()
		builds := []struct {
			out  *string
			name string
			pkg  string
			tags string
		}{
			{&bins.agent, "lambdawaf", "./agent/cmd/lambdawaf-extension", ""},
			{&bins.agentHooks, "hooks/lambdawaf", "./agent/cmd/lambdawaf-extension", "testhooks"},
			{&bins.handler, "handler", "./tests/serve/handler", ""},
		}
		for _, b := range builds {
			*b.out = filepath.Join(dir, b.name)
			if prebuilt := os.Getenv("LAMBDAWAF_SERVE_TEST_AGENT"); prebuilt != "" && b.out == &bins.agent {
				// Run the suite against a given agent binary (a release
				// build, a dist/ artefact) instead of building one.
				*b.out = prebuilt
				continue
			}
			args := []string{"build", "-o", *b.out}
			if b.tags != "" {
				args = append(args, "-tags", b.tags)
			}
			cmd := exec.Command("go", append(args, b.pkg)...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "build %s: %v\n%s", b.pkg, err, out)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer = emulator.LogBuffer

// start runs a local endpoint with the real agent and handler on a free
// loopback port and stops it when the test ends.
func start(t *testing.T, cfg local.Config) (*local.Endpoint, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Handler == nil {
		cfg.Handler = []string{bins.handler}
	}
	if cfg.Agent == "" {
		cfg.Agent = bins.agent
	}
	if cfg.Mode == "" {
		// The agent inspects every event but never blocks: these tests are
		// about the front door's translation, which detection must not
		// decide. Tests of blocking set the mode themselves.
		cfg.Mode = "log"
	}
	cfg.Logs = logs
	ep, err := local.Start(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ep.Close(ctx); err != nil {
			t.Errorf("close endpoint: %v", err)
		}
		if t.Failed() {
			t.Logf("environment logs:\n%s", logs.String())
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := ep.WarmUp(ctx, 1); err != nil {
		t.Fatalf("warm up: %v\nlogs:\n%s", err, logs.String())
	}
	return ep, logs
}

// agentRan reports whether the agent's log shows it proxied invocations.
func agentLines(logs string) []string {
	var out []string
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line, "lambdawaf") {
			out = append(out, line)
		}
	}
	return out
}
