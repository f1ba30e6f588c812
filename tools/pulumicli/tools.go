//go:build tools

// Package pulumicli pins the pulumi CLI that `make pulumi-preview` builds
// from the Go module proxy. It is its own module so the engine's
// dependencies never enter the main go.mod.
//
// The Go language host (github.com/pulumi/pulumi/sdk/go/pulumi-language-go)
// is not served by the proxy here: the Go examples run in-process through
// the Automation API instead (tools/pulumipreview). The YAML language host
// has its module of its own (tools/pulumiyaml): pulumi-yaml v1.25.0 does not
// compile against pkg v3.256.0.
package pulumicli

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
