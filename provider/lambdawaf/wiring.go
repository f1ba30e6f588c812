package lambdawaf

import (
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Wiring is how a function's runtime is pointed at the agent instead of the
// real Runtime API.
type Wiring string

const (
	// WiringAuto picks the wiring from the runtime: WiringWrapper for managed
	// runtimes; for OS-only runtimes, WiringInProcess when the handler is
	// "bootstrap" (the Go convention) and WiringBootstrap otherwise.
	WiringAuto Wiring = "auto"
	// WiringWrapper sets AWS_LAMBDA_EXEC_WRAPPER to the layer's wrapper
	// script, which points the managed runtime at the agent before it
	// starts. Managed runtimes only: provided.* runtimes ignore the variable.
	WiringWrapper Wiring = "wrapper"
	// WiringInProcess relies on the function itself: a Go function built for
	// provided.al2023 or provided.al2 calls redirect.Start from
	// github.com/lambdawaf/lambdawaf/agent/redirect instead of lambda.Start.
	// Nothing runtime-specific is set on the function.
	WiringInProcess Wiring = "inprocess"
	// WiringBootstrap uses the layer's /opt/bootstrap, which points the
	// runtime at the agent and execs $LAMBDA_TASK_ROOT/$_HANDLER. The
	// function's own binary must therefore not be named "bootstrap" (Lambda
	// would run it directly and bypass the agent); the handler names it.
	WiringBootstrap Wiring = "bootstrap"
)

// WrapperPath is where the layer installs the exec wrapper for managed
// runtimes.
const WrapperPath = contract.WrapperPath

// runtimeFamily groups Lambda runtimes by how they can be redirected.
type runtimeFamily int

const (
	familyUnknown runtimeFamily = iota
	familyManaged
	familyOSOnly
)

// managedPrefixes are the runtime identifiers that honour
// AWS_LAMBDA_EXEC_WRAPPER.
var managedPrefixes = []string{"nodejs", "python", "java", "dotnet", "ruby"}

func familyOf(runtime string) runtimeFamily {
	if strings.HasPrefix(runtime, "provided") {
		return familyOSOnly
	}
	for _, p := range managedPrefixes {
		if strings.HasPrefix(runtime, p) {
			return familyManaged
		}
	}
	return familyUnknown
}

// ParseWiring checks a wiring name; the empty string means WiringAuto.
func ParseWiring(s string) (Wiring, error) {
	switch w := Wiring(s); w {
	case "":
		return WiringAuto, nil
	case WiringAuto, WiringWrapper, WiringInProcess, WiringBootstrap:
		return w, nil
	}
	return "", fmt.Errorf("unknown wiring %q: want auto, wrapper, inprocess or bootstrap", s)
}

// resolveWiring decides the concrete wiring for a zip-packaged function and
// rejects combinations that would leave the function silently unprotected.
func resolveWiring(w Wiring, runtime, handler string) (Wiring, error) {
	if runtime == "" {
		return "", fmt.Errorf("runtime is required for a zip-packaged function")
	}
	if runtime == "go1.x" {
		return "", fmt.Errorf("runtime go1.x is retired and cannot be redirected: build for provided.al2023 and call redirect.Start")
	}
	family := familyOf(runtime)
	if family == familyUnknown {
		return "", fmt.Errorf("runtime %q is not supported: want nodejs*, python*, java*, dotnet*, ruby* or provided.*", runtime)
	}
	w, err := ParseWiring(string(w))
	if err != nil {
		return "", err
	}
	if w == WiringAuto {
		switch {
		case family == familyManaged:
			return WiringWrapper, nil
		case handler == "" || handler == "bootstrap":
			return WiringInProcess, nil
		default:
			return WiringBootstrap, nil
		}
	}
	switch {
	case w == WiringWrapper && family == familyOSOnly:
		return "", fmt.Errorf("wiring wrapper does not work on %s: OS-only runtimes ignore AWS_LAMBDA_EXEC_WRAPPER; use inprocess (Go with redirect.Start) or bootstrap", runtime)
	case w == WiringInProcess && family == familyManaged:
		return "", fmt.Errorf("wiring inprocess is for Go functions on provided.* runtimes, not %s; use wrapper", runtime)
	case w == WiringBootstrap && family == familyManaged:
		return "", fmt.Errorf("wiring bootstrap is for provided.* runtimes, not %s (managed runtimes never run /opt/bootstrap); use wrapper", runtime)
	case w == WiringBootstrap && (handler == "" || handler == "bootstrap"):
		return "", fmt.Errorf("wiring bootstrap needs the function's binary under another name than %q, named by the handler: Lambda runs $LAMBDA_TASK_ROOT/bootstrap directly and would bypass the agent", "bootstrap")
	}
	return w, nil
}
