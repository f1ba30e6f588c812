//go:build tools

// Package pulumicli pins the pulumi CLI and the Go language host that
// `make pulumi-preview` builds from the Go module proxy. It is its own
// module so the pulumi engine's dependencies never enter the main go.mod.
package pulumicli

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
