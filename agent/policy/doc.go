// Package policy turns lambdawaf's configuration into decisions: custom
// rules, exclusions, the positive model, rate limits, bots and what to do
// with detection signals.
//
// A configuration is loaded once (Load, Parse): package document reads it
// and checks it against the published JSON Schema, then this package
// compiles it. Regular expressions, CIDR sets, lists and JSON Schemas are
// built at load time so that judging an event only runs precompiled
// matchers. A *Policy is immutable and safe for concurrent use; its rate
// limiter is the only state it keeps and is guarded internally.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package policy
