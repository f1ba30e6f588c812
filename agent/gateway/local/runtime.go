package local

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Runtime is a Lambda runtime identifier that serve emulates: which
// interpreter starts the function and which environment Lambda gives it.
// See https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html.
type Runtime struct {
	// ID is the identifier as the function's configuration names it
	// ("provided.al2023", "python3.13", "nodejs22.x").
	ID string
	// Language is "provided", "python" or "nodejs".
	Language string
	// Version is the interpreter version the runtime ships ("3.13", "22");
	// empty for OS-only runtimes.
	Version string
	// Deprecated says why the identifier is no longer a runtime Lambda
	// lets new functions use; empty for supported ones.
	Deprecated string
}

// DefaultRuntime is the runtime of a function that names none: an OS-only
// runtime that runs the executable in the deployment package.
const DefaultRuntime = "provided.al2023"

// runtimes lists the identifiers serve accepts, supported ones first.
var runtimes = []Runtime{
	{ID: "provided.al2023", Language: "provided"},
	{ID: "python3.14", Language: "python", Version: "3.14"},
	{ID: "python3.13", Language: "python", Version: "3.13"},
	{ID: "python3.12", Language: "python", Version: "3.12"},
	{ID: "python3.11", Language: "python", Version: "3.11"},
	{ID: "nodejs24.x", Language: "nodejs", Version: "24"},
	{ID: "nodejs22.x", Language: "nodejs", Version: "22"},

	{ID: "provided.al2", Language: "provided", Deprecated: "Amazon Linux 2 reaches end of support in 2026; use provided.al2023"},
	{ID: "provided", Language: "provided", Deprecated: "Amazon Linux 1 runtimes are retired; use provided.al2023"},
	{ID: "go1.x", Language: "provided", Deprecated: "go1.x is retired; Go functions run on provided.al2023"},
	{ID: "python3.10", Language: "python", Version: "3.10", Deprecated: "use python3.11 or later"},
	{ID: "python3.9", Language: "python", Version: "3.9", Deprecated: "use python3.11 or later"},
	{ID: "python3.8", Language: "python", Version: "3.8", Deprecated: "use python3.11 or later"},
	{ID: "nodejs20.x", Language: "nodejs", Version: "20", Deprecated: "use nodejs22.x or later"},
	{ID: "nodejs18.x", Language: "nodejs", Version: "18", Deprecated: "use nodejs22.x or later"},
	{ID: "nodejs16.x", Language: "nodejs", Version: "16", Deprecated: "use nodejs22.x or later"},
}

// ParseRuntime looks an identifier up. An unknown one is an error that
// lists the supported identifiers.
func ParseRuntime(id string) (Runtime, error) {
	if id == "" {
		id = DefaultRuntime
	}
	for _, r := range runtimes {
		if r.ID == id {
			return r, nil
		}
	}
	var supported []string
	for _, r := range runtimes {
		if r.Deprecated == "" {
			supported = append(supported, r.ID)
		}
	}
	return Runtime{}, fmt.Errorf("unknown runtime %q (supported: %s)", id, strings.Join(supported, ", "))
}

// Managed reports whether Lambda provides the runtime's interpreter (and
// honours AWS_LAMBDA_EXEC_WRAPPER), as opposed to an OS-only runtime.
func (r Runtime) Managed() bool { return r.Language != "provided" }

func (r Runtime) String() string { return r.ID }

//go:embed bootstrap/python.py bootstrap/node.mjs
var bootstraps embed.FS

// Function is how the emulation starts a function's runtime process, as
// Lambda would: the command, _HANDLER and LAMBDA_TASK_ROOT.
type Function struct {
	Runtime Runtime
	// Command is the runtime process's argv.
	Command []string
	// HandlerName is _HANDLER.
	HandlerName string
	// TaskRoot is LAMBDA_TASK_ROOT and the runtime's working directory.
	TaskRoot string
	// Interpreter describes what runs the code ("python3 3.11.7 (built-in
	// bootstrap)"), for the start-up banner.
	Interpreter string
	// Warnings are differences from Lambda the user should know about (an
	// interpreter of another version, a deprecated runtime).
	Warnings []string
	// Env is configuration the emulation adds, unless the user set it:
	// PYTHONDONTWRITEBYTECODE for Python, whose task root on Lambda is
	// read-only (no __pycache__ is written into the user's directory).
	Env map[string]string
}

// ManagedFunction prepares a Python or Node.js function: the handler
// (_HANDLER, "index.handler") in the directory taskRoot, run by the
// python3 or node on PATH. It uses AWS's runtime interface client when it
// is installed (python's awslambdaric, npm aws-lambda-ric in taskRoot's
// node_modules or on PATH), else the built-in bootstrap, written into
// scratch.
func ManagedFunction(ctx context.Context, rt Runtime, handler, taskRoot, scratch string) (*Function, error) {
	if !rt.Managed() {
		return nil, fmt.Errorf("%s is not a managed runtime", rt.ID)
	}
	if handler == "" {
		return nil, fmt.Errorf("runtime %s needs -handler (for example %s)", rt.ID, exampleHandler(rt))
	}
	if !strings.Contains(handler, ".") {
		return nil, fmt.Errorf("handler %q is not module.function (for example %s)", handler, exampleHandler(rt))
	}
	root, err := filepath.Abs(taskRoot)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("function directory %s: not a directory", taskRoot)
	}
	f := &Function{Runtime: rt, HandlerName: handler, TaskRoot: root}
	if rt.Language == "python" {
		f.Env = map[string]string{"PYTHONDONTWRITEBYTECODE": "1"}
	}
	if rt.Deprecated != "" {
		f.Warnings = append(f.Warnings, fmt.Sprintf("runtime %s is deprecated: %s", rt.ID, rt.Deprecated))
	}
	name, versionArg, ric := "python3", "-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"
	if rt.Language == "nodejs" {
		name, versionArg, ric = "node", "-e", "console.log(process.execPath); console.log(process.versions.node)"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("runtime %s needs %s on PATH: %w", rt.ID, name, err)
	}
	// The real executable, not a version manager's shim, which needs
	// variables Lambda does not set.
	out, err := exec.CommandContext(ctx, path, versionArg, ric).Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", path, versionArg, err)
	}
	exe, version, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	version = strings.TrimSpace(version)
	if !sameVersion(rt.Version, version) {
		f.Warnings = append(f.Warnings, fmt.Sprintf("runtime %s runs %s %s, but the %s on PATH is %s: behaviour may differ", rt.ID, name, rt.Version, name, version))
	}
	f.Interpreter = name + " " + version
	if cmd := runtimeInterfaceClient(ctx, rt, exe, root, handler); cmd != nil {
		f.Command = cmd
		f.Interpreter += " (AWS runtime interface client)"
		return f, nil
	}
	file := "bootstrap/python.py"
	if rt.Language == "nodejs" {
		file = "bootstrap/node.mjs"
	}
	script, err := bootstraps.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dst := filepath.Join(scratch, "runtime", filepath.Base(file))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(dst, script, 0o644); err != nil {
		return nil, fmt.Errorf("write the %s bootstrap: %w", rt.Language, err)
	}
	f.Command = []string{exe, dst}
	f.Interpreter += " (lambdawaf's built-in bootstrap)"
	return f, nil
}

// runtimeInterfaceClient returns the command that runs handler with AWS's
// runtime interface client, or nil when it is not installed.
func runtimeInterfaceClient(ctx context.Context, rt Runtime, exe, root, handler string) []string {
	switch rt.Language {
	case "python":
		if exec.CommandContext(ctx, exe, "-c", "import awslambdaric").Run() == nil {
			return []string{exe, "-m", "awslambdaric", handler}
		}
	case "nodejs":
		bin := filepath.Join(root, "node_modules", ".bin", "aws-lambda-ric")
		if IsExecutable(bin) {
			return []string{bin, handler}
		}
		if p, err := exec.LookPath("aws-lambda-ric"); err == nil {
			return []string{p, handler}
		}
	}
	return nil
}

// sameVersion reports whether the interpreter's version (3.11.7, 22.3.0)
// is the runtime's (3.11, 22).
func sameVersion(want, got string) bool {
	return got == want || strings.HasPrefix(got, want+".")
}

func exampleHandler(rt Runtime) string {
	if rt.Language == "python" {
		return "app.handler for app.py"
	}
	return "index.handler for index.mjs"
}
