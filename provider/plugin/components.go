package plugin

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

// Agent is lambdawaf.Agent, described for the schema.
type Agent lambdawaf.Agent

// Annotate describes the Agent component.
func (a *Agent) Annotate(an infer.Annotator) {
	an.SetToken("index", "Agent")
	an.Describe(a, "The shared part of a lambdawaf deployment: the agent layer versions (x86_64 and arm64), "+
		"the Secrets Manager secret holding the agent key, its optional customer-managed KMS key, "+
		"the optional Firehose stream for decision records and the optional configuration layer. "+
		"Create one per stack and pass its outputs to every ProtectedFunction.")
	an.Describe(&a.LayerArnX86_64, "The x86_64 agent layer version, if that architecture is enabled.")
	an.Describe(&a.LayerArnArm64, "The arm64 agent layer version, if that architecture is enabled.")
	an.Describe(&a.BootstrapLayerArn, "The bootstrap layer (/opt/bootstrap alone) added to OS-only functions whose executable is not named bootstrap.")
	an.Describe(&a.ConfigLayerArn, "The configuration layer (lambdawaf/config.yaml), if a configuration was given.")
	an.Describe(&a.AgentKeySecretArn, "The Secrets Manager secret holding the agent key. Its value is never an output.")
	an.Describe(&a.KmsKeyArn, "The customer-managed KMS key encrypting the secret, if any.")
	an.Describe(&a.FirehoseStreamArn, "The Firehose stream for decision records, if enabled.")
	an.Describe(&a.LogRetentionInDays, "Retention of protected functions' log groups.")
}

// AgentArgs are the Agent's inputs.
type AgentArgs struct {
	LayerArnX86_64     pulumi.StringInput    `pulumi:"layerArnX86_64,optional"`
	LayerArnArm64      pulumi.StringInput    `pulumi:"layerArnArm64,optional"`
	LayerZipX86_64     *string               `pulumi:"layerZipX86_64,optional"`
	LayerZipArm64      *string               `pulumi:"layerZipArm64,optional"`
	BootstrapLayerArn  pulumi.StringInput    `pulumi:"bootstrapLayerArn,optional"`
	BootstrapLayerZip  *string               `pulumi:"bootstrapLayerZip,optional"`
	Architectures      []string              `pulumi:"architectures,optional"`
	CompatibleRuntimes []string              `pulumi:"compatibleRuntimes,optional"`
	AgentKeySecretArn  pulumi.StringInput    `pulumi:"agentKeySecretArn,optional"`
	KmsKeyArn          pulumi.StringInput    `pulumi:"kmsKeyArn,optional"`
	CreateKmsKey       *bool                 `pulumi:"createKmsKey,optional"`
	Configuration      *string               `pulumi:"configuration,optional"`
	ConfigurationFile  *string               `pulumi:"configurationFile,optional"`
	LogRetentionInDays *int                  `pulumi:"logRetentionInDays,optional"`
	Firehose           *FirehoseArgs         `pulumi:"firehose,optional"`
	Tags               pulumi.StringMapInput `pulumi:"tags,optional"`
}

// Annotate describes the Agent's inputs.
func (a *AgentArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.LayerArnX86_64, "Reuse this x86_64 agent layer version (from the infra stack, say) instead of publishing one.")
	an.Describe(&a.LayerArnArm64, "Reuse this arm64 agent layer version instead of publishing one.")
	an.Describe(&a.LayerZipX86_64, "The x86_64 layer zip to publish (`make layer` writes dist/layer/lambdawaf-x86_64.zip); prefer an absolute path. Default: built from the lambdawaf module source with the Go toolchain.")
	an.Describe(&a.LayerZipArm64, "The arm64 layer zip to publish. Default: built from source.")
	an.Describe(&a.BootstrapLayerArn, "Reuse this bootstrap layer version (/opt/bootstrap alone) instead of publishing one.")
	an.Describe(&a.BootstrapLayerZip, "The bootstrap layer zip to publish (dist/layer/lambdawaf-bootstrap.zip). Default: built from source.")
	an.Describe(&a.Architectures, "Architectures to publish or reference layers for: x86_64, arm64. Default: both.")
	an.Describe(&a.CompatibleRuntimes, "Runtime metadata of the published layers. Default: current nodejs, python, java, dotnet, ruby and provided runtimes.")
	an.Describe(&a.AgentKeySecretArn, "Reuse an existing Secrets Manager secret holding the agent key instead of creating one.")
	an.Describe(&a.KmsKeyArn, "Customer-managed KMS key (key ARN, not alias) encrypting the secret; functions get kms:Decrypt on it through Secrets Manager only.")
	an.Describe(&a.CreateKmsKey, "Create a customer-managed KMS key with rotation for the secret.")
	an.Describe(&a.Configuration, "The agent's configuration document (YAML or JSON), shipped as a layer at /opt/lambdawaf/config.yaml.")
	an.Describe(&a.ConfigurationFile, "Read the configuration document from this file instead.")
	an.Describe(&a.LogRetentionInDays, "Retention of protected functions' log groups. Default: 30.")
	an.Describe(&a.Firehose, "Ship decision records to a Firehose stream delivering to S3.")
	an.Describe(&a.Tags, "Tags for every taggable resource created.")
}

// FirehoseArgs configure the decision-record stream.
type FirehoseArgs struct {
	BucketArn                pulumi.StringInput `pulumi:"bucketArn,optional"`
	Prefix                   *string            `pulumi:"prefix,optional"`
	BufferingIntervalSeconds *int               `pulumi:"bufferingIntervalSeconds,optional"`
}

// Annotate describes the stream's inputs.
func (f *FirehoseArgs) Annotate(an infer.Annotator) {
	an.Describe(&f.BucketArn, "Deliver to this existing bucket. Default: a new private bucket.")
	an.Describe(&f.Prefix, "Prefix of delivered objects. Default: lambdawaf/.")
	an.Describe(&f.BufferingIntervalSeconds, "Seconds Firehose buffers before delivering. Default: 300.")
}

// NewAgent constructs the Agent component for the provider.
func NewAgent(ctx *pulumi.Context, name string, args AgentArgs, opts ...pulumi.ResourceOption) (*Agent, error) {
	a, err := lambdawaf.NewAgent(ctx, name, args.library(), opts...)
	if err != nil {
		return nil, err
	}
	return (*Agent)(a), nil
}

func (a AgentArgs) library() *lambdawaf.AgentArgs {
	out := &lambdawaf.AgentArgs{
		LayerArnX86_64:     a.LayerArnX86_64,
		LayerArnArm64:      a.LayerArnArm64,
		LayerZipX86_64:     deref(a.LayerZipX86_64),
		LayerZipArm64:      deref(a.LayerZipArm64),
		BootstrapLayerArn:  a.BootstrapLayerArn,
		BootstrapLayerZip:  deref(a.BootstrapLayerZip),
		Architectures:      a.Architectures,
		CompatibleRuntimes: a.CompatibleRuntimes,
		AgentKeySecretArn:  a.AgentKeySecretArn,
		KmsKeyArn:          a.KmsKeyArn,
		CreateKmsKey:       a.CreateKmsKey != nil && *a.CreateKmsKey,
		Configuration:      deref(a.Configuration),
		ConfigurationFile:  deref(a.ConfigurationFile),
		Tags:               a.Tags,
	}
	if a.LogRetentionInDays != nil {
		out.LogRetentionInDays = *a.LogRetentionInDays
	}
	if f := a.Firehose; f != nil {
		out.Firehose = &lambdawaf.FirehoseArgs{BucketArn: f.BucketArn, Prefix: deref(f.Prefix)}
		if f.BufferingIntervalSeconds != nil {
			out.Firehose.BufferingIntervalSeconds = *f.BufferingIntervalSeconds
		}
	}
	return out
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// ProtectedFunction is lambdawaf.ProtectedFunction, described for the
// schema.
type ProtectedFunction lambdawaf.ProtectedFunction

// Annotate describes the ProtectedFunction component.
func (f *ProtectedFunction) Annotate(an infer.Annotator) {
	an.SetToken("index", "ProtectedFunction")
	an.Describe(f, "A Lambda function protected by the lambdawaf agent: the agent layer for its architecture, "+
		"the LAMBDAWAF_* environment, the runtime wiring, a log group with retention (JSON logs), and, unless a role is given, "+
		"a least-privilege role. Published versions and aliases keep the layers they were published with: set publish so that "+
		"a new agent or configuration publishes a new version.")
	an.Describe(&f.FunctionArn, "The function's ARN.")
	an.Describe(&f.FunctionName, "The function's name.")
	an.Describe(&f.RoleArn, "The function's execution role.")
	an.Describe(&f.LayerArn, "The agent layer version the function uses (matching its architecture).")
	an.Describe(&f.LogGroupName, "The function's log group.")
	an.Describe(&f.Wiring, "How the runtime is routed through the agent: wrapper, inprocess or bootstrap.")
}

// ProtectedFunctionArgs mirror the common aws.lambda.Function arguments,
// plus the waf block.
type ProtectedFunctionArgs struct {
	Name                         pulumi.StringInput            `pulumi:"name,optional"`
	Description                  pulumi.StringInput            `pulumi:"description,optional"`
	Runtime                      *string                       `pulumi:"runtime,optional"`
	Handler                      *string                       `pulumi:"handler,optional"`
	PackageType                  *string                       `pulumi:"packageType,optional"`
	CodePath                     *string                       `pulumi:"codePath,optional"`
	S3Bucket                     pulumi.StringInput            `pulumi:"s3Bucket,optional"`
	S3Key                        pulumi.StringInput            `pulumi:"s3Key,optional"`
	S3ObjectVersion              pulumi.StringInput            `pulumi:"s3ObjectVersion,optional"`
	SourceCodeHash               pulumi.StringInput            `pulumi:"sourceCodeHash,optional"`
	MemorySize                   pulumi.IntInput               `pulumi:"memorySize,optional"`
	Timeout                      pulumi.IntInput               `pulumi:"timeout,optional"`
	EphemeralStorageSize         pulumi.IntInput               `pulumi:"ephemeralStorageSize,optional"`
	Architectures                []string                      `pulumi:"architectures,optional"`
	Environment                  map[string]pulumi.StringInput `pulumi:"environment,optional"`
	Layers                       []pulumi.StringInput          `pulumi:"layers,optional"`
	Role                         pulumi.StringInput            `pulumi:"role,optional"`
	VpcConfig                    *VpcConfigArgs                `pulumi:"vpcConfig,optional"`
	TracingMode                  *string                       `pulumi:"tracingMode,optional"`
	DeadLetterTargetArn          pulumi.StringInput            `pulumi:"deadLetterTargetArn,optional"`
	ReservedConcurrentExecutions pulumi.IntInput               `pulumi:"reservedConcurrentExecutions,optional"`
	KmsKeyArn                    pulumi.StringInput            `pulumi:"kmsKeyArn,optional"`
	Publish                      *bool                         `pulumi:"publish,optional"`
	Tags                         map[string]pulumi.StringInput `pulumi:"tags,optional"`
	LogGroup                     *LogGroupMode                 `pulumi:"logGroup,optional"`
	LogRetentionInDays           *int                          `pulumi:"logRetentionInDays,optional"`
	ApplicationLogLevel          *string                       `pulumi:"applicationLogLevel,optional"`
	SystemLogLevel               *string                       `pulumi:"systemLogLevel,optional"`
	PolicyArns                   []string                      `pulumi:"policyArns,optional"`
	Policy                       pulumi.StringInput            `pulumi:"policy,optional"`
	Waf                          *WafArgs                      `pulumi:"waf,optional"`
}

// Annotate describes the function's inputs.
func (a *ProtectedFunctionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "The function's name. Default: a stable name derived from the component's name, project and stack.")
	an.Describe(&a.Description, "The function's description.")
	an.Describe(&a.Runtime, "The runtime: nodejs*, python*, java*, dotnet*, ruby* (exec wrapper) or provided.al2023/provided.al2 (in-process or bootstrap wiring).")
	an.Describe(&a.Handler, "The handler. On provided.* runtimes, \"bootstrap\" selects in-process wiring (Go with redirect.Start); another name selects the layer's /opt/bootstrap, which execs $LAMBDA_TASK_ROOT/<handler>.")
	an.Describe(&a.PackageType, "Zip (default). Image is refused: container images cannot use layers.")
	an.Describe(&a.CodePath, "The deployment package: a .zip file or a directory to zip, relative to the program's directory (prefer an absolute path). Or use s3Bucket and s3Key.")
	an.Describe(&a.S3Bucket, "S3 bucket of the deployment package, instead of code.")
	an.Describe(&a.S3Key, "S3 key of the deployment package.")
	an.Describe(&a.S3ObjectVersion, "S3 object version of the deployment package.")
	an.Describe(&a.SourceCodeHash, "Hash of the package, to trigger updates when it changes in S3.")
	an.Describe(&a.MemorySize, "Memory in MB.")
	an.Describe(&a.Timeout, "Timeout in seconds.")
	an.Describe(&a.EphemeralStorageSize, "Size of /tmp in MB.")
	an.Describe(&a.Architectures, "[x86_64] (default) or [arm64]; the agent layer is chosen to match.")
	an.Describe(&a.Environment, "Environment variables; the agent's LAMBDAWAF_* variables are added. Variables reserved by Lambda are refused; the total must stay within 4 KB.")
	an.Describe(&a.Layers, "Your layers; the agent layer (and the configuration layer, if any) are appended. At most 5 in total.")
	an.Describe(&a.Role, "An existing execution role. Default: a least-privilege role created for the function. With your own role, grant the agent access yourself (see the README).")
	an.Describe(&a.VpcConfig, "VPC attachment; the created role gets the network-interface permissions it needs.")
	an.Describe(&a.TracingMode, "X-Ray tracing: PassThrough or Active (the created role gets the X-Ray permissions).")
	an.Describe(&a.DeadLetterTargetArn, "SQS queue or SNS topic for failed asynchronous invocations.")
	an.Describe(&a.ReservedConcurrentExecutions, "Reserved concurrency.")
	an.Describe(&a.KmsKeyArn, "KMS key encrypting the function's environment variables.")
	an.Describe(&a.Publish, "Publish a version on every change, so that a new agent layer reaches versions and aliases.")
	an.Describe(&a.Tags, "Tags for the function, its role and its log group.")
	an.Describe(&a.LogGroup, "Whether the component creates the log group /aws/lambda/<name> (create, the default) or uses the one that exists (existing: log groups outlive their functions, and creating one that exists fails).")
	an.Describe(&a.LogRetentionInDays, "Retention of the function's log group, when the component creates it. Default: the agent's (30).")
	an.Describe(&a.ApplicationLogLevel, "JSON log filter for the function's own logs: TRACE, DEBUG, INFO, WARN, ERROR, FATAL.")
	an.Describe(&a.SystemLogLevel, "JSON log filter for Lambda's platform logs: DEBUG, INFO, WARN.")
	an.Describe(&a.PolicyArns, "Managed policies to attach to the created role, for what the function's own code needs.")
	an.Describe(&a.Policy, "An inline policy document added to the created role, for what the function's own code needs.")
	an.Describe(&a.Waf, "How the function is protected and by which agent.")
}

// VpcConfigArgs attach the function to a VPC.
type VpcConfigArgs struct {
	SubnetIds        pulumi.StringArrayInput `pulumi:"subnetIds"`
	SecurityGroupIds pulumi.StringArrayInput `pulumi:"securityGroupIds"`
}

// Annotate describes the VPC inputs.
func (v *VpcConfigArgs) Annotate(an infer.Annotator) {
	an.Describe(&v.SubnetIds, "Subnets for the function's network interfaces.")
	an.Describe(&v.SecurityGroupIds, "Security groups of the function's network interfaces.")
}

// WafArgs is the waf block.
type WafArgs struct {
	Mode          *Mode          `pulumi:"mode,optional"`
	FailurePolicy *FailurePolicy `pulumi:"failurePolicy,optional"`
	Wiring        *Wiring        `pulumi:"wiring,optional"`
	LogLevel      *string        `pulumi:"logLevel,optional"`
	Port          *int           `pulumi:"port,optional"`
	// ResponseStreaming lists the streaming front doors.
	ResponseStreaming []string      `pulumi:"responseStreaming,optional"`
	Configuration     *string       `pulumi:"configuration,optional"`
	Agent             *AgentRefArgs `pulumi:"agent,optional"`
	NewAgent          *AgentArgs    `pulumi:"newAgent,optional"`
}

// Annotate describes the waf block.
func (w *WafArgs) Annotate(an infer.Annotator) {
	an.Describe(&w.Mode, "What the agent does with a malicious event. Default: block.")
	an.Describe(&w.FailurePolicy, "What the agent does when inspection itself fails. Default: open.")
	an.Describe(&w.Wiring, "How the runtime is routed through the agent. Default: auto (chosen from the runtime and handler).")
	an.Describe(&w.LogLevel, "The agent's log level: trace, debug, info, warn, error. Default: info.")
	an.Describe(&w.Port, "The agent's Runtime API listener port on 127.0.0.1. Default: 9009.")
	an.Describe(&w.ResponseStreaming, "Front doors that invoke the function with response streaming (function-url for a RESPONSE_STREAM Function URL, apigateway-rest for a STREAM REST integration): blocked requests then get a streamed 403.")
	an.Describe(&w.Configuration, "A configuration document (YAML or JSON) for this function only, shipped as its own configuration layer instead of the agent's.")
	an.Describe(&w.Agent, "The agent to use, by the outputs of an Agent component (in this or another stack).")
	an.Describe(&w.NewAgent, "Arguments of an agent created for this function alone, when agent is not given.")
}

// AgentRefArgs is an agent by its outputs.
type AgentRefArgs struct {
	LayerArnX86_64    pulumi.StringInput `pulumi:"layerArnX86_64,optional"`
	LayerArnArm64     pulumi.StringInput `pulumi:"layerArnArm64,optional"`
	BootstrapLayerArn pulumi.StringInput `pulumi:"bootstrapLayerArn,optional"`
	ConfigLayerArn    pulumi.StringInput `pulumi:"configLayerArn,optional"`
	AgentKeySecretArn pulumi.StringInput `pulumi:"agentKeySecretArn"`
	KmsKeyArn         pulumi.StringInput `pulumi:"kmsKeyArn,optional"`
	FirehoseStreamArn pulumi.StringInput `pulumi:"firehoseStreamArn,optional"`
}

// Annotate describes an agent reference.
func (r *AgentRefArgs) Annotate(an infer.Annotator) {
	an.Describe(&r.LayerArnX86_64, "The agent's x86_64 layer version (Agent.layerArnX86_64).")
	an.Describe(&r.LayerArnArm64, "The agent's arm64 layer version (Agent.layerArnArm64).")
	an.Describe(&r.BootstrapLayerArn, "The agent's bootstrap layer (Agent.bootstrapLayerArn), needed by OS-only functions whose executable is not named bootstrap.")
	an.Describe(&r.ConfigLayerArn, "The agent's configuration layer (Agent.configLayerArn).")
	an.Describe(&r.AgentKeySecretArn, "The agent key secret (Agent.agentKeySecretArn).")
	an.Describe(&r.KmsKeyArn, "The customer-managed key of the secret (Agent.kmsKeyArn).")
	an.Describe(&r.FirehoseStreamArn, "The decision-record stream (Agent.firehoseStreamArn).")
}

// LogGroupMode is who owns the function's log group.
type LogGroupMode string

// Values lists the log group modes.
func (LogGroupMode) Values() []infer.EnumValue[LogGroupMode] {
	return []infer.EnumValue[LogGroupMode]{
		{Name: "Create", Value: LogGroupMode(lambdawaf.LogGroupCreate), Description: "Create /aws/lambda/<name> with retention."},
		{Name: "Existing", Value: LogGroupMode(lambdawaf.LogGroupExisting), Description: "Use the existing /aws/lambda/<name> as it is."},
	}
}

// Mode is what the agent does with a malicious event.
type Mode string

// Values lists the modes.
func (Mode) Values() []infer.EnumValue[Mode] {
	return []infer.EnumValue[Mode]{
		{Name: "Block", Value: "block", Description: "Answer with a block response; the handler never sees the event."},
		{Name: "Log", Value: "log", Description: "Record the decision and let the event through."},
		{Name: "Off", Value: "off", Description: "Pass everything through uninspected."},
	}
}

// FailurePolicy is what the agent does when inspection fails.
type FailurePolicy string

// Values lists the failure policies.
func (FailurePolicy) Values() []infer.EnumValue[FailurePolicy] {
	return []infer.EnumValue[FailurePolicy]{
		{Name: "Open", Value: "open", Description: "Let the event through."},
		{Name: "Closed", Value: "closed", Description: "Block the event."},
	}
}

// Wiring is how the runtime is routed through the agent.
type Wiring string

// Values lists the wirings.
func (Wiring) Values() []infer.EnumValue[Wiring] {
	return []infer.EnumValue[Wiring]{
		{Name: "Auto", Value: "auto", Description: "wrapper for managed runtimes; on provided.*, inprocess when the handler is bootstrap, else bootstrap."},
		{Name: "Wrapper", Value: "wrapper", Description: "AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper (nodejs, python, java, dotnet, ruby)."},
		{Name: "InProcess", Value: "inprocess", Description: "The Go function calls redirect.Start from github.com/lambdawaf/lambdawaf/agent/redirect (provided.*)."},
		{Name: "Bootstrap", Value: "bootstrap", Description: "The layer's /opt/bootstrap execs $LAMBDA_TASK_ROOT/<handler> (provided.*, binary not named bootstrap)."},
	}
}

// NewProtectedFunction constructs the ProtectedFunction component for the
// provider.
func NewProtectedFunction(ctx *pulumi.Context, name string, args ProtectedFunctionArgs, opts ...pulumi.ResourceOption) (*ProtectedFunction, error) {
	f, err := lambdawaf.NewProtectedFunction(ctx, name, args.library(), opts...)
	if err != nil {
		return nil, err
	}
	return (*ProtectedFunction)(f), nil
}

func (a ProtectedFunctionArgs) library() *lambdawaf.ProtectedFunctionArgs {
	fn := lambda.FunctionArgs{
		Name:            a.Name,
		Description:     ptrInput(a.Description),
		S3Bucket:        ptrInput(a.S3Bucket),
		S3Key:           ptrInput(a.S3Key),
		S3ObjectVersion: ptrInput(a.S3ObjectVersion),
		SourceCodeHash:  ptrInput(a.SourceCodeHash),
		Role:            a.Role,
		KmsKeyArn:       ptrInput(a.KmsKeyArn),
	}
	if a.Layers != nil {
		fn.Layers = pulumi.StringArray(a.Layers)
	}
	if a.Tags != nil {
		fn.Tags = pulumi.StringMap(a.Tags)
	}
	if a.CodePath != nil {
		fn.Code = pulumi.NewFileArchive(*a.CodePath)
	}
	if a.Runtime != nil {
		fn.Runtime = pulumi.String(*a.Runtime)
	}
	if a.Handler != nil {
		fn.Handler = pulumi.String(*a.Handler)
	}
	if a.PackageType != nil {
		fn.PackageType = pulumi.String(*a.PackageType)
	}
	if a.MemorySize != nil {
		fn.MemorySize = a.MemorySize.ToIntOutput().ToIntPtrOutput()
	}
	if a.Timeout != nil {
		fn.Timeout = a.Timeout.ToIntOutput().ToIntPtrOutput()
	}
	if a.ReservedConcurrentExecutions != nil {
		fn.ReservedConcurrentExecutions = a.ReservedConcurrentExecutions.ToIntOutput().ToIntPtrOutput()
	}
	if a.EphemeralStorageSize != nil {
		fn.EphemeralStorage = lambda.FunctionEphemeralStorageArgs{Size: a.EphemeralStorageSize}
	}
	if len(a.Architectures) > 0 {
		fn.Architectures = pulumi.ToStringArray(a.Architectures)
	}
	if a.Environment != nil {
		fn.Environment = lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap(a.Environment)}
	}
	if v := a.VpcConfig; v != nil {
		fn.VpcConfig = lambda.FunctionVpcConfigArgs{SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds}
	}
	if a.TracingMode != nil {
		fn.TracingConfig = lambda.FunctionTracingConfigArgs{Mode: pulumi.String(*a.TracingMode)}
	}
	if a.DeadLetterTargetArn != nil {
		fn.DeadLetterConfig = lambda.FunctionDeadLetterConfigArgs{TargetArn: a.DeadLetterTargetArn}
	}
	if a.Publish != nil {
		fn.Publish = pulumi.Bool(*a.Publish)
	}
	out := &lambdawaf.ProtectedFunctionArgs{
		Function:            fn,
		ApplicationLogLevel: deref(a.ApplicationLogLevel),
		SystemLogLevel:      deref(a.SystemLogLevel),
		PolicyArns:          a.PolicyArns,
		Policy:              a.Policy,
		LogRetentionInDays:  deref(a.LogRetentionInDays),
		LogGroup:            lambdawaf.LogGroupMode(deref(a.LogGroup)),
	}
	if w := a.Waf; w != nil {
		out.Waf = lambdawaf.WafArgs{
			Settings: lambdawaf.Settings{
				Mode:          lambdawaf.Mode(deref(w.Mode)),
				FailurePolicy: lambdawaf.FailurePolicy(deref(w.FailurePolicy)),
				Wiring:        lambdawaf.Wiring(deref(w.Wiring)),
				LogLevel:      deref(w.LogLevel),
				Port:          deref(w.Port),

				ResponseStreaming: w.ResponseStreaming,
			},
			Configuration: deref(w.Configuration),
		}
		if r := w.Agent; r != nil {
			out.Waf.AgentRef = &lambdawaf.AgentRef{
				LayerArnX86_64:    r.LayerArnX86_64,
				LayerArnArm64:     r.LayerArnArm64,
				BootstrapLayerArn: r.BootstrapLayerArn,
				ConfigLayerArn:    r.ConfigLayerArn,
				AgentKeySecretArn: r.AgentKeySecretArn,
				KmsKeyArn:         r.KmsKeyArn,
				FirehoseStreamArn: r.FirehoseStreamArn,
			}
		}
		if w.NewAgent != nil {
			out.Waf.NewAgentArgs = w.NewAgent.library()
		}
	}
	return out
}

func ptrInput(in pulumi.StringInput) pulumi.StringPtrInput {
	if in == nil {
		return nil
	}
	return in.ToStringOutput().ToStringPtrOutput()
}
