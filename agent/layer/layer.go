// Package layer holds the files the lambdawaf layer ships besides the agent
// binary, embedded so that tools which build or emulate the layer use the
// very same bytes:
//
//   - lambdawaf-wrapper, installed as /opt/lambdawaf-wrapper: the
//     AWS_LAMBDA_EXEC_WRAPPER for managed runtimes.
//   - bootstrap, installed as /opt/bootstrap by its own layer (not the agent
//     layer, whose files must not collide with a custom runtime layer's
//     bootstrap): the entry point for OS-only runtimes whose executable is
//     named by the function's handler.
//
// Both are POSIX sh and point AWS_LAMBDA_RUNTIME_API at the agent.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package layer

import "embed"

// Files holds lambdawaf-wrapper and bootstrap, at the paths they take at the
// root of the layer (/opt). Install both with mode 0755.
//
//go:embed lambdawaf-wrapper bootstrap
var Files embed.FS

// Paths of the scripts in Files and in the layer.
const (
	WrapperPath   = "lambdawaf-wrapper"
	BootstrapPath = "bootstrap"
)
