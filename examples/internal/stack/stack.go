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

// RepoRoot is the repository root as seen from an example's directory,
// where `make layer` leaves the layer zips.
const RepoRoot = "../.."

// Waf returns the waf block for the example's functions.
//
// With `pulumi config set infraStack <org>/lambdawaf-infra/<stack>` the
// functions use the layers and agent key the shared infra stack published;
// otherwise the example creates its own agent from the layer zips in
// dist/layer, with the configuration document lambdawaf.yaml next to the
// program.
func Waf(ctx *pulumi.Context, mode lambdawaf.Mode) (lambdawaf.WafArgs, error) {
	settings := lambdawaf.Settings{Mode: mode, FailurePolicy: lambdawaf.FailOpen}
	if infra := config.Get(ctx, "infraStack"); infra != "" {
		ref, err := pulumi.NewStackReference(ctx, "infra", &pulumi.StackReferenceArgs{Name: pulumi.String(infra)})
		if err != nil {
			return lambdawaf.WafArgs{}, fmt.Errorf("infra stack %s: %w", infra, err)
		}
		return lambdawaf.WafArgs{Settings: settings, AgentRef: &lambdawaf.AgentRef{
			LayerArnX86_64:    ref.GetStringOutput(pulumi.String("layerArnX86_64")),
			LayerArnArm64:     ref.GetStringOutput(pulumi.String("layerArnArm64")),
			AgentKeySecretArn: ref.GetStringOutput(pulumi.String("agentKeySecretArn")),
			FirehoseStreamArn: ref.GetStringOutput(pulumi.String("firehoseStreamArn")),
		}}, nil
	}
	agent, err := lambdawaf.NewAgent(ctx, "waf", &lambdawaf.AgentArgs{
		LayerZipX86_64:     filepath.Join(RepoRoot, lambdawaf.DefaultLayerZip(lambdawaf.ArchX86_64)),
		LayerZipArm64:      filepath.Join(RepoRoot, lambdawaf.DefaultLayerZip(lambdawaf.ArchArm64)),
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
