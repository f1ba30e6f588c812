package lambdawaf

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// FunctionConfig is the part of a function's configuration protection
// reads and changes, as known values.
type FunctionConfig struct {
	PackageType   string
	Runtime       string
	Handler       string
	Architectures []string
	Layers        []string
	Environment   map[string]string
}

// AgentARNs is an agent by its ARNs, as known values; empty means absent.
type AgentARNs struct {
	LayerArnX86_64    string
	LayerArnArm64     string
	BootstrapLayerArn string
	ConfigLayerArn    string
	AgentKeySecretArn string
	KmsKeyArn         string
	FirehoseStreamArn string
}

// ProtectedConfig is a function's protected configuration.
type ProtectedConfig struct {
	Layers      []string
	Environment map[string]string
	Wiring      Wiring
	// LayerArn is the agent layer chosen for the function's architecture.
	LayerArn string
}

// ProtectConfig is Protect over known values: the same checks and the same
// result, for callers that hold plain configuration rather than Pulumi
// inputs (the multi-language provider's protectFunction function, or a
// program in another language that builds its functions itself).
func ProtectConfig(fn FunctionConfig, agent AgentARNs, s Settings) (ProtectedConfig, error) {
	input := func(v string) pulumi.StringInput {
		if v == "" {
			return nil
		}
		return pulumi.String(v)
	}
	o := ProtectOptions{Settings: s, Agent: AgentRef{
		LayerArnX86_64:    input(agent.LayerArnX86_64),
		LayerArnArm64:     input(agent.LayerArnArm64),
		BootstrapLayerArn: input(agent.BootstrapLayerArn),
		ConfigLayerArn:    input(agent.ConfigLayerArn),
		AgentKeySecretArn: input(agent.AgentKeySecretArn),
		KmsKeyArn:         input(agent.KmsKeyArn),
		FirehoseStreamArn: input(agent.FirehoseStreamArn),
	}}
	if err := o.validate(); err != nil {
		return ProtectedConfig{}, err
	}
	d, err := o.decide(functionShape{PackageType: fn.PackageType, Runtime: fn.Runtime, Handler: fn.Handler, Architectures: fn.Architectures})
	if err != nil {
		return ProtectedConfig{}, err
	}
	layer, other := agent.LayerArnX86_64, agent.LayerArnArm64
	if d.arch == ArchArm64 {
		layer, other = other, layer
	}
	bootstrap, err := d.requireBootstrapLayer(agent.BootstrapLayerArn)
	if err != nil {
		return ProtectedConfig{}, err
	}
	layers, err := assembleLayers(fn.Layers, agentLayers{agent: layer, other: other, config: agent.ConfigLayerArn, bootstrap: bootstrap}, d.arch)
	if err != nil {
		return ProtectedConfig{}, err
	}
	env, err := o.assembleEnvironment(d, fn.Environment, agent.AgentKeySecretArn, agent.FirehoseStreamArn, agent.ConfigLayerArn)
	if err != nil {
		return ProtectedConfig{}, err
	}
	return ProtectedConfig{Layers: layers, Environment: env, Wiring: d.wiring, LayerArn: layer}, nil
}
