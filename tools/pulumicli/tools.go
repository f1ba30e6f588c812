//go:build tools

// Package pulumicli pins the pulumi CLI and the YAML language host that
// `make pulumi-preview` builds from the Go module proxy. It is its own
// module so the engine's dependencies never enter the main go.mod.
//
// The Go language host (github.com/pulumi/pulumi/sdk/go/pulumi-language-go)
// is not served by the proxy here: the Go examples run in-process through
// the Automation API instead (tools/pulumipreview).
package pulumicli

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
