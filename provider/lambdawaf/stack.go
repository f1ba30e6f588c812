package lambdawaf

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Stack output names under which Export publishes an agent and
// AgentRefFromStack reads it back.
const (
	OutputLayerArnX86_64    = "layerArnX86_64"
	OutputLayerArnArm64     = "layerArnArm64"
	OutputBootstrapLayerArn = "bootstrapLayerArn"
	OutputConfigLayerArn    = "configLayerArn"
	OutputAgentKeySecretArn = "agentKeySecretArn"
	OutputKmsKeyArn         = "kmsKeyArn"
	OutputFirehoseStreamArn = "firehoseStreamArn"
)

// Export publishes the agent as stack outputs, for stacks that protect
// their functions with AgentRefFromStack. Absent parts are exported as
// empty strings, which protection treats as absent.
func (a *Agent) Export(ctx *pulumi.Context) {
	for name, v := range a.Outputs() {
		ctx.Export(name, v)
	}
}

// Outputs are the stack outputs Export publishes, by name.
func (a *Agent) Outputs() map[string]pulumi.StringOutput {
	out := map[string]pulumi.StringOutput{}
	for name, v := range map[string]pulumi.StringInput{
		OutputLayerArnX86_64:    a.ref.LayerArnX86_64,
		OutputLayerArnArm64:     a.ref.LayerArnArm64,
		OutputBootstrapLayerArn: a.ref.BootstrapLayerArn,
		OutputConfigLayerArn:    a.ref.ConfigLayerArn,
		OutputAgentKeySecretArn: a.ref.AgentKeySecretArn,
		OutputKmsKeyArn:         a.ref.KmsKeyArn,
		OutputFirehoseStreamArn: a.ref.FirehoseStreamArn,
	} {
		out[name] = optionalString(v)
	}
	return out
}

// AgentRefFromStack reads an agent another stack published with Export.
func AgentRefFromStack(stack *pulumi.StackReference) AgentRef {
	get := func(name string) pulumi.StringInput {
		return stack.GetOutput(pulumi.String(name)).ApplyT(func(v any) string {
			s, _ := v.(string)
			return s
		}).(pulumi.StringOutput)
	}
	return AgentRef{
		LayerArnX86_64:    get(OutputLayerArnX86_64),
		LayerArnArm64:     get(OutputLayerArnArm64),
		BootstrapLayerArn: get(OutputBootstrapLayerArn),
		ConfigLayerArn:    get(OutputConfigLayerArn),
		AgentKeySecretArn: get(OutputAgentKeySecretArn),
		KmsKeyArn:         get(OutputKmsKeyArn),
		FirehoseStreamArn: get(OutputFirehoseStreamArn),
	}
}
