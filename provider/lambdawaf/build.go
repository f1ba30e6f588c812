package lambdawaf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// modulePath is the Go module the agent is built from.
const modulePath = "github.com/lambdawaf/lambdawaf"

// LayerBuilder builds the agent and bootstrap layer zips from the lambdawaf
// module's own source, so that `pulumi preview`, `pulumi up` and the tests
// work on a fresh clone without `make layer` first. It runs the same two
// steps as the Makefile: `go build` of ./agent/cmd/lambdawaf-extension for
// the architecture (static, trimmed, reproducible), then
// ./agent/layer/cmd/mklayer, which writes the zip. Nothing of the agent is
// imported: the component only runs the go command.
//
// The builds are reproducible, so a rebuild of the same source gives a
// byte-identical zip and Pulumi publishes no new layer version.
type LayerBuilder struct {
	// ModuleDir is the lambdawaf module's source directory. Default: the
	// directory this package was compiled from, when it is still there,
	// else what `go list -m` reports for the module from the working
	// directory (the program's module, which requires lambdawaf).
	ModuleDir string
	// CacheDir receives the binaries and zips. Default:
	// $XDG_CACHE_HOME/lambdawaf/layers/<hash of ModuleDir>.
	CacheDir string
	// Go is the go command. Default: "go" from PATH.
	Go string
}

// AgentZip builds the agent layer zip for arch and returns its path.
func (b LayerBuilder) AgentZip(ctx context.Context, arch string) (string, error) {
	goarch, err := goArch(arch)
	if err != nil {
		return "", err
	}
	b, err = b.resolved(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(b.CacheDir, arch, "lambdawaf-extension")
	if err := b.run(ctx, []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + goarch},
		"build", "-trimpath", "-ldflags=-s -w -buildid=", "-tags", "netgo",
		"-o", bin, "./agent/cmd/lambdawaf-extension"); err != nil {
		return "", fmt.Errorf("build the %s agent: %w", arch, err)
	}
	zip := filepath.Join(b.CacheDir, "lambdawaf-"+arch+".zip")
	if err := b.run(ctx, nil, "run", "./agent/layer/cmd/mklayer", "-extension", bin, "-arch", arch, "-out", zip); err != nil {
		return "", fmt.Errorf("package the %s agent layer: %w", arch, err)
	}
	return zip, nil
}

// BootstrapZip builds the bootstrap layer zip and returns its path.
func (b LayerBuilder) BootstrapZip(ctx context.Context) (string, error) {
	b, err := b.resolved(ctx)
	if err != nil {
		return "", err
	}
	zip := filepath.Join(b.CacheDir, "lambdawaf-bootstrap.zip")
	if err := b.run(ctx, nil, "run", "./agent/layer/cmd/mklayer", "-bootstrap", "-out", zip); err != nil {
		return "", fmt.Errorf("package the bootstrap layer: %w", err)
	}
	return zip, nil
}

func goArch(arch string) (string, error) {
	switch arch {
	case ArchX86_64:
		return "amd64", nil
	case ArchArm64:
		return "arm64", nil
	}
	return "", fmt.Errorf("unknown architecture %q: want x86_64 or arm64", arch)
}

// resolved fills in the defaults.
func (b LayerBuilder) resolved(ctx context.Context) (LayerBuilder, error) {
	if b.Go == "" {
		b.Go = "go"
	}
	if b.ModuleDir == "" {
		dir, err := b.findModule(ctx)
		if err != nil {
			return b, err
		}
		b.ModuleDir = dir
	} else if !isModuleRoot(b.ModuleDir) {
		return b, fmt.Errorf("%s holds no %s agent source to build the layers from", b.ModuleDir, modulePath)
	}
	if b.CacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return b, fmt.Errorf("layer build cache: %w", err)
		}
		sum := sha256.Sum256([]byte(b.ModuleDir))
		b.CacheDir = filepath.Join(base, "lambdawaf", "layers", hex.EncodeToString(sum[:8]))
	}
	return b, nil
}

// findModule locates the module source: this package's own source tree
// when it is on disk (a Go program in or requiring the module, or a
// provider binary built without -trimpath), else the go command's answer.
func (b LayerBuilder) findModule(ctx context.Context) (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Dir(filepath.Dir(filepath.Dir(file))) // provider/lambdawaf/build.go
		if isModuleRoot(dir) {
			return dir, nil
		}
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, b.Go, "list", "-m", "-f", "{{.Dir}}", modulePath)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("cannot find the %s source to build the agent layer from (%v: %s): "+
			"build the zips with `make layer` and pass them as layerZip*, or pass published layer ARNs", modulePath, err, strings.TrimSpace(out.String()))
	}
	dir := strings.TrimSpace(out.String())
	if !isModuleRoot(dir) {
		return "", fmt.Errorf("%s at %q holds no agent source: build the zips with `make layer` or pass published layer ARNs", modulePath, dir)
	}
	return dir, nil
}

func isModuleRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if string(bytes.TrimSpace(first)) != "module "+modulePath {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "agent", "cmd", "lambdawaf-extension"))
	return err == nil
}

// run runs the go command in the module directory.
func (b LayerBuilder) run(ctx context.Context, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, b.Go, args...)
	cmd.Dir = b.ModuleDir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) || out.Len() > 0 {
			return fmt.Errorf("%s %s: %v\n%s", b.Go, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
		}
		return fmt.Errorf("%s %s: %w", b.Go, args[0], err)
	}
	return nil
}
