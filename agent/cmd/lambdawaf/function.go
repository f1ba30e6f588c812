package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
	"github.com/lambdawaf/lambdawaf/agent/layer"
)

// function is the code serve runs and how it starts, resolved from -runtime,
// -handler and -function the way Lambda would start it.
type function struct {
	local.Function
	// goPackage is the Go main package built into Command[0] (empty when
	// the function was not built here); -watch rebuilds it.
	goPackage string
	// watch is what -watch polls for changes.
	watch string
	// bypass, when not empty, says why the function would reach the
	// Runtime API without going through the agent.
	bypass string
}

// errBypass marks a refusal to serve a function that would run unprotected.
var errBypass = errors.New("the function would bypass the agent")

// resolveFunction turns the flags into the runtime command. withAgent says
// whether the agent's layer (and its /opt/bootstrap) is installed.
//
// On provided.al2023 (and the older OS-only runtimes), -function is:
//   - an executable: it is the bootstrap;
//   - a directory with an executable bootstrap: that is the bootstrap;
//   - a directory without one and -handler NAME: the layer's /opt/bootstrap
//     runs DIR/NAME through the exec wrapper, as Lambda does when the
//     deployment package has no bootstrap;
//   - otherwise a Go main package (./dir or an import path), built here.
//
// On a managed runtime -function is the task root and -handler names the
// handler in it ("app.handler", "index.handler").
func resolveFunction(ctx context.Context, rt local.Runtime, spec, handler, cwd, work string, withAgent bool, env map[string]string) (*function, error) {
	if rt.Managed() {
		lf, err := local.ManagedFunction(ctx, rt, handler, spec, work)
		if err != nil {
			return nil, err
		}
		f := &function{Function: *lf, watch: lf.TaskRoot}
		if w, set := env[contract.EnvExecWrapper]; set && withAgent && w != contract.WrapperPath {
			f.bypass = fmt.Sprintf("%s is set to %q instead of %s: the runtime would reach the Runtime API without the agent", contract.EnvExecWrapper, w, contract.WrapperPath)
		}
		return f, nil
	}
	f := &function{Function: local.Function{Runtime: rt}}
	if rt.Deprecated != "" {
		f.Warnings = append(f.Warnings, fmt.Sprintf("runtime %s is deprecated: %s", rt.ID, rt.Deprecated))
	}
	fi, statErr := os.Stat(spec)
	switch {
	case statErr == nil && fi.Mode().IsRegular() && local.IsExecutable(spec):
		abs, err := filepath.Abs(spec)
		if err != nil {
			return nil, err
		}
		f.Command, f.watch = []string{abs}, abs
		f.HandlerName = handler
	case statErr == nil && fi.IsDir() && local.IsExecutable(filepath.Join(spec, "bootstrap")):
		abs, err := filepath.Abs(spec)
		if err != nil {
			return nil, err
		}
		f.Command, f.TaskRoot, f.watch = []string{filepath.Join(abs, "bootstrap")}, abs, abs
		f.HandlerName = cmpOr(handler, "bootstrap")
	case statErr == nil && fi.IsDir() && handler != "" && !hasGoFiles(spec):
		abs, err := filepath.Abs(spec)
		if err != nil {
			return nil, err
		}
		target := filepath.Join(abs, handler)
		if !local.IsExecutable(target) {
			return nil, fmt.Errorf("-handler %s: %s is not an executable file", handler, target)
		}
		f.TaskRoot, f.HandlerName, f.watch = abs, handler, abs
		if withAgent {
			// Lambda runs the layer's bootstrap when the package has none.
			f.Command = []string{"/opt/" + layer.BootstrapPath}
			f.Interpreter = "the layer's bootstrap, through lambdawaf-wrapper"
			return f, nil
		}
		f.Command = []string{target}
	default:
		out := filepath.Join(work, "task", "bootstrap")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := buildGo(ctx, cwd, spec, out); err != nil {
			return nil, err
		}
		f.Command, f.goPackage = []string{out}, spec
		f.HandlerName = handler
		f.watch = spec
		if statErr != nil || !fi.IsDir() {
			f.watch = "" // an import path: nothing local to watch
		}
	}
	if withAgent {
		x, err := local.InspectExecutable(f.Command[0])
		if err != nil {
			return nil, err
		}
		switch {
		case x.Redirects:
			f.Interpreter = "Go " + x.GoVersion + ", redirect.Start"
		case x.Go:
			f.bypass = fmt.Sprintf("%s is a Go program that does not call redirect.Start (%s): on %s it would reach the Runtime API directly, not through the agent",
				f.Command[0], local.RedirectPackage, rt.ID)
		default:
			f.bypass = fmt.Sprintf("%s is not a Go program calling redirect.Start: as the bootstrap of %s it would reach the Runtime API directly, not through the agent",
				f.Command[0], rt.ID)
		}
	}
	return f, nil
}

// buildGo builds a Go main package into out by way of a temporary file, so
// that a rebuild never writes over the executable a running environment
// has open. A directory is built from inside it, in whatever module it
// belongs to (the user's function, not necessarily the module of the
// working directory); an import path from dir.
func buildGo(ctx context.Context, dir, pkg, out string) error {
	if fi, err := os.Stat(pkg); err == nil && fi.IsDir() {
		dir, pkg = pkg, "."
	}
	tmp := out + ".new"
	if err := local.Build(ctx, dir, pkg, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

func hasGoFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// bypassAdvice is what a refusal tells the user to do.
const bypassAdvice = `To serve it protected:
  - Go: start the handler with redirect.Start(handler) instead of lambda.Start(handler)
    (go get ` + local.RedirectPackage + `), or
  - any executable: put it in a directory under another name than bootstrap and run
    lambdawaf serve -function DIR -handler NAME (the layer's bootstrap wraps it).
Pass -allow-bypass to serve it UNPROTECTED anyway.`
