// Package stack holds what every example program does the same way: decide
// which lambdawaf agent protects its functions, and package a Go handler.
package stack

import (
	"fmt"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

// Waf returns the waf block for the example's functions.
//
// With `pulumi config set infraStack <org>/lambdawaf-infra/<stack>` the
// functions use the layers and agent key the shared infra stack published;
// otherwise the example creates its own agent, its layers built from the
// module's source, with the configuration document lambdawaf.yaml next to the
// program.
func Waf(ctx *pulumi.Context, mode lambdawaf.Mode) (lambdawaf.WafArgs, error) {
	settings := lambdawaf.Settings{Mode: mode, FailurePolicy: lambdawaf.FailOpen}
	if infra := config.Get(ctx, "infraStack"); infra != "" {
		ref, err := pulumi.NewStackReference(ctx, "infra", &pulumi.StackReferenceArgs{Name: pulumi.String(infra)})
		if err != nil {
			return lambdawaf.WafArgs{}, fmt.Errorf("infra stack %s: %w", infra, err)
		}
		// Every output the infra stack exports for its agent: layers,
		// bootstrap and configuration layers, key secret, KMS key, stream.
		agent := lambdawaf.AgentRefFromStack(ref)
		return lambdawaf.WafArgs{Settings: settings, AgentRef: &agent}, nil
	}
	// The agent layers are built from this module's source at preview
	// time (`make layer` is not needed first).
	agent, err := lambdawaf.NewAgent(ctx, "waf", &lambdawaf.AgentArgs{
		ConfigurationFile:  "lambdawaf.yaml",
		LogRetentionInDays: 14,
	})
	if err != nil {
		return lambdawaf.WafArgs{}, fmt.Errorf("lambdawaf agent: %w", err)
	}
	return lambdawaf.WafArgs{Settings: settings, Agent: agent}, nil
}

// GoHandler is the archive of the example's Go handler built for arch:
// handler/dist/<arch>/bootstrap, which `make examples` builds.
func GoHandler(arch string) pulumi.Archive {
	return pulumi.NewFileArchive(filepath.Join("handler", "dist", arch))
}
