package lambdawaf

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestAgentFirehose(t *testing.T) {
	x86, arm := layerZips(t)
	m := mustRun(t, func(ctx *pulumi.Context) error {
		_, err := NewAgent(ctx, "waf", &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm,
			Firehose: &FirehoseArgs{Prefix: "waf/", BufferingIntervalSeconds: 60}})
		return err
	})
	bucket := "arn:aws:s3:::" + physicalNameFor("shop", "prod", "lambdawaf-waf", 36) + "-20261121"
	block := plain(m.one(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "waf-decisions").inputs)
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if block[k] != true {
			t.Errorf("public access block %s = %v", k, block[k])
		}
	}
	doc := m.one(t, policyType, "waf-firehose").policy(t)
	if len(doc.Statement) != 1 || !slices.Equal(doc.Statement[0].Resource, []string{bucket, bucket + "/*"}) {
		t.Errorf("firehose role policy = %+v", doc)
	}
	var trust PolicyDocument
	if err := jsonUnmarshal(m.one(t, roleType, "waf-firehose").str(t, "assumeRolePolicy"), &trust); err != nil || trust.Statement[0].Principal["Service"] != "firehose.amazonaws.com" {
		t.Errorf("firehose trust = %+v, %v", trust, err)
	}
	stream := m.one(t, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "waf-decisions")
	s3 := plain(stream.inputs)["extendedS3Configuration"].(map[string]any)
	if s3["bucketArn"] != bucket || s3["roleArn"] != "arn:aws:iam::123456789012:role/waf-firehose-1a2b3c4" ||
		s3["prefix"] != "waf/dt=!{timestamp:yyyy-MM-dd}/function=!{partitionKeyFromQuery:function}/" || s3["compressionFormat"] != "GZIP" || s3["bufferingInterval"] != 60.0 {
		t.Errorf("extendedS3Configuration = %v", s3)
	}
	if dp, _ := s3["dynamicPartitioningConfiguration"].(map[string]any); dp["enabled"] != true {
		t.Errorf("dynamic partitioning = %v", s3["dynamicPartitioningConfiguration"])
	}
	pc, _ := s3["processingConfiguration"].(map[string]any)
	procs, _ := pc["processors"].([]any)
	if len(procs) != 1 || !strings.Contains(fmt.Sprint(procs[0]), "{function:.function_name}") {
		t.Errorf("partition key extraction = %v", procs)
	}
	if sse := plain(stream.inputs)["serverSideEncryption"].(map[string]any); sse["enabled"] != true {
		t.Errorf("serverSideEncryption = %v", sse)
	}
	// The stream waits for its role's permissions.
	if !slices.Contains(stream.deps, m.one(t, policyType, "waf-firehose").urn) {
		t.Errorf("stream does not depend on its role policy")
	}
}

func TestAgentDecisionBucketNameIsValidForS3(t *testing.T) {
	x86, arm := layerZips(t)
	// S3 bucket names: 3-63 characters of lower-case letters, digits,
	// dots and hyphens, starting and ending with a letter or digit; AWS
	// appends 26 characters to a BucketPrefix.
	valid := regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	for _, name := range []string{"Shop_Orders", "PAYMENTS", "waf", "a_Very_Long_Agent_Name_For_The_Checkout_Service_Of_Team_42"} {
		t.Run(name, func(t *testing.T) {
			m := mustRun(t, func(ctx *pulumi.Context) error {
				_, err := NewAgent(ctx, name, &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm, Firehose: &FirehoseArgs{}})
				return err
			})
			prefix := m.one(t, "aws:s3/bucketV2:BucketV2", name+"-decisions").str(t, "bucketPrefix")
			if len(prefix) > 37 {
				t.Errorf("bucket prefix %q is %d characters, S3 takes at most 37", prefix, len(prefix))
			}
			if full := prefix + "20261206220000000000000001"; !valid.MatchString(full) {
				t.Errorf("bucket prefix %q gives the invalid bucket name %q", prefix, full)
			}
		})
	}
}

func TestAgentReusesWhatItIsGiven(t *testing.T) {
	m := mustRun(t, func(ctx *pulumi.Context) error {
		_, err := NewAgent(ctx, "waf", &AgentArgs{
			LayerArnX86_64:    pulumi.String(refX86),
			Architectures:     []string{ArchX86_64},
			BootstrapLayerArn: pulumi.String(refBoot),
			AgentKeySecretArn: pulumi.String(refSecret),
			KmsKeyArn:         pulumi.String(refKey),
		})
		return err
	})
	for _, typ := range []string{layerType, secretType, versionTyp, "aws:kms/key:Key"} {
		if n := len(m.all(typ)); n != 0 {
			t.Errorf("%d %s created", n, typ)
		}
	}
}

func TestAgentRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args AgentArgs
		want string
	}{
		{"missing zip", AgentArgs{LayerZipX86_64: "testdata/none.zip", Architectures: []string{ArchX86_64}}, "make layer"},
		{"unknown architecture", AgentArgs{Architectures: []string{"s390x"}}, `unknown architecture "s390x"`},
		{"CMK for an existing secret", AgentArgs{LayerArnX86_64: pulumi.String(refX86), Architectures: []string{ArchX86_64},
			AgentKeySecretArn: pulumi.String(refSecret), CreateKmsKey: true}, "pass its key as KmsKeyArn"},
		{"retention", AgentArgs{LayerArnX86_64: pulumi.String(refX86), Architectures: []string{ArchX86_64}, LogRetentionInDays: 10}, "not one CloudWatch Logs accepts"},
		{"broken configuration", AgentArgs{LayerArnX86_64: pulumi.String(refX86), Architectures: []string{ArchX86_64}, Configuration: "rules: ["}, "not a YAML or JSON mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, func(ctx *pulumi.Context) error {
				_, err := NewAgent(ctx, "waf", &tc.args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// Every child of the components is parented to it, so that the stack reads
// as a tree and `pulumi destroy` of the component removes its children.
func TestChildrenAreParented(t *testing.T) {
	m, err := newFunction(t, AgentArgs{CreateKmsKey: true, Configuration: "mode: block\n", Firehose: &FirehoseArgs{}}, lambda.FunctionArgs{
		Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata"),
	}, WafArgs{Configuration: "mode: log\n"})
	if err != nil {
		t.Fatal(err)
	}
	children := 0
	for _, r := range m.resources() {
		if r.typ == AgentType || r.typ == ProtectedFunctionType {
			continue
		}
		children++
		var parent string
		switch {
		case strings.HasPrefix(r.name, "waf"):
			parent = "lambdawaf:index:Agent$"
		case strings.HasPrefix(r.name, "orders"):
			parent = "lambdawaf:index:ProtectedFunction$"
		}
		if parent == "" || !strings.Contains(r.urn, "::"+parent) {
			t.Errorf("%s %s is not a child of its component (urn %s)", r.typ, r.name, r.urn)
		}
	}
	if children < 12 {
		t.Errorf("only %d children registered", children)
	}
}

func TestPlainArgumentsNotModified(t *testing.T) {
	x86, arm := layerZips(t)
	fn := lambda.FunctionArgs{
		Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"), Code: pulumi.NewFileArchive("testdata"),
		Layers: pulumi.ToStringArray(userLayers(1)),
	}
	before := fn
	mustRun(t, func(ctx *pulumi.Context) error {
		_, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
			Function: fn,
			Waf:      WafArgs{NewAgentArgs: &AgentArgs{LayerZipX86_64: x86, LayerZipArm64: arm}},
		})
		return err
	})
	if !reflect.DeepEqual(before, fn) {
		t.Error("NewProtectedFunction modified the caller's FunctionArgs")
	}
}
