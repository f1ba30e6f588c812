// Package testenv holds what the end-to-end test packages under tests/
// share to set up their runs: where the module is, a free loopback port for
// each agent, and building the binaries they run once per `go test`.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"path/filepath"
	"runtime"
	"strconv"
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
	p, err := FreePorts(1)
	if err != nil {
		t.Fatal(err)
	}
	return p[0]
}

// Ports are picked in [portsFrom, portsTo), below Linux's ephemeral range
// (32768-60999): a port the kernel hands out for ":0" listeners and
// outgoing connections can be taken by any of them between the moment
// it is picked and the moment the agent binds it (an agent failed to
// start with "address already in use" so, while other packages' tests
// ran), and one below the range only by an explicit bind.
const (
	portsFrom = 20000
	portsTo   = 32768
)

// FreePorts returns n distinct loopback ports nobody listens on, each
// checked by binding it, picked at random below the ephemeral range.
func FreePorts(n int) ([]string, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]string, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries == 1000 {
			return nil, fmt.Errorf("pick %d loopback ports: %d free after %d tries", n, len(ports), tries)
		}
		port := strconv.Itoa(portsFrom + rand.IntN(portsTo-portsFrom))
		ln, err := net.Listen("tcp4", "127.0.0.1:"+port)
		if err != nil {
			continue // taken: try another
		}
		lns = append(lns, ln)
		ports = append(ports, port)
	}
	return ports, nil
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
