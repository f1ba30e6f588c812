package layer

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestArchFromName(t *testing.T) {
	for name, want := range map[string]string{
		"dist/layer/lambdawaf-x86_64.zip": "x86_64",
		"dist/layer/lambdawaf-arm64.zip":  "arm64",
		"lambdawaf.zip":                   "",
	} {
		if got := ArchFromName(name); got != want {
			t.Errorf("ArchFromName(%q) = %q, want %q", name, got, want)
		}
	}
}

// staticBinary builds a tiny static program for goarch.
func staticBinary(t *testing.T, goarch string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bin-"+goarch)
	cmd := exec.Command("go", "build", "-o", out, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", goarch, err, b)
	}
	return out
}

func TestCheckExtension(t *testing.T) {
	amd64, arm64 := staticBinary(t, "amd64"), staticBinary(t, "arm64")
	script := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, arch, wantErr string
	}{
		{amd64, "x86_64", ""},
		{arm64, "arm64", ""},
		{amd64, "arm64", "exec format error"},
		{arm64, "x86_64", "exec format error"},
		{script, "x86_64", "not a Linux executable"},
		{amd64, "riscv", "unknown architecture"},
	}
	for _, tt := range tests {
		err := CheckExtension(tt.path, tt.arch)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("CheckExtension(%s, %s) = %v, want %q", filepath.Base(tt.path), tt.arch, err, tt.wantErr)
		}
	}
	// The host's shell is a dynamically linked executable for this
	// machine: right architecture, wrong linking.
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatal(err)
	}
	if sh, err = filepath.EvalSymlinks(sh); err != nil {
		t.Fatal(err)
	}
	hostArch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	if err := CheckExtension(sh, hostArch); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("CheckExtension(%s) = %v, want dynamically linked", sh, err)
	}
}
