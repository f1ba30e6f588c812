package lambdawaf

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// unknown is a string not known yet, as a resource output is during the
// first `pulumi preview` of a stack.
func unknown() pulumi.StringOutput {
	return pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) string {
		panic("an unknown value was resolved during a preview")
	}).(pulumi.StringOutput)
}

// preview runs program as `pulumi preview` would (dry run).
func preview(t *testing.T, program pulumi.RunFunc) *lambdawaftest.Cloud {
	t.Helper()
	cloud := &lambdawaftest.Cloud{}
	err := pulumi.RunErr(program, pulumi.WithMocks(lambdawaftest.Project, lambdawaftest.Stack, cloud),
		func(info *pulumi.RunInfo) { info.DryRun = true })
	if err != nil {
		t.Fatalf("preview failed: %v", err)
	}
	return cloud
}

// known reports whether a recorded input is known. The mock monitor drops
// unknown values when it records inputs (as the engine would show them
// as "[unknown]"), so an unknown input is an absent one.
func known(pm resource.PropertyMap, key string) bool {
	v, ok := pm[resource.PropertyKey(key)]
	return ok && !v.IsNull() && !v.ContainsUnknowns()
}

// TestPreviewWithUnknownInputs previews programs whose role, layer,
// secret, stream and bucket ARNs are not known yet: the component neither
// panics nor fails, and whatever depends on an unknown value is recorded as
// unknown rather than as a guess (an empty layer, a partial environment).
func TestPreviewWithUnknownInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		program func(ctx *pulumi.Context) error
		// inputs of the function that must be unknown, and known
		unknown, known []string
		check          func(t *testing.T, cloud *lambdawaftest.Cloud, fn lambdawaftest.Resource)
	}{
		{
			name: "agent reference from a stack not deployed yet, existing role",
			program: func(ctx *pulumi.Context) error {
				_, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
					Function: lambda.FunctionArgs{
						Runtime: pulumi.String("provided.al2023"), Handler: pulumi.String("orders-rs"),
						Code: pulumi.NewFileArchive("testdata"), Role: unknown(),
					},
					Waf: WafArgs{AgentRef: &AgentRef{
						LayerArnX86_64: unknown(), LayerArnArm64: unknown(), BootstrapLayerArn: unknown(),
						AgentKeySecretArn: unknown(), FirehoseStreamArn: unknown(), KmsKeyArn: unknown(),
					}},
				})
				return err
			},
			unknown: []string{"layers", "role"},
			known:   []string{"runtime", "handler", "name"},
			check: func(t *testing.T, cloud *lambdawaftest.Cloud, fn lambdawaftest.Resource) {
				// The variables depend on the secret ARN: unknown as a whole,
				// not a partial map without it.
				if env, _ := fn.Input("environment").(map[string]any); env == nil || env["variables"] != nil {
					t.Errorf("environment = %v during preview, want variables unknown", fn.Input("environment"))
				}
				if n := len(cloud.All(roleType)); n != 0 {
					t.Errorf("%d roles created beside the function's own", n)
				}
			},
		},
		{
			name: "new agent delivering to a bucket not created yet",
			program: func(ctx *pulumi.Context) error {
				x86, arm := layerZips(t)
				_, err := NewProtectedFunction(ctx, "orders", &ProtectedFunctionArgs{
					Function: lambda.FunctionArgs{
						Runtime: pulumi.String("python3.12"), Handler: pulumi.String("app.handler"),
						Code: pulumi.NewFileArchive("testdata"), Name: unknown().ToStringPtrOutput().Elem(),
					},
					Waf: WafArgs{NewAgentArgs: &AgentArgs{
						LayerZipX86_64: x86, LayerZipArm64: arm, BootstrapLayerZip: bootstrapZip(t),
						Firehose: &FirehoseArgs{BucketArn: unknown()}, KmsKeyArn: unknown(),
					}},
				})
				return err
			},
			unknown: []string{"name"},
			known:   []string{"runtime", "handler", "layers"},
			check: func(t *testing.T, cloud *lambdawaftest.Cloud, fn lambdawaftest.Resource) {
				// The agent's own resources resolve in a preview of the
				// mock; what depends on the unknown bucket and key does not.
				stream := cloud.One(t, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "orders-agent-decisions")
				if s3, _ := stream.Input("extendedS3Configuration").(map[string]any); s3 == nil || s3["bucketArn"] != nil {
					t.Errorf("stream delivers to %v during preview, want the bucket unknown", s3["bucketArn"])
				}
				for _, name := range []string{"orders-agent-firehose", "orders-lambdawaf"} {
					if p := cloud.One(t, policyType, name); known(p.Inputs, "policy") {
						t.Errorf("role policy %s known before the bucket and key ARNs are: %v", name, p.Inputs["policy"])
					}
				}
				if secret := cloud.One(t, secretType, "orders-agent-agent-key"); known(secret.Inputs, "kmsKeyId") {
					t.Errorf("secret encrypted with %v, want the unknown key", secret.Inputs["kmsKeyId"])
				}
				if v := fn.Env()[EnvAgentKeySecret]; v == "" {
					t.Errorf("environment %v lacks the agent key secret", fn.Env())
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cloud := preview(t, tc.program)
			fn := cloud.One(t, fnType, "orders")
			for _, k := range tc.unknown {
				if known(fn.Inputs, k) {
					t.Errorf("function input %s = %v during preview, want it unknown", k, fn.Inputs[resource.PropertyKey(k)])
				}
			}
			for _, k := range tc.known {
				if !known(fn.Inputs, k) {
					t.Errorf("function input %s = %v, want it known", k, fn.Inputs[resource.PropertyKey(k)])
				}
			}
			for _, l := range fn.Strings("layers") {
				if l == "" {
					t.Errorf("an empty layer ARN was baked in during preview: %v", fn.Strings("layers"))
				}
			}
			tc.check(t, cloud, fn)
		})
	}
}
