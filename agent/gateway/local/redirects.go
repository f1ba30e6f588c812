package local

import (
	"bytes"
	"debug/buildinfo"
	"fmt"
	"os"
)

// RedirectPackage is the package a Go function on an OS-only runtime calls
// (redirect.Start instead of lambda.Start) so that its Runtime API client
// talks to the agent: such runtimes ignore AWS_LAMBDA_EXEC_WRAPPER.
const RedirectPackage = "github.com/lambdawaf/lambdawaf/agent/redirect"

// redirectFunc is the function every entry point of RedirectPackage runs;
// its name is in the binary's function table (pclntab, kept even by
// -ldflags=-s) exactly when the program can call it.
var redirectFunc = []byte(RedirectPackage + ".Redirect")

// Executable is what serve learns about a function's executable before
// running it as the runtime.
type Executable struct {
	// Go says the file is a Go program (it has build info).
	Go bool
	// GoVersion and MainModule come from the build info.
	GoVersion, MainModule string
	// Redirects says the program links the redirect package, so it reaches
	// the Runtime API through the agent.
	Redirects bool
}

// InspectExecutable reads an executable's Go build info
// (debug/buildinfo) and function table to tell whether, run as a
// provided.al2023 bootstrap, it goes through the agent. A file that is not
// a Go program has Go false: nothing in it redirects.
func InspectExecutable(path string) (Executable, error) {
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		if _, serr := os.Stat(path); serr != nil {
			return Executable{}, fmt.Errorf("inspect %s: %w", path, serr)
		}
		return Executable{}, nil // not a Go program (or one without build info)
	}
	x := Executable{Go: true, GoVersion: bi.GoVersion, MainModule: bi.Main.Path}
	linked := bi.Main.Path == "github.com/lambdawaf/lambdawaf" // built inside this module
	for _, d := range bi.Deps {
		if d.Path == RedirectPackage || d.Path == "github.com/lambdawaf/lambdawaf" {
			linked = true
		}
	}
	if !linked {
		return x, nil
	}
	// The module is a dependency; make sure the program calls it rather
	// than lambda.Start.
	b, err := os.ReadFile(path)
	if err != nil {
		return x, fmt.Errorf("inspect %s: %w", path, err)
	}
	x.Redirects = bytes.Contains(b, redirectFunc)
	return x, nil
}
