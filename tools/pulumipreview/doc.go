// Package pulumipreview runs an example's Pulumi program through the real
// Pulumi engine — the pulumi CLI built from the Go module proxy, a local
// file backend, the stand-in AWS provider plugin (tools/awsstandin) — the
// way `pulumi preview` and `pulumi up` would, with no account and no
// network. The program runs in-process through the Automation API, so the
// lambdawaf component is the Go library itself; the engine plans, checks,
// creates and diffs every resource.
//
// `make pulumi-preview` builds the CLI and the stand-in, then runs each
// example's test built with the pulumipreview tag; those tests call Run and
// assert on what the stand-in recorded. Nothing here runs in `make test`.
package pulumipreview
