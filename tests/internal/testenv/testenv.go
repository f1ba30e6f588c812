// Package testenv holds what the end-to-end test packages under tests/
// share to set up their runs: where the module is, a free loopback port for
// each agent, and building the binaries they run once per `go test`.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

// ModuleRoot returns the repository root, found from this file's location
// so that it does not depend on the test's working directory or on a go
// command being on PATH.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// FreePort returns a loopback port nobody listens on, so emulated
// functions can run in parallel, each agent on its own LAMBDAWAF_PORT.
func FreePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// Binary is one main package to build: Pkg is a ./relative package of the
// module, Out the executable to write, Tags the build tags (none for the
// production agent).
type Binary struct {
	Pkg, Out string
	Tags     []string
}

// BuildAll builds the binaries concurrently with local.Build (static, as
// Lambda runs them); the go command's own parallelism and cache keep that
// cheap on a shared machine. It returns every failure, each with the
// compiler's output.
func BuildAll(ctx context.Context, bins ...Binary) error {
	root := ModuleRoot()
	errs := make([]error, len(bins))
	var wg sync.WaitGroup
	for i, b := range bins {
		wg.Go(func() { errs[i] = local.Build(ctx, root, b.Pkg, b.Out, b.Tags...) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
