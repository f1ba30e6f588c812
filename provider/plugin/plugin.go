// Package plugin serves the lambdawaf components (Agent,
// ProtectedFunction, AgentAccess) and the protectFunction function as a Pulumi multi-language component provider, so
// that TypeScript, Python, YAML, C# and Java programs can use them
// (`pulumi package add`).
//
// The components themselves live in
// github.com/lambdawaf/lambdawaf/provider/lambdawaf; this package only
// describes their arguments in the Pulumi type system and converts them.
// It is separate so that Go programs using the components directly do not
// depend on pulumi-go-provider.
package plugin

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Name is the Pulumi package name.
const Name = "lambdawaf"

// Version is the provider version, set at build time with
// -ldflags "-X github.com/lambdawaf/lambdawaf/provider/plugin.Version=1.2.3".
var Version = "0.1.0"

// Provider builds the component provider.
func Provider() (p.Provider, error) {
	return infer.NewProviderBuilder().
		WithDisplayName("lambdawaf").
		WithDescription("A web application firewall inside AWS Lambda: the lambdawaf agent layer, its key, logs and least-privilege IAM, wired into your functions.").
		WithKeywords("aws", "lambda", "waf", "security", "kind/component", "category/cloud").
		WithHomepage("https://github.com/lambdawaf/lambdawaf").
		WithRepository("https://github.com/lambdawaf/lambdawaf").
		WithPublisher("lambdawaf").
		WithLicense("Apache-2.0").
		WithNamespace("lambdawaf").
		WithGoImportPath("github.com/lambdawaf/lambdawaf/sdk/go/lambdawaf").
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"plugin": "index"}).
		WithComponents(
			infer.ComponentF(NewAgent),
			infer.ComponentF(NewProtectedFunction),
			infer.ComponentF(NewAgentAccess),
		).
		WithFunctions(
			infer.Function(&ProtectFunction{}),
		).
		Build()
}

// Run serves the provider to the Pulumi engine.
func Run(ctx context.Context) error {
	prov, err := Provider()
	if err != nil {
		return err
	}
	return prov.Run(ctx, Name, Version)
}
