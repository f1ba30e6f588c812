package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Build compiles a Go main package (an import path or a ./relative
// directory of the module in dir) into out, statically (CGO_ENABLED=0) as
// Lambda's provided runtimes and layers need it.
func Build(ctx context.Context, dir, pkg, out string, tags ...string) error {
	args := []string{"build", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return nil
}

// IsExecutable reports whether path is an executable regular file.
func IsExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// AgentPackage is the import path of the extension binary.
const AgentPackage = "github.com/lambdawaf/lambdawaf/agent/cmd/lambdawaf-extension"

// FindAgent looks for a built extension binary for this machine's
// architecture where `make agent` and downloads put one: next to the
// running executable (dist/lambdawaf beside dist/x86_64/lambdawaf-extension,
// or lambdawaf-extension, or extensions/lambdawaf), then under dist/ in dir.
// It returns "" when there is none; callers then build AgentPackage.
func FindAgent(dir string) string {
	arch := lambdaArch()
	var bases []string
	if exe, err := os.Executable(); err == nil {
		bases = append(bases, filepath.Dir(exe))
	}
	bases = append(bases, filepath.Join(dir, "dist"))
	for _, b := range bases {
		for _, c := range []string{
			filepath.Join(b, arch, "lambdawaf-extension"),
			filepath.Join(b, "lambdawaf-extension"),
			filepath.Join(b, "extensions", "lambdawaf"),
		} {
			if IsExecutable(c) {
				return c
			}
		}
	}
	return ""
}

// lambdaArch names GOARCH as Lambda names architectures.
func lambdaArch() string {
	if runtime.GOARCH == "amd64" {
		return "x86_64"
	}
	return runtime.GOARCH
}

// ErrNoGo means a Go package had to be built but the go command is missing.
var ErrNoGo = errors.New("the go command is not on PATH: pass built binaries instead of package paths")

// Binary returns an executable for spec: spec itself when it is an
// executable file, else the result of building spec as a Go package into
// dir (named name).
func Binary(ctx context.Context, moduleDir, spec, dir, name string, tags ...string) (string, error) {
	if IsExecutable(spec) {
		return filepath.Abs(spec)
	}
	if _, err := exec.LookPath("go"); err != nil {
		return "", ErrNoGo
	}
	out := filepath.Join(dir, name)
	if err := Build(ctx, moduleDir, spec, out, tags...); err != nil {
		return "", err
	}
	return out, nil
}
