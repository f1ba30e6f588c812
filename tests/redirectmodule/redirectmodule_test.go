package redirectmodule

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/redirect"
)

// TestRedirectSpellsTheContract runs Redirect against an installed agent
// described only with the contract's names: if either side renames a
// variable or a path, the redirect no longer happens.
func TestRedirectSpellsTheContract(t *testing.T) {
	if redirect.AgentName != contract.ExtensionName || redirect.DefaultExtensionsDir != contract.ExtensionsDir ||
		redirect.DefaultPort != contract.DefaultPort || redirect.WaitBudget != contract.DefaultWait {
		t.Fatalf("redirect constants (%s, %s, %d, %v) differ from the contract (%s, %s, %d, %v)",
			redirect.AgentName, redirect.DefaultExtensionsDir, redirect.DefaultPort, redirect.WaitBudget,
			contract.ExtensionName, contract.ExtensionsDir, contract.DefaultPort, contract.DefaultWait)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, contract.ExtensionName), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	t.Setenv(contract.EnvExtensionsDir, dir)
	t.Setenv(contract.EnvPort, strconv.Itoa(port))
	t.Setenv(contract.EnvRuntimeAPI, "127.0.0.1:9001")
	t.Setenv(contract.EnvUpstream, "")
	os.Unsetenv(contract.EnvUpstream)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ok, err := redirect.Redirect(ctx)
	if err != nil || !ok {
		t.Fatalf("Redirect = %v, %v; want true, nil", ok, err)
	}
	if got, want := os.Getenv(contract.EnvRuntimeAPI), ln.Addr().String(); got != want {
		t.Errorf("%s = %q, want the agent %q", contract.EnvRuntimeAPI, got, want)
	}
	if got := os.Getenv(contract.EnvUpstream); got != "127.0.0.1:9001" {
		t.Errorf("%s = %q, want the real Runtime API kept", contract.EnvUpstream, got)
	}

	// Failure policy closed, read under the contract's name: with the
	// listener gone the function stays pointed at the agent.
	ln.Close()
	t.Setenv(contract.EnvFailurePolicy, string(contract.FailClosed))
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if ok, err := redirect.Redirect(ctx2); !ok || err == nil {
		t.Errorf("closed failure policy with no listener: Redirect = %v, %v; want true and an error", ok, err)
	}
}

// TestUserModuleNeedsOnlyTheRedirectModule builds a Go function in a module
// of its own, outside this repository, that requires nothing but the
// redirect module (pointed at this tree with the one replace line the
// README documents) at the module's declared Go version.
func TestUserModuleNeedsOnlyTheRedirectModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped with -short")
	}
	redirectDir, err := filepath.Abs("../../agent/redirect")
	if err != nil {
		t.Fatal(err)
	}
	modGo := goDirective(t, filepath.Join(redirectDir, "go.mod"))
	if !strings.HasPrefix(modGo, "1.21") {
		t.Errorf("redirect module asks for go %s; user functions should need no more than 1.21", modGo)
	}
	fn := t.TempDir()
	write(t, filepath.Join(fn, "go.mod"), "module example.com/orders\n\ngo "+modGo+"\n\n"+
		"require github.com/lambdawaf/lambdawaf/agent/redirect v0.0.0\n\n"+
		"replace github.com/lambdawaf/lambdawaf/agent/redirect => "+redirectDir+"\n")
	write(t, filepath.Join(fn, "main.go"), `package main

import (
	"context"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
)

func handler(ctx context.Context, ev map[string]any) (string, error) { return "ok", nil }

func main() { redirect.Start(handler) }
`)
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = fn
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("mod", "tidy")
	run("build", "-o", filepath.Join(fn, "bootstrap"), ".")
	mods := run("list", "-m", "all")
	for _, line := range strings.Split(strings.TrimSpace(mods), "\n") {
		mod := strings.Fields(line)[0]
		switch {
		case mod == "example.com/orders", mod == "github.com/lambdawaf/lambdawaf/agent/redirect",
			mod == "github.com/aws/aws-lambda-go":
		case strings.HasPrefix(mod, "github.com/lambdawaf/lambdawaf"):
			t.Errorf("the user module pulled in %s: the redirect module must not need the rest of lambdawaf", mod)
		}
	}
	deps := run("list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	for _, p := range strings.Fields(deps) {
		if p != "example.com/orders" && !strings.HasPrefix(p, "github.com/lambdawaf/lambdawaf/agent/redirect") &&
			!strings.HasPrefix(p, "github.com/aws/aws-lambda-go/") {
			t.Errorf("the function's binary imports %s; only the redirect package and aws-lambda-go are expected", p)
		}
	}
}

func goDirective(t *testing.T, gomod string) string {
	t.Helper()
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("%s has no go directive", gomod)
	return ""
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
