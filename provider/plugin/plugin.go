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
	"encoding/json"
	"fmt"
	"slices"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Name is the Pulumi package name.
const Name = "lambdawaf"

// The package names of the generated SDKs. The Go SDK lives inside
// provider/ (the repository's top level is fixed).
const (
	NodePackage   = "@lambdawaf/lambdawaf"
	PythonPackage = "lambdawaf"
	GoImportPath  = "github.com/lambdawaf/lambdawaf/provider/sdk/go/lambdawaf"
)

// Version is the provider version, set at build time with
// -ldflags "-X github.com/lambdawaf/lambdawaf/provider/plugin.Version=1.2.3".
var Version = "0.1.0"

// Provider builds the component provider.
func Provider() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("lambdawaf").
		WithDescription("A web application firewall inside AWS Lambda: the lambdawaf agent layer, its key, logs and least-privilege IAM, wired into your functions.").
		WithKeywords("aws", "lambda", "waf", "security", "kind/component", "category/cloud").
		WithHomepage("https://github.com/lambdawaf/lambdawaf").
		WithRepository("https://github.com/lambdawaf/lambdawaf").
		WithPublisher("lambdawaf").
		WithLicense("Apache-2.0").
		WithNamespace("lambdawaf").
		WithLanguageMap(map[string]any{
			"nodejs": map[string]any{"packageName": NodePackage, "respectSchemaVersion": true},
			"python": map[string]any{"packageName": PythonPackage, "respectSchemaVersion": true, "pyproject": map[string]any{"enabled": true}},
			"go":     map[string]any{"generateResourceContainerTypes": true, "respectSchemaVersion": true},
			"csharp": map[string]any{"respectSchemaVersion": true},
		}).
		WithGoImportPath(GoImportPath).
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
	if err != nil {
		return prov, err
	}
	return withOptionalOutputs(prov), nil
}

// OptionalOutputs are the component outputs that can be absent, by type
// token. The schema must not list them as required, or every SDK types
// them as always present. infer would learn it from a `pulumi:"x,optional"`
// tag, but the Go SDK (v3.256) then returns the component's state under
// the key "x,optional", so the tags stay plain and the schema is
// corrected here.
var OptionalOutputs = map[string][]string{
	"lambdawaf:index:Agent": {"layerArnX86_64", "layerArnArm64", "bootstrapLayerArn", "configLayerArn", "kmsKeyArn", "firehoseStreamArn"},
}

// withOptionalOutputs removes OptionalOutputs from the schema's required
// outputs.
func withOptionalOutputs(prov p.Provider) p.Provider {
	get := prov.GetSchema
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := get(ctx, req)
		if err != nil {
			return resp, err
		}
		var spec map[string]json.RawMessage
		if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
			return resp, fmt.Errorf("schema: %w", err)
		}
		var resources map[string]map[string]json.RawMessage
		if err := json.Unmarshal(spec["resources"], &resources); err != nil {
			return resp, fmt.Errorf("schema resources: %w", err)
		}
		for token, optional := range OptionalOutputs {
			r, ok := resources[token]
			if !ok {
				return resp, fmt.Errorf("schema has no resource %s", token)
			}
			var required []string
			if err := json.Unmarshal(r["required"], &required); err != nil {
				return resp, fmt.Errorf("schema %s required: %w", token, err)
			}
			required = slices.DeleteFunc(required, func(s string) bool { return slices.Contains(optional, s) })
			b, err := json.Marshal(required)
			if err != nil {
				return resp, err
			}
			r["required"] = b
		}
		b, err := json.Marshal(resources)
		if err != nil {
			return resp, err
		}
		spec["resources"] = b
		out, err := json.Marshal(spec)
		if err != nil {
			return resp, err
		}
		resp.Schema = string(out)
		return resp, nil
	}
	return prov
}

// Run serves the provider to the Pulumi engine.
func Run(ctx context.Context) error {
	prov, err := Provider()
	if err != nil {
		return err
	}
	return prov.Run(ctx, Name, Version)
}
