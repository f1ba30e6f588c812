package lambdawaf

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// BundleStoreType is the Pulumi type token of the BundleStore component.
const BundleStoreType = "lambdawaf:index:BundleStore"

// DefaultBundlePrefix is where bundles live in the bucket unless
// BundleStoreArgs.Prefix says otherwise.
const DefaultBundlePrefix = "lambdawaf/"

// BundleStoreArgs configure the store of signed policy bundles (see
// agent/bundle): a versioned, encrypted, private bucket that only the
// deployer role may write, that protected functions may only read.
type BundleStoreArgs struct {
	// Prefix is the key prefix of the store in the bucket; ends with "/".
	// Default: DefaultBundlePrefix.
	Prefix string
	// DeployerRoleArn is the one principal allowed to write bundles and
	// move the pointer (`lambdawaf bundle push` runs as it). Required.
	DeployerRoleArn pulumi.StringInput
	// ReaderRoles are the names of the roles of protected functions: each
	// gets read-only access to the store's prefix.
	ReaderRoles []pulumi.StringInput
	// TrustedKeys are the Ed25519 public keys ("ed25519:<base64>", as
	// `lambdawaf bundle keygen` prints them) whose signatures the agents
	// accept; two during a key rotation. Required.
	TrustedKeys []string
	// PollInterval is how often agents check the pointer at most (a Go
	// duration). Default: contract.DefaultBundlePoll.
	PollInterval string
	// KmsKeyArn, when set, encrypts objects with this customer-managed key
	// (SSE-KMS) instead of S3-managed keys; readers then need kms:Decrypt
	// on it, which this component does not grant.
	KmsKeyArn pulumi.StringInput
	Tags      pulumi.StringMapInput
}

// BundleStore is the bucket of signed policy bundles and its access.
type BundleStore struct {
	pulumi.ResourceState
	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	BucketArn  pulumi.StringOutput `pulumi:"bucketArn"`
	// Source is s3://bucket/prefix, for `lambdawaf bundle -source`.
	Source pulumi.StringOutput `pulumi:"source"`
	// Environment is what protected functions need to poll the store
	// (LAMBDAWAF_BUNDLE_SOURCE, _KEYS, _POLL): add it to their
	// environment.
	Environment pulumi.StringMapOutput `pulumi:"environment"`
}

// NewBundleStore creates the bundle store.
func NewBundleStore(ctx *pulumi.Context, name string, args *BundleStoreArgs, opts ...pulumi.ResourceOption) (*BundleStore, error) {
	if args == nil || args.DeployerRoleArn == nil {
		return nil, errors.New("bundle store: DeployerRoleArn is required: only the deployer may write bundles")
	}
	prefix := args.Prefix
	if prefix == "" {
		prefix = DefaultBundlePrefix
	}
	if err := checkBundlePrefix(prefix); err != nil {
		return nil, err
	}
	if _, err := BundleEnvironment("s3://validation/"+prefix, args.TrustedKeys, args.PollInterval); err != nil {
		return nil, err
	}
	st := &BundleStore{}
	if err := ctx.RegisterComponentResource(BundleStoreType, name, st, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(st)
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		BucketPrefix: pulumi.String(physicalName(ctx, "lambdawaf-bundles-"+name, 36) + "-"),
		Tags:         args.Tags,
	}, child)
	if err != nil {
		return nil, fmt.Errorf("create bundle bucket: %w", err)
	}
	if _, err := s3.NewBucketVersioningV2(ctx, name, &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child); err != nil {
		return nil, fmt.Errorf("enable versioning on the bundle bucket: %w", err)
	}
	sse := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
	if args.KmsKeyArn != nil {
		sse = &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: args.KmsKeyArn,
		}
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: sse,
			BucketKeyEnabled:                   pulumi.Bool(args.KmsKeyArn != nil),
		}},
	}, child); err != nil {
		return nil, fmt.Errorf("encrypt the bundle bucket: %w", err)
	}
	block, err := s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("block public access to the bundle bucket: %w", err)
	}
	if _, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.All(bucket.Arn, args.DeployerRoleArn).ApplyT(func(v []any) (string, error) {
			return BundleBucketPolicyDocument(v[0].(string), prefix, v[1].(string))
		}).(pulumi.StringOutput),
	}, child, pulumi.DependsOn([]pulumi.Resource{block})); err != nil {
		return nil, fmt.Errorf("bundle bucket policy: %w", err)
	}
	for i, role := range args.ReaderRoles {
		if _, err := iam.NewRolePolicy(ctx, fmt.Sprintf("%s-read-%d", name, i), &iam.RolePolicyArgs{
			Role: role,
			Policy: bucket.Arn.ApplyT(func(arn string) (string, error) {
				return BundleReadPolicyDocument(arn, prefix)
			}).(pulumi.StringOutput),
		}, child); err != nil {
			return nil, fmt.Errorf("grant read access to the bundle store: %w", err)
		}
	}
	st.BucketName = bucket.Bucket
	st.BucketArn = bucket.Arn
	st.Source = pulumi.Sprintf("s3://%s/%s", bucket.Bucket, prefix)
	st.Environment = st.Source.ApplyT(func(src string) (map[string]string, error) {
		return BundleEnvironment(src, args.TrustedKeys, args.PollInterval)
	}).(pulumi.StringMapOutput)
	if err := ctx.RegisterResourceOutputs(st, pulumi.Map{
		"bucketName": st.BucketName, "bucketArn": st.BucketArn, "source": st.Source, "environment": st.Environment,
	}); err != nil {
		return nil, err
	}
	return st, nil
}

func checkBundlePrefix(prefix string) error {
	if !strings.HasSuffix(prefix, "/") || strings.HasPrefix(prefix, "/") || strings.ContainsAny(prefix, "*?") {
		return fmt.Errorf("bundle prefix %q: want a key prefix such as %q (ending in a slash, no wildcards)", prefix, DefaultBundlePrefix)
	}
	return nil
}

// BundleEnvironment is the environment that points the agent at a bundle
// store: the source, the trusted keys (checked: each an Ed25519 public key
// in the form `lambdawaf bundle keygen` prints) and the poll interval when
// set (at least one second).
func BundleEnvironment(source string, trustedKeys []string, pollInterval string) (map[string]string, error) {
	if !strings.HasPrefix(source, "s3://") {
		return nil, fmt.Errorf("bundle source %q: want s3://bucket/prefix", source)
	}
	if len(trustedKeys) == 0 {
		return nil, errors.New("bundle store: at least one trusted public key is required")
	}
	for _, k := range trustedKeys {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(k, "ed25519:"))
		if !strings.HasPrefix(k, "ed25519:") || err != nil || len(raw) != 32 {
			return nil, fmt.Errorf("trusted bundle key %q: want ed25519:<base64 of 32 bytes>, as `lambdawaf bundle keygen` prints it", k)
		}
	}
	env := map[string]string{
		contract.EnvBundleSource: source,
		contract.EnvBundleKeys:   strings.Join(trustedKeys, ","),
	}
	if pollInterval != "" {
		d, err := time.ParseDuration(pollInterval)
		if err != nil || d < time.Second {
			return nil, fmt.Errorf("bundle poll interval %q: want a duration of at least 1s", pollInterval)
		}
		env[contract.EnvBundlePoll] = pollInterval
	}
	return env, nil
}

// BundleReadPolicyDocument is what a protected function's role may do with
// the bundle store: read objects under its prefix, nothing else (no
// listing, no writing). A missing object then reads as AccessDenied, which
// the agent treats as a store it cannot read and retries.
func BundleReadPolicyDocument(bucketArn, prefix string) (string, error) {
	if _, err := parseARN(bucketArn, "s3"); err != nil {
		return "", fmt.Errorf("bundle bucket: %w", err)
	}
	if err := checkBundlePrefix(prefix); err != nil {
		return "", err
	}
	return renderPolicy(PolicyDocument{Version: "2012-10-17", Statement: []PolicyStatement{{
		Sid:      "ReadPolicyBundles",
		Effect:   "Allow",
		Action:   []string{"s3:GetObject"},
		Resource: []string{bucketArn + "/" + prefix + "*"},
	}}})
}

// BundleBucketPolicyDocument is the bundle bucket's own policy: the
// deployer role may read, list and write the store; every other principal
// is denied writes and deletes under the prefix, whatever its identity
// policies say; requests without TLS are denied.
func BundleBucketPolicyDocument(bucketArn, prefix, deployerRoleArn string) (string, error) {
	if _, err := parseARN(bucketArn, "s3"); err != nil {
		return "", fmt.Errorf("bundle bucket: %w", err)
	}
	role, err := parseARN(deployerRoleArn, "iam")
	if err != nil || !strings.HasPrefix(role.resource, "role/") {
		return "", fmt.Errorf("deployer %q: want an IAM role ARN (arn:aws:iam::<account>:role/<name>)", deployerRoleArn)
	}
	if err := checkBundlePrefix(prefix); err != nil {
		return "", err
	}
	objects := bucketArn + "/" + prefix + "*"
	return renderPolicy(PolicyDocument{Version: "2012-10-17", Statement: []PolicyStatement{
		{
			Sid:       "DeployerPublishesBundles",
			Effect:    "Allow",
			Principal: map[string]string{"AWS": deployerRoleArn},
			Action:    []string{"s3:GetObject", "s3:PutObject"},
			Resource:  []string{objects},
		},
		{
			Sid:       "DeployerListsBundles",
			Effect:    "Allow",
			Principal: map[string]string{"AWS": deployerRoleArn},
			Action:    []string{"s3:ListBucket"},
			Resource:  []string{bucketArn},
			Condition: map[string]map[string]string{"StringLike": {"s3:prefix": prefix + "*"}},
		},
		{
			Sid:       "OnlyTheDeployerWritesBundles",
			Effect:    "Deny",
			Principal: map[string]string{"AWS": "*"},
			Action:    []string{"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl"},
			Resource:  []string{objects},
			Condition: map[string]map[string]string{"ArnNotEquals": {"aws:PrincipalArn": deployerRoleArn}},
		},
		{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: map[string]string{"AWS": "*"},
			Action:    []string{"s3:*"},
			Resource:  []string{bucketArn, bucketArn + "/*"},
			Condition: map[string]map[string]string{"Bool": {"aws:SecureTransport": "false"}},
		},
	}})
}
