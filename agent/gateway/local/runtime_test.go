package local

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRuntime(t *testing.T) {
	tests := []struct {
		id, language, deprecated string
		err                      bool
	}{
		{"", "provided", "", false},
		{"provided.al2023", "provided", "", false},
		{"python3.14", "python", "", false},
		{"python3.11", "python", "", false},
		{"nodejs24.x", "nodejs", "", false},
		{"nodejs22.x", "nodejs", "", false},
		{"python3.9", "python", "use python3.11 or later", false},
		{"nodejs20.x", "nodejs", "use nodejs22.x or later", false},
		{"go1.x", "provided", "go1.x is retired; Go functions run on provided.al2023", false},
		{"java21", "", "", true},
		{"python3", "", "", true},
	}
	for _, tt := range tests {
		rt, err := ParseRuntime(tt.id)
		if (err != nil) != tt.err {
			t.Errorf("ParseRuntime(%q) error %v", tt.id, err)
			continue
		}
		if err != nil {
			if !strings.Contains(err.Error(), "python3.11") || strings.Contains(err.Error(), "python3.9") {
				t.Errorf("error for %q does not list exactly the supported runtimes: %v", tt.id, err)
			}
			continue
		}
		if rt.Language != tt.language || rt.Deprecated != tt.deprecated || rt.Managed() != (tt.language != "provided") {
			t.Errorf("ParseRuntime(%q) = %+v", tt.id, rt)
		}
	}
}

func TestSameVersion(t *testing.T) {
	for _, tt := range []struct {
		want, got string
		same      bool
	}{
		{"3.12", "3.12.4", true}, {"3.12", "3.12", true}, {"3.1", "3.12.4", false}, {"22", "22.11.0", true}, {"22", "20.19.0", false}, {"2", "22.1.0", false},
	} {
		if sameVersion(tt.want, tt.got) != tt.same {
			t.Errorf("sameVersion(%q, %q) = %v", tt.want, tt.got, !tt.same)
		}
	}
}

func TestManagedFunctionRejectsBadHandlers(t *testing.T) {
	rt, _ := ParseRuntime("python3.12")
	dir := t.TempDir()
	for handler, want := range map[string]string{
		"":        "needs -handler",
		"app":     "is not module.function",
		"x.y.z.w": "", // nested module paths are fine
	} {
		_, err := ManagedFunction(t.Context(), rt, handler, dir, t.TempDir())
		if want == "" {
			if err != nil && !strings.Contains(err.Error(), "python3") {
				t.Errorf("handler %q: %v", handler, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("handler %q: error %v, want %q", handler, err, want)
		}
	}
	if _, err := ManagedFunction(t.Context(), rt, "app.handler", filepath.Join(dir, "missing"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("missing task root: %v", err)
	}
}

// TestManagedFunctionUsesTheBuiltInBootstrap: without AWS's runtime
// interface client, the command is the real interpreter (not a shim) and
// the embedded bootstrap, and a version mismatch is a warning.
func TestManagedFunctionUsesTheBuiltInBootstrap(t *testing.T) {
	for _, tt := range []struct{ runtime, interpreter, script string }{
		{"python3.14", "python3", "python.py"},
		{"nodejs24.x", "node", "node.mjs"},
	} {
		t.Run(tt.runtime, func(t *testing.T) {
			if _, err := exec.LookPath(tt.interpreter); err != nil {
				t.Fatalf("%s is needed (CI installs it): %v", tt.interpreter, err)
			}
			rt, _ := ParseRuntime(tt.runtime)
			scratch := t.TempDir()
			f, err := ManagedFunction(t.Context(), rt, "index.handler", t.TempDir(), scratch)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(f.Interpreter, "runtime interface client") {
				// Installed here: the client is given the handler.
				if f.Command[len(f.Command)-1] != "index.handler" {
					t.Errorf("runtime interface client command %v", f.Command)
				}
				return
			}
			if len(f.Command) != 2 || filepath.Base(f.Command[1]) != tt.script || !filepath.IsAbs(f.Command[0]) {
				t.Fatalf("command %v", f.Command)
			}
			if b, err := os.ReadFile(f.Command[1]); err != nil || !strings.Contains(string(b), "/2018-06-01") {
				t.Errorf("bootstrap not written: %v", err)
			}
			version := strings.Fields(f.Interpreter)[1]
			if sameVersion(rt.Version, version) != (len(f.Warnings) == 0) {
				t.Errorf("interpreter %s for %s, warnings %v", version, rt.ID, f.Warnings)
			}
		})
	}
}

// TestInspectExecutable tells a Go program that calls redirect.Start from
// one that calls lambda.Start, and from a program that is not Go.
func TestInspectExecutable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two Go programs")
	}
	dir := t.TempDir()
	build := func(name, pkg string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
		return out
	}
	redirects := build("redirects", "../../../tests/serve/handler")
	plain := build("plain", "../../cmd/lambdawaf/testdata/functions/plaingo")
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("#!/bin/sh\nexit 0\n"), 0o755)
	for _, tt := range []struct {
		path          string
		goProg, redir bool
	}{
		{redirects, true, true},
		{plain, true, false},
		{script, false, false},
	} {
		x, err := InspectExecutable(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if x.Go != tt.goProg || x.Redirects != tt.redir {
			t.Errorf("%s: %+v", filepath.Base(tt.path), x)
		}
	}
	if _, err := InspectExecutable(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file inspected without error")
	}
}
