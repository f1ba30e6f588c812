package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

// TestResolveFunctionStartsItAsLambdaWould covers how -runtime, -handler
// and -function become the runtime command, and which combinations would
// bypass the agent (found before anything runs).
func TestResolveFunctionStartsItAsLambdaWould(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "server")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	withBootstrap := filepath.Join(t.TempDir(), "pkg")
	os.MkdirAll(withBootstrap, 0o755)
	os.WriteFile(filepath.Join(withBootstrap, "bootstrap"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	pyDir := t.TempDir()
	os.WriteFile(filepath.Join(pyDir, "app.py"), []byte("def handler(e, c):\n    return 1\n"), 0o644)

	tests := []struct {
		name, runtime, function, handler string
		env                              map[string]string
		withAgent                        bool
		command0, bypass, err            string // substrings; "" = must be empty
	}{
		{name: "an executable that is not Go is a bootstrap that bypasses", runtime: "provided.al2023", function: script, withAgent: true,
			command0: script, bypass: "is not a Go program calling redirect.Start"},
		{name: "a directory's bootstrap is the runtime", runtime: "provided.al2023", function: withBootstrap, withAgent: true,
			command0: filepath.Join(withBootstrap, "bootstrap"), bypass: "is not a Go program"},
		{name: "a directory without bootstrap runs -handler through the layer's bootstrap", runtime: "provided.al2023", function: dir, handler: "server", withAgent: true,
			command0: "/opt/bootstrap"},
		{name: "without the agent it runs -handler directly", runtime: "provided.al2023", function: dir, handler: "server",
			command0: script},
		{name: "-handler must name an executable", runtime: "provided.al2023", function: dir, handler: "missing", withAgent: true,
			err: "is not an executable file"},
		{name: "python through the layer's wrapper", runtime: "python3.12", function: pyDir, handler: "app.handler", withAgent: true,
			command0: "python"},
		{name: "python with another exec wrapper bypasses", runtime: "python3.12", function: pyDir, handler: "app.handler", withAgent: true,
			env: map[string]string{"AWS_LAMBDA_EXEC_WRAPPER": "/opt/otherwrapper"}, command0: "python", bypass: `AWS_LAMBDA_EXEC_WRAPPER is set to "/opt/otherwrapper"`},
		{name: "python needs a handler", runtime: "python3.12", function: pyDir, withAgent: true, err: "needs -handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, err := local.ParseRuntime(tt.runtime)
			if err != nil {
				t.Fatal(err)
			}
			f, err := resolveFunction(t.Context(), rt, tt.function, tt.handler, dir, t.TempDir(), tt.withAgent, tt.env)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.Command[0], tt.command0) {
				t.Errorf("command %v, want %q first", f.Command, tt.command0)
			}
			if (tt.bypass == "") != (f.bypass == "") || !strings.Contains(f.bypass, tt.bypass) {
				t.Errorf("bypass %q, want %q", f.bypass, tt.bypass)
			}
		})
	}
}
