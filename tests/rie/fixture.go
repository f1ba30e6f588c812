// Package rie measures and checks lambdawaf on AWS's own runtime interface
// emulator (aws-lambda-rie, driven by tests/internal/awsrie), beside the
// same handler invoked directly, beside a no-op extension and behind a bare
// httputil.ReverseProxy extension, in one run. `go test ./tests/rie/`
// runs a short correctness check (no lost, duplicated or altered
// invocations over mixed traffic, one at a time and under Managed
// Instances emulation); `make bench-rie` (./tests/rie/benchrie) prints the
// latency, init, memory and load table of the README and runs the long
// correctness check.
package rie

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/layer"
	"github.com/lambdawaf/lambdawaf/tests/internal/awsrie"
	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// Setup is one way of running the handler: which layer is on /opt and
// what the environment adds.
type Setup struct {
	Name string
	// Layer is the directory mounted on /opt.
	Layer string
	// Env is added to the function's environment.
	Env []string
	// Process is the extension's path inside the environment, whose RSS is
	// reported; empty when there is none.
	Process string
}

// Fixture is the built binaries laid out as layers and a function
// directory, in a directory every user can read (Managed Instances mode
// runs the function as uid 993).
type Fixture struct {
	Dir  string
	Task string // holds bootstrap, the tests/rie/handler binary

	Direct, Noop, Bare, Off, Log, Block Setup
}

// Build compiles the handler, the agent (as shipped: no test hooks), the
// bare proxy and the no-op extension, and lays out one layer for each
// setup. Remove Dir when done.
func Build(ctx context.Context) (*Fixture, error) {
	dir, err := os.MkdirTemp("", "lambdawaf-rie-")
	if err != nil {
		return nil, err
	}
	f := &Fixture{Dir: dir, Task: filepath.Join(dir, "task")}
	bin := filepath.Join(dir, "bin")
	err = testenv.BuildAll(ctx,
		testenv.Binary{Pkg: "./tests/rie/handler", Out: filepath.Join(f.Task, "bootstrap")},
		testenv.Binary{Pkg: "./agent/cmd/lambdawaf-extension", Out: filepath.Join(bin, "lambdawaf")},
		testenv.Binary{Pkg: "./tests/rie/bareproxy", Out: filepath.Join(bin, "bareproxy")},
		testenv.Binary{Pkg: "./tests/rie/noopext", Out: filepath.Join(bin, "noopext")},
	)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	agentPath := contract.ExtensionsDir + "/" + contract.ExtensionName
	f.Direct = Setup{Name: "direct", Layer: filepath.Join(dir, "opt-direct")}
	f.Noop = Setup{Name: "no-op extension", Layer: filepath.Join(dir, "opt-noop"), Process: contract.ExtensionsDir + "/noopext"}
	f.Bare = Setup{Name: "bare proxy", Layer: filepath.Join(dir, "opt-bare"), Process: agentPath}
	agentLayer := filepath.Join(dir, "opt-agent")
	f.Off = Setup{Name: "lambdawaf off", Layer: agentLayer, Env: []string{contract.EnvMode + "=off"}, Process: agentPath}
	f.Log = Setup{Name: "lambdawaf log", Layer: agentLayer, Env: []string{contract.EnvMode + "=log"}, Process: agentPath}
	f.Block = Setup{Name: "lambdawaf block", Layer: agentLayer, Env: []string{contract.EnvMode + "=block"}, Process: agentPath}

	steps := []error{
		os.MkdirAll(filepath.Join(f.Direct.Layer, "extensions"), 0o755),
		install(filepath.Join(bin, "noopext"), filepath.Join(f.Noop.Layer, "extensions", "noopext")),
		install(filepath.Join(bin, "bareproxy"), filepath.Join(f.Bare.Layer, "extensions", contract.ExtensionName)),
		layer.Install(agentLayer, filepath.Join(bin, "lambdawaf")),
	}
	for _, err := range steps {
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("lay out the rie fixture: %w", err)
		}
	}
	// os.MkdirTemp makes the root 0700: uid 993 could not exec anything.
	if err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(p, fi.Mode().Perm()|0o555)
	}); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("make the rie fixture readable: %w", err)
	}
	return f, nil
}

// Setups returns every setup in the order of the benchmark's table.
func (f *Fixture) Setups() []Setup {
	return []Setup{f.Direct, f.Noop, f.Bare, f.Off, f.Log, f.Block}
}

// Close removes the fixture.
func (f *Fixture) Close() { os.RemoveAll(f.Dir) }

func install(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.Rename(src, dst)
}

// Function is one emulated function: the emulator around a Setup.
type Function struct {
	*awsrie.Emulator
	Setup Setup
}

// RunOptions tune Start.
type RunOptions struct {
	// MaxConcurrency > 0 runs in Managed Instances mode.
	MaxConcurrency int
	// TimeoutSeconds is the function timeout (AWS_LAMBDA_FUNCTION_TIMEOUT);
	// 0 is the emulator's default.
	TimeoutSeconds int
	// Env is added after the setup's.
	Env []string
	// OnLine sees every output line.
	OnLine func(string)
	// LogLevel is the emulator's; empty is info.
	LogLevel string
}

// Start runs the handler under s on AWS's emulator, with the agent (or
// bare proxy) on a port of its own.
func (f *Fixture) Start(ctx context.Context, s Setup, o RunOptions) (*Function, error) {
	ports, err := testenv.FreePorts(1)
	if err != nil {
		return nil, err
	}
	env := append([]string{contract.EnvPort + "=" + ports[0]}, s.Env...)
	if o.TimeoutSeconds > 0 {
		env = append(env, fmt.Sprintf("AWS_LAMBDA_FUNCTION_TIMEOUT=%d", o.TimeoutSeconds))
	}
	env = append(env, o.Env...)
	e, err := awsrie.Start(ctx, awsrie.Options{
		Layer:          s.Layer,
		Task:           f.Task,
		Bootstrap:      "/var/task/bootstrap",
		MaxConcurrency: o.MaxConcurrency,
		Env:            env,
		OnLine:         o.OnLine,
		LogLevel:       o.LogLevel,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	return &Function{Emulator: e, Setup: s}, nil
}
