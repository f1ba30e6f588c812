// Package redirectmodule checks the promise made to user functions: the
// redirect package is its own module (github.com/lambdawaf/lambdawaf/agent/redirect)
// that a Go function requires with one line, at an old Go version, without
// the rest of lambdawaf, and that it spells the agent's contract exactly as
// the agent does.
package redirectmodule
