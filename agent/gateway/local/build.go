package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
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

// ModulePath is the lambdawaf module's path.
const ModulePath = "github.com/lambdawaf/lambdawaf"

// CachedAgent returns an extension binary for this machine built from the
// module source this program was built from, building it on first use into
// cacheDir (os.UserCacheDir()/lambdawaf when empty). That makes a CLI
// installed with `go install` self-sufficient: the source is the clone it
// was installed from, or the module cache for `go install …@version`.
// Nothing is downloaded; the go command must be on PATH.
//
// The cache key covers the running executable and the agent's main
// package files, so a rebuilt CLI or an edited agent gets a fresh build.
func CachedAgent(ctx context.Context, cacheDir string) (string, error) {
	root, err := moduleSource(ctx)
	if err != nil {
		return "", err
	}
	if cacheDir == "" {
		if cacheDir, err = os.UserCacheDir(); err != nil {
			return "", fmt.Errorf("agent cache: %w", err)
		}
		cacheDir = filepath.Join(cacheDir, "lambdawaf")
	}
	key, err := agentCacheKey(root)
	if err != nil {
		return "", err
	}
	out := filepath.Join(cacheDir, "agent", runtime.GOOS+"-"+runtime.GOARCH+"-"+key, "lambdawaf-extension")
	if IsExecutable(out) {
		return out, nil
	}
	if _, err := exec.LookPath("go"); err != nil {
		return "", fmt.Errorf("the agent is built from source on first use: %w", ErrNoGo)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("agent cache: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", out, os.Getpid())
	if err := Build(ctx, root, "./agent/cmd/lambdawaf-extension", tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("build the agent from %s: %w", root, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return "", fmt.Errorf("agent cache: %w", err)
	}
	return out, nil
}

// moduleSource finds the source tree of the lambdawaf module this program
// was built from: the directory this file was compiled from (a clone, or
// the module cache), else, for -trimpath builds, the module cache entry of
// the version in the build info.
func moduleSource(ctx context.Context) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file)))) // …/agent/gateway/local/build.go
		if isAgentSource(root) {
			return root, nil
		}
	}
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == ModulePath {
			version = bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == ModulePath {
				version = d.Version
			}
		}
	}
	if version != "" && version != "(devel)" {
		out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
		if err == nil {
			root := filepath.Join(strings.TrimSpace(string(out)), ModulePath+"@"+version)
			if isAgentSource(root) {
				return root, nil
			}
		}
	}
	return "", errors.New("cannot find the lambdawaf source this command was built from to build the agent: " +
		"pass -agent with a built lambdawaf-extension binary, or reinstall with `go install` from a clone")
}

func isAgentSource(root string) bool {
	fi, err := os.Stat(filepath.Join(root, "agent", "cmd", "lambdawaf-extension", "main.go"))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	return err == nil
}

// agentCacheKey hashes the running executable and the names, sizes and
// modification times of the agent's main package files.
func agentCacheKey(root string) (string, error) {
	h := sha256.New()
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("agent cache key: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("agent cache key: %w", err)
	}
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return "", fmt.Errorf("agent cache key: %w", err)
	}
	dir := filepath.Join(root, "agent", "cmd", "lambdawaf-extension")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("agent cache key: %w", err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", e.Name(), fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
