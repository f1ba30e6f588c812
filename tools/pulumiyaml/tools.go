//go:build tools

// Package pulumiyaml pins the YAML language host (pulumi-language-yaml)
// that `make pulumi-preview` builds beside the pulumi CLI for the YAML
// example. Its own module: pulumi-yaml v1.25.0 compiles against the pulumi
// pkg/sdk v3.206.0 it requires, not against the CLI's v3.256.0; the two
// talk over the language host's gRPC protocol, which is compatible.
package pulumiyaml

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
