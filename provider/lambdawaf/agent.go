package lambdawaf

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kinesis"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"
)

// AgentType is the Pulumi type token of the Agent component.
const AgentType = "lambdawaf:index:Agent"

// DefaultCompatibleRuntimes are the runtimes the layer declares. The list
// is metadata for the console and for `aws lambda list-layers`; the
// component itself decides per function whether the runtime is supported.
var DefaultCompatibleRuntimes = []string{
	"nodejs20.x", "nodejs22.x",
	"python3.11", "python3.12", "python3.13",
	"java17", "java21",
	"dotnet8",
	"ruby3.3",
	"provided.al2", "provided.al2023",
}

// DefaultLogRetentionInDays is the retention of a protected function's log
// group when nothing else is said.
const DefaultLogRetentionInDays = 30

// AgentArgs configure the shared agent deployment. The zero value builds
// and publishes both agent layers and the bootstrap layer from the module's
// source (see LayerBuilder), creates an agent key secret encrypted with
// the AWS-managed key, and ships no configuration document (the agent then
// uses its built-in defaults).
type AgentArgs struct {
	// LayerArnX86_64 and LayerArnArm64 reuse layer versions published
	// elsewhere (the infra stack, say) instead of publishing new ones.
	LayerArnX86_64 pulumi.StringInput
	LayerArnArm64  pulumi.StringInput
	// LayerZipX86_64 and LayerZipArm64 are the layer zips to publish when
	// the matching ARN is not given (`make layer` writes them to
	// dist/layer). Default: built from the module's source by Builder.
	LayerZipX86_64 string
	LayerZipArm64  string
	// BootstrapLayerArn reuses a published bootstrap layer (/opt/bootstrap
	// alone), and BootstrapLayerZip publishes this zip, instead of the one
	// built by Builder. Only OS-only functions whose executable is not
	// named bootstrap (wiring bootstrap) get the bootstrap layer.
	BootstrapLayerArn pulumi.StringInput
	BootstrapLayerZip string
	// Builder builds the layer zips that are neither given as ARNs nor as
	// zips. The zero value builds from the module source this package was
	// compiled from.
	Builder LayerBuilder
	// Architectures limits which layers are published or referenced.
	// Default: both.
	Architectures []string
	// CompatibleRuntimes is the layers' runtime metadata. Default:
	// DefaultCompatibleRuntimes.
	CompatibleRuntimes []string

	// AgentKeySecretArn reuses an existing secret holding the agent key
	// instead of creating one.
	AgentKeySecretArn pulumi.StringInput
	// KmsKeyArn is a customer-managed key to encrypt the created secret
	// with (or that encrypts AgentKeySecretArn). Functions then get
	// kms:Decrypt on it, through Secrets Manager only.
	KmsKeyArn pulumi.StringInput
	// CreateKmsKey creates a customer-managed key (with rotation) for the
	// secret when KmsKeyArn is not given.
	CreateKmsKey bool

	// Configuration is the agent's configuration document (YAML or JSON),
	// shipped as a small layer at /opt/lambdawaf/config.yaml.
	Configuration string
	// ConfigurationFile reads the document from a file instead.
	ConfigurationFile string

	// LogRetentionInDays is the retention of protected functions' log
	// groups. Default: DefaultLogRetentionInDays.
	LogRetentionInDays int
	// Firehose, when set, creates a Firehose stream for decision records,
	// delivering to S3.
	Firehose *FirehoseArgs

	// Tags are added to every taggable resource the component creates.
	Tags pulumi.StringMapInput
}

// DecisionPartitions is the object layout under the Firehose prefix: one
// folder per UTC day, and in it one per function (function_name of each
// record, by Firehose dynamic partitioning). The day comes first so that
// the infra stack's Glue table can project the day alone: Athena reads a
// day's folder with every function's objects in it, and queries filter on
// the records' function_name column, across functions or not (a projected
// function partition would make every query without an equality on it
// fail).
const DecisionPartitions = "dt=!{timestamp:yyyy-MM-dd}/function=!{partitionKeyFromQuery:function}/"

// FirehoseArgs configure the decision-record stream.
type FirehoseArgs struct {
	// BucketArn is an existing bucket to deliver to; default: a new
	// private bucket.
	BucketArn pulumi.StringInput
	// Prefix of the delivered objects. Default "lambdawaf/".
	Prefix string
	// BufferingIntervalSeconds before delivery. Default 300.
	BufferingIntervalSeconds int
}

// Agent is the shared part of a lambdawaf deployment: the layer versions,
// the agent key secret, its optional KMS key, the optional Firehose stream
// and the optional configuration layer.
type Agent struct {
	pulumi.ResourceState

	// The pointer outputs are absent when the agent has no such part (an
	// architecture left out, no configuration, no customer-managed key, no
	// stream); the multi-language schema marks them optional (package
	// plugin, OptionalOutputs).
	LayerArnX86_64     pulumi.StringPtrOutput `pulumi:"layerArnX86_64"`
	LayerArnArm64      pulumi.StringPtrOutput `pulumi:"layerArnArm64"`
	BootstrapLayerArn  pulumi.StringPtrOutput `pulumi:"bootstrapLayerArn"`
	ConfigLayerArn     pulumi.StringPtrOutput `pulumi:"configLayerArn"`
	AgentKeySecretArn  pulumi.StringOutput    `pulumi:"agentKeySecretArn"`
	KmsKeyArn          pulumi.StringPtrOutput `pulumi:"kmsKeyArn"`
	FirehoseStreamArn  pulumi.StringPtrOutput `pulumi:"firehoseStreamArn"`
	LogRetentionInDays pulumi.IntOutput       `pulumi:"logRetentionInDays"`

	ref       AgentRef
	retention int
}

// Ref is what protected functions need from this agent.
func (a *Agent) Ref() AgentRef { return a.ref }

// NewAgent creates the shared agent deployment.
func NewAgent(ctx *pulumi.Context, name string, args *AgentArgs, opts ...pulumi.ResourceOption) (*Agent, error) {
	if args == nil {
		args = &AgentArgs{}
	}
	a := &Agent{}
	if err := ctx.RegisterComponentResource(AgentType, name, a, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(a)}

	archs := args.Architectures
	if len(archs) == 0 {
		archs = []string{ArchX86_64, ArchArm64}
	}
	runtimes := args.CompatibleRuntimes
	if len(runtimes) == 0 {
		runtimes = DefaultCompatibleRuntimes
	}
	for _, arch := range archs {
		var existing pulumi.StringInput
		var zip string
		switch arch {
		case ArchX86_64:
			existing, zip = args.LayerArnX86_64, args.LayerZipX86_64
		case ArchArm64:
			existing, zip = args.LayerArnArm64, args.LayerZipArm64
		default:
			return nil, fmt.Errorf("agent %s: unknown architecture %q: want x86_64 or arm64", name, arch)
		}
		arn := existing
		if arn == nil {
			if zip == "" {
				built, err := args.Builder.AgentZip(ctx.Context(), arch)
				if err != nil {
					return nil, fmt.Errorf("agent %s: %w", name, err)
				}
				zip = built
			}
			l, err := newAgentLayer(ctx, name, arch, zip, runtimes, child)
			if err != nil {
				return nil, fmt.Errorf("agent %s: %w", name, err)
			}
			arn = l.Arn
		}
		if arch == ArchArm64 {
			a.ref.LayerArnArm64 = arn
		} else {
			a.ref.LayerArnX86_64 = arn
		}
	}

	a.ref.BootstrapLayerArn = args.BootstrapLayerArn
	if a.ref.BootstrapLayerArn == nil {
		zip := args.BootstrapLayerZip
		if zip == "" {
			built, err := args.Builder.BootstrapZip(ctx.Context())
			if err != nil {
				return nil, fmt.Errorf("agent %s: %w", name, err)
			}
			zip = built
		}
		l, err := newBootstrapLayer(ctx, name, zip, child)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", name, err)
		}
		a.ref.BootstrapLayerArn = l.Arn
	}

	kmsKey := args.KmsKeyArn
	if kmsKey == nil && args.CreateKmsKey {
		if args.AgentKeySecretArn != nil {
			return nil, fmt.Errorf("agent %s: CreateKmsKey has no effect on an existing secret: pass its key as KmsKeyArn", name)
		}
		k, err := kms.NewKey(ctx, name+"-agent-key", &kms.KeyArgs{
			Description:       pulumi.String("lambdawaf agent key secret (" + name + ")"),
			EnableKeyRotation: pulumi.Bool(true),
			Tags:              args.Tags,
		}, child...)
		if err != nil {
			return nil, fmt.Errorf("agent %s: create KMS key: %w", name, err)
		}
		kmsKey = k.Arn
	}
	a.ref.KmsKeyArn = kmsKey

	secretArn := args.AgentKeySecretArn
	if secretArn == nil {
		s, err := newAgentKeySecret(ctx, name, kmsKey, args.Tags, child)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", name, err)
		}
		secretArn = s
	}
	a.ref.AgentKeySecretArn = secretArn

	doc, err := configurationDocument(args.Configuration, args.ConfigurationFile)
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", name, err)
	}
	if doc != "" {
		l, err := NewConfigLayer(ctx, name, doc, child...)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", name, err)
		}
		a.ref.ConfigLayerArn = l.Arn
	}

	if args.Firehose != nil {
		arn, err := newFirehose(ctx, name, args.Firehose, args.Tags, child)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", name, err)
		}
		a.ref.FirehoseStreamArn = arn
	}

	a.retention = args.LogRetentionInDays
	if a.retention == 0 {
		a.retention = DefaultLogRetentionInDays
	}
	if err := checkRetention(a.retention); err != nil {
		return nil, fmt.Errorf("agent %s: %w", name, err)
	}

	a.LayerArnX86_64 = optionalOutput(a.ref.LayerArnX86_64)
	a.LayerArnArm64 = optionalOutput(a.ref.LayerArnArm64)
	a.BootstrapLayerArn = optionalOutput(a.ref.BootstrapLayerArn)
	a.ConfigLayerArn = optionalOutput(a.ref.ConfigLayerArn)
	a.AgentKeySecretArn = a.ref.AgentKeySecretArn.ToStringOutput()
	a.KmsKeyArn = optionalOutput(a.ref.KmsKeyArn)
	a.FirehoseStreamArn = optionalOutput(a.ref.FirehoseStreamArn)
	a.LogRetentionInDays = pulumi.Int(a.retention).ToIntOutput()
	if err := ctx.RegisterResourceOutputs(a, pulumi.Map{
		"layerArnX86_64":     a.LayerArnX86_64,
		"layerArnArm64":      a.LayerArnArm64,
		"bootstrapLayerArn":  a.BootstrapLayerArn,
		"configLayerArn":     a.ConfigLayerArn,
		"agentKeySecretArn":  a.AgentKeySecretArn,
		"kmsKeyArn":          a.KmsKeyArn,
		"firehoseStreamArn":  a.FirehoseStreamArn,
		"logRetentionInDays": a.LogRetentionInDays,
	}); err != nil {
		return nil, err
	}
	return a, nil
}

func optionalOutput(in pulumi.StringInput) pulumi.StringPtrOutput {
	if in == nil {
		return noString()
	}
	return in.ToStringOutput().ToStringPtrOutput()
}

// validRetention are the values CloudWatch Logs accepts.
var validRetention = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func checkRetention(days int) error {
	for _, d := range validRetention {
		if d == days {
			return nil
		}
	}
	return fmt.Errorf("log retention of %d days is not one CloudWatch Logs accepts (%v)", days, validRetention)
}

func newAgentLayer(ctx *pulumi.Context, name, arch, zip string, runtimes []string, opts []pulumi.ResourceOption) (*lambda.LayerVersion, error) {
	if _, err := os.Stat(zip); err != nil {
		return nil, fmt.Errorf("%s layer zip: %w (build it with `make layer`, leave it empty to build it from source, or pass the layer ARN)", arch, err)
	}
	l, err := lambda.NewLayerVersion(ctx, name+"-layer-"+arch, &lambda.LayerVersionArgs{
		LayerName:               pulumi.String(layerName(ctx, name, arch)),
		Description:             pulumi.String("lambdawaf agent extension (" + arch + ")"),
		Code:                    pulumi.NewFileArchive(zip),
		CompatibleArchitectures: pulumi.ToStringArray([]string{arch}),
		CompatibleRuntimes:      pulumi.ToStringArray(runtimes),
		LicenseInfo:             pulumi.String("Apache-2.0"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("publish %s layer: %w", arch, err)
	}
	return l, nil
}

// newBootstrapLayer publishes the bootstrap layer: /opt/bootstrap alone,
// a POSIX sh script, so one layer serves both architectures.
func newBootstrapLayer(ctx *pulumi.Context, name, zip string, opts []pulumi.ResourceOption) (*lambda.LayerVersion, error) {
	if _, err := os.Stat(zip); err != nil {
		return nil, fmt.Errorf("bootstrap layer zip: %w (build it with `make layer`, or pass the layer ARN)", err)
	}
	l, err := lambda.NewLayerVersion(ctx, name+"-bootstrap", &lambda.LayerVersionArgs{
		LayerName:               pulumi.String(layerName(ctx, name, "bootstrap")),
		Description:             pulumi.String("lambdawaf bootstrap for OS-only runtimes whose executable is not named bootstrap"),
		Code:                    pulumi.NewFileArchive(zip),
		CompatibleArchitectures: pulumi.ToStringArray([]string{ArchX86_64, ArchArm64}),
		CompatibleRuntimes:      pulumi.ToStringArray([]string{"provided.al2", "provided.al2023"}),
		LicenseInfo:             pulumi.String("Apache-2.0"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("publish bootstrap layer: %w", err)
	}
	return l, nil
}

// layerName is the stable name of a layer: the same on every update so
// that a new zip publishes a new version of the same layer.
func layerName(ctx *pulumi.Context, name, suffix string) string {
	return physicalName(ctx, "lambdawaf-"+name+"-"+suffix, 140)
}

// newAgentKeySecret creates the secret and its first value.
//
// The key is 32 random bytes generated here, wrapped as a Pulumi secret so
// that it is encrypted in the state and never shown in outputs or diffs.
// Because every run generates a fresh value, the secret version ignores
// changes to it: the value written on create stays until the version is
// replaced on purpose (`pulumi up --replace` on it) or rotated in Secrets
// Manager. This keeps the key stable across updates without
// pulumi-random, which would add a provider plugin to every user's stack.
func newAgentKeySecret(ctx *pulumi.Context, name string, kmsKey pulumi.StringInput, tags pulumi.StringMapInput, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	var none pulumi.StringOutput
	args := &secretsmanager.SecretArgs{
		NamePrefix:  pulumi.String(physicalName(ctx, "lambdawaf-"+name+"-agent-key", 100) + "-"),
		Description: pulumi.String("lambdawaf agent key: pseudonymises PII in decision records and signs agent state"),
		Tags:        tags,
	}
	if kmsKey != nil {
		args.KmsKeyId = kmsKey.ToStringOutput().ToStringPtrOutput()
	}
	s, err := secretsmanager.NewSecret(ctx, name+"-agent-key", args, opts...)
	if err != nil {
		return none, fmt.Errorf("create agent key secret: %w", err)
	}
	key, err := newAgentKey()
	if err != nil {
		return none, err
	}
	_, err = secretsmanager.NewSecretVersion(ctx, name+"-agent-key", &secretsmanager.SecretVersionArgs{
		SecretId:     s.ID(),
		SecretString: pulumi.ToSecret(pulumi.String(key)).(pulumi.StringOutput),
	}, append(opts, pulumi.IgnoreChanges([]string{"secretString"}), pulumi.AdditionalSecretOutputs([]string{"secretString"}))...)
	if err != nil {
		return none, fmt.Errorf("create agent key value: %w", err)
	}
	return s.Arn, nil
}

func newAgentKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate agent key: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// configurationDocument returns the document to ship, checked to be a
// YAML (or JSON) mapping so that a typo fails the preview, not the cold
// start. The agent validates the content itself (`lambdawaf validate`).
func configurationDocument(inline, file string) (string, error) {
	if inline != "" && file != "" {
		return "", errors.New("set Configuration or ConfigurationFile, not both")
	}
	doc := inline
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read configuration: %w", err)
		}
		doc = string(b)
	}
	if doc == "" {
		return "", nil
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		return "", fmt.Errorf("configuration is not a YAML or JSON mapping: %w", err)
	}
	if len(m) == 0 {
		return "", errors.New("configuration document is empty")
	}
	return doc, nil
}

// NewConfigLayer publishes a configuration document as a layer holding
// lambdawaf/config.yaml, which Lambda mounts at /opt/lambdawaf/config.yaml
// (ConfigPath). A layer rather than an environment variable because
// documents easily exceed Lambda's 4 KB environment budget, and rather than
// inside the agent layer so that a configuration change does not republish
// the binary. It works on both architectures.
func NewConfigLayer(ctx *pulumi.Context, name, document string, opts ...pulumi.ResourceOption) (*lambda.LayerVersion, error) {
	l, err := lambda.NewLayerVersion(ctx, name+"-config", &lambda.LayerVersionArgs{
		LayerName:               pulumi.String(layerName(ctx, name, "config")),
		Description:             pulumi.String("lambdawaf configuration (" + name + ")"),
		Code:                    pulumi.NewAssetArchive(map[string]any{"lambdawaf/config.yaml": pulumi.NewStringAsset(document)}),
		CompatibleArchitectures: pulumi.ToStringArray([]string{ArchX86_64, ArchArm64}),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("publish configuration layer: %w", err)
	}
	return l, nil
}

// newFirehose creates the decision-record stream delivering to S3, with a
// role that can write only to that bucket.
func newFirehose(ctx *pulumi.Context, name string, args *FirehoseArgs, tags pulumi.StringMapInput, opts []pulumi.ResourceOption) (pulumi.StringInput, error) {
	bucketArn := args.BucketArn
	if bucketArn == nil {
		b, err := s3.NewBucketV2(ctx, name+"-decisions", &s3.BucketV2Args{
			BucketPrefix: pulumi.String(bucketPrefix(ctx, "lambdawaf-"+name)),
			Tags:         tags,
		}, opts...)
		if err != nil {
			return nil, fmt.Errorf("create decision bucket: %w", err)
		}
		if _, err := s3.NewBucketPublicAccessBlock(ctx, name+"-decisions", &s3.BucketPublicAccessBlockArgs{
			Bucket:                b.ID(),
			BlockPublicAcls:       pulumi.Bool(true),
			BlockPublicPolicy:     pulumi.Bool(true),
			IgnorePublicAcls:      pulumi.Bool(true),
			RestrictPublicBuckets: pulumi.Bool(true),
		}, opts...); err != nil {
			return nil, fmt.Errorf("block public access to decision bucket: %w", err)
		}
		bucketArn = b.Arn
	}
	role, err := iam.NewRole(ctx, name+"-firehose", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"firehose.amazonaws.com"},"Action":["sts:AssumeRole"]}]}`),
		Tags:             tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create firehose role: %w", err)
	}
	policy, err := iam.NewRolePolicy(ctx, name+"-firehose", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: bucketArn.ToStringOutput().ApplyT(func(bucket string) (string, error) {
			return FirehoseDeliveryPolicyDocument(bucket)
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("grant firehose access to the bucket: %w", err)
	}
	prefix := args.Prefix
	if prefix == "" {
		prefix = "lambdawaf/"
	}
	interval := args.BufferingIntervalSeconds
	if interval == 0 {
		interval = 300
	}
	stream, err := kinesis.NewFirehoseDeliveryStream(ctx, name+"-decisions", &kinesis.FirehoseDeliveryStreamArgs{
		Name:        pulumi.String(physicalName(ctx, "lambdawaf-"+name, 64)),
		Destination: pulumi.String("extended_s3"),
		ExtendedS3Configuration: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs{
			BucketArn:         bucketArn,
			RoleArn:           role.Arn,
			Prefix:            pulumi.String(prefix + DecisionPartitions),
			ErrorOutputPrefix: pulumi.String(prefix + "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/"),
			CompressionFormat: pulumi.String("GZIP"),
			BufferingInterval: pulumi.Int(interval),
			// Dynamic partitioning needs at least 64 MB buffers.
			BufferingSize: pulumi.Int(64),
			DynamicPartitioningConfiguration: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationDynamicPartitioningConfigurationArgs{
				Enabled: pulumi.Bool(true),
			},
			// Each record is one JSON line ending in a newline (as the
			// agent writes it), so only the partition key is extracted.
			ProcessingConfiguration: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationArgs{
				Enabled: pulumi.Bool(true),
				Processors: kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorArray{
					&kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorArgs{
						Type: pulumi.String("MetadataExtraction"),
						Parameters: kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorParameterArray{
							&kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorParameterArgs{
								ParameterName: pulumi.String("JsonParsingEngine"), ParameterValue: pulumi.String("JQ-1.6"),
							},
							&kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorParameterArgs{
								ParameterName: pulumi.String("MetadataExtractionQuery"), ParameterValue: pulumi.String("{function:.function_name}"),
							},
						},
					},
				},
			},
		},
		ServerSideEncryption: &kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs{
			Enabled: pulumi.Bool(true),
			KeyType: pulumi.String("AWS_OWNED_CMK"),
		},
		Tags: tags,
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{policy}))...)
	if err != nil {
		return nil, fmt.Errorf("create firehose stream: %w", err)
	}
	return stream.Arn, nil
}

// FirehoseDeliveryPolicyDocument is the policy of the Firehose role: write
// objects to one bucket, nothing else.
func FirehoseDeliveryPolicyDocument(bucketArn string) (string, error) {
	if _, err := parseARN(bucketArn, "s3"); err != nil {
		return "", fmt.Errorf("decision bucket: %w", err)
	}
	return renderPolicy(PolicyDocument{Version: "2012-10-17", Statement: []PolicyStatement{{
		Sid:    "DeliverDecisionRecords",
		Effect: "Allow",
		Action: []string{
			"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
			"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject",
		},
		Resource: []string{bucketArn, bucketArn + "/*"},
	}}})
}
