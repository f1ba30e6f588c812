package plugin

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

// ProtectFunction is the protectFunction provider function: it protects an
// existing function's configuration in programs of any language, which then
// pass the result to their own aws.lambda.Function.
type ProtectFunction struct{}

// Annotate describes the function.
func (f *ProtectFunction) Annotate(an infer.Annotator) {
	an.SetToken("index", "protectFunction")
	an.Describe(f, "Protects an existing function's configuration: returns its layers with the agent layer for its architecture "+
		"(and the configuration layer), and its environment with the LAMBDAWAF_* variables and the runtime wiring. "+
		"Pass them to the function's layers and environment.variables, and grant its role with AgentAccess. "+
		"The same checks as ProtectedFunction apply (reserved variables, 5 layers, 4 KB, unsupported runtimes).")
}

// ProtectFunctionArgs are a function's configuration and the agent.
type ProtectFunctionArgs struct {
	Runtime       string            `pulumi:"runtime"`
	Handler       *string           `pulumi:"handler,optional"`
	PackageType   *string           `pulumi:"packageType,optional"`
	Architectures []string          `pulumi:"architectures,optional"`
	Layers        []string          `pulumi:"layers,optional"`
	Environment   map[string]string `pulumi:"environment,optional"`
	Agent         AgentARNsArgs     `pulumi:"agent"`
	Mode          *Mode             `pulumi:"mode,optional"`
	FailurePolicy *FailurePolicy    `pulumi:"failurePolicy,optional"`
	Wiring        *Wiring           `pulumi:"wiring,optional"`
	LogLevel      *string           `pulumi:"logLevel,optional"`
	Port          *int              `pulumi:"port,optional"`
	// ResponseStreaming lists the streaming front doors.
	ResponseStreaming []string `pulumi:"responseStreaming,optional"`
}

// Annotate describes the inputs.
func (a *ProtectFunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Runtime, "The function's runtime.")
	an.Describe(&a.Handler, "The function's handler.")
	an.Describe(&a.PackageType, "The function's package type (Zip; Image is refused).")
	an.Describe(&a.Architectures, "The function's architectures (default [x86_64]).")
	an.Describe(&a.Layers, "The function's own layers.")
	an.Describe(&a.Environment, "The function's own environment variables.")
	an.Describe(&a.Agent, "The agent, by its ARNs (an Agent's outputs).")
	an.Describe(&a.Mode, "What the agent does with a malicious event. Default: block.")
	an.Describe(&a.FailurePolicy, "What the agent does when inspection fails. Default: open.")
	an.Describe(&a.Wiring, "How the runtime is routed through the agent. Default: auto.")
	an.Describe(&a.LogLevel, "The agent's log level. Default: info.")
	an.Describe(&a.Port, "The agent's listener port. Default: 9009.")
	an.Describe(&a.ResponseStreaming, "Front doors that invoke the function with response streaming (function-url, apigateway-rest).")
}

// AgentARNsArgs is an agent by its ARNs, as plain values.
type AgentARNsArgs struct {
	LayerArnX86_64    *string `pulumi:"layerArnX86_64,optional"`
	LayerArnArm64     *string `pulumi:"layerArnArm64,optional"`
	BootstrapLayerArn *string `pulumi:"bootstrapLayerArn,optional"`
	ConfigLayerArn    *string `pulumi:"configLayerArn,optional"`
	AgentKeySecretArn string  `pulumi:"agentKeySecretArn"`
	KmsKeyArn         *string `pulumi:"kmsKeyArn,optional"`
	FirehoseStreamArn *string `pulumi:"firehoseStreamArn,optional"`
}

// Annotate describes the ARNs.
func (r *AgentARNsArgs) Annotate(an infer.Annotator) {
	an.Describe(&r.LayerArnX86_64, "The agent's x86_64 layer version.")
	an.Describe(&r.LayerArnArm64, "The agent's arm64 layer version.")
	an.Describe(&r.BootstrapLayerArn, "The agent's bootstrap layer, for OS-only functions whose executable is not named bootstrap.")
	an.Describe(&r.ConfigLayerArn, "The agent's configuration layer.")
	an.Describe(&r.AgentKeySecretArn, "The agent key secret.")
	an.Describe(&r.KmsKeyArn, "The customer-managed key of the secret.")
	an.Describe(&r.FirehoseStreamArn, "The decision-record stream.")
}

// ProtectFunctionResult is the protected configuration.
type ProtectFunctionResult struct {
	Layers      []string          `pulumi:"layers"`
	Environment map[string]string `pulumi:"environment"`
	Wiring      string            `pulumi:"wiring"`
	LayerArn    string            `pulumi:"layerArn"`
}

// Annotate describes the result.
func (r *ProtectFunctionResult) Annotate(an infer.Annotator) {
	an.Describe(&r.Layers, "The function's layers, the agent's appended.")
	an.Describe(&r.Environment, "The function's environment variables, the agent's added.")
	an.Describe(&r.Wiring, "The wiring chosen: wrapper, inprocess or bootstrap.")
	an.Describe(&r.LayerArn, "The agent layer chosen for the architecture.")
}

// Invoke protects the configuration.
func (*ProtectFunction) Invoke(_ context.Context, req infer.FunctionRequest[ProtectFunctionArgs]) (infer.FunctionResponse[ProtectFunctionResult], error) {
	in := req.Input
	a := in.Agent
	got, err := lambdawaf.ProtectConfig(lambdawaf.FunctionConfig{
		PackageType:   deref(in.PackageType),
		Runtime:       in.Runtime,
		Handler:       deref(in.Handler),
		Architectures: in.Architectures,
		Layers:        in.Layers,
		Environment:   in.Environment,
	}, lambdawaf.AgentARNs{
		LayerArnX86_64:    deref(a.LayerArnX86_64),
		LayerArnArm64:     deref(a.LayerArnArm64),
		BootstrapLayerArn: deref(a.BootstrapLayerArn),
		ConfigLayerArn:    deref(a.ConfigLayerArn),
		AgentKeySecretArn: a.AgentKeySecretArn,
		KmsKeyArn:         deref(a.KmsKeyArn),
		FirehoseStreamArn: deref(a.FirehoseStreamArn),
	}, lambdawaf.Settings{
		Mode:          lambdawaf.Mode(deref(in.Mode)),
		FailurePolicy: lambdawaf.FailurePolicy(deref(in.FailurePolicy)),
		Wiring:        lambdawaf.Wiring(deref(in.Wiring)),
		LogLevel:      deref(in.LogLevel),
		Port:          deref(in.Port),

		ResponseStreaming: in.ResponseStreaming,
	})
	if err != nil {
		return infer.FunctionResponse[ProtectFunctionResult]{}, err
	}
	return infer.FunctionResponse[ProtectFunctionResult]{Output: ProtectFunctionResult{
		Layers: got.Layers, Environment: got.Environment, Wiring: string(got.Wiring), LayerArn: got.LayerArn,
	}}, nil
}

// AgentAccess grants an existing function role access to the agent key
// (lambdawaf.GrantAgentAccess as a component).
type AgentAccess struct {
	pulumi.ResourceState
	PolicyName pulumi.StringOutput `pulumi:"policyName"`
	Policy     pulumi.StringOutput `pulumi:"policy"`
}

// Annotate describes the component.
func (a *AgentAccess) Annotate(an infer.Annotator) {
	an.SetToken("index", "AgentAccess")
	an.Describe(a, "Grants an existing function role what the agent needs: secretsmanager:GetSecretValue on the agent key secret, "+
		"kms:Decrypt on its customer-managed key through Secrets Manager only, firehose:PutRecordBatch on the stream. "+
		"For functions protected with protectFunction; ProtectedFunction creates its own role.")
	an.Describe(&a.PolicyName, "The inline policy's name.")
	an.Describe(&a.Policy, "The policy document.")
}

// AgentAccessArgs name the role and the agent.
type AgentAccessArgs struct {
	Role  pulumi.StringInput `pulumi:"role"`
	Agent AgentRefArgs       `pulumi:"agent"`
}

// Annotate describes the inputs.
func (a *AgentAccessArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Role, "The role's name or ARN.")
	an.Describe(&a.Agent, "The agent, by its outputs.")
}

// NewAgentAccess constructs the AgentAccess component.
func NewAgentAccess(ctx *pulumi.Context, name string, args AgentAccessArgs, opts ...pulumi.ResourceOption) (*AgentAccess, error) {
	c := &AgentAccess{}
	if err := ctx.RegisterComponentResource("lambdawaf:index:AgentAccess", name, c, opts...); err != nil {
		return nil, err
	}
	r := args.Agent
	p, err := lambdawaf.GrantAgentAccess(ctx, name, args.Role, lambdawaf.AgentRef{
		LayerArnX86_64:    r.LayerArnX86_64,
		LayerArnArm64:     r.LayerArnArm64,
		ConfigLayerArn:    r.ConfigLayerArn,
		AgentKeySecretArn: r.AgentKeySecretArn,
		KmsKeyArn:         r.KmsKeyArn,
		FirehoseStreamArn: r.FirehoseStreamArn,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.PolicyName = p.Name
	c.Policy = p.Policy
	return c, nil
}
