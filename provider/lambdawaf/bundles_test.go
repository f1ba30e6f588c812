package lambdawaf

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

const (
	testDeployer   = "arn:aws:iam::123456789012:role/bundle-deployer"
	testBundleKey  = "ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
	testBundleKey2 = "ed25519:PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw="
)

func TestBundleStoreIsVersionedEncryptedPrivateAndWrittenByTheDeployerOnly(t *testing.T) {
	envs := make(chan map[string]string, 1)
	m := mustRun(t, func(ctx *pulumi.Context) error {
		fnRole, err := iam.NewRole(ctx, "orders", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(LambdaAssumeRolePolicy)})
		if err != nil {
			return err
		}
		st, err := NewBundleStore(ctx, "waf", &BundleStoreArgs{
			DeployerRoleArn: pulumi.String(testDeployer),
			ReaderRoles:     []pulumi.StringInput{fnRole.Name},
			TrustedKeys:     []string{testBundleKey, testBundleKey2},
			PollInterval:    "15s",
		})
		if err != nil {
			return err
		}
		st.Environment.ApplyT(func(env map[string]string) map[string]string { envs <- env; return env })
		return nil
	})

	bucket := m.one(t, "aws:s3/bucketV2:BucketV2", "waf")
	bucketName := strings.TrimSuffix(bucket.str(t, "bucketPrefix"), "-")
	versioning := plain(m.one(t, "aws:s3/bucketVersioningV2:BucketVersioningV2", "waf").inputs)
	if v := versioning["versioningConfiguration"].(map[string]any); v["status"] != "Enabled" {
		t.Errorf("versioning = %v, want Enabled", v)
	}
	sse := plain(m.one(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "waf").inputs)
	rule := sse["rules"].([]any)[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)
	if rule["sseAlgorithm"] != "AES256" {
		t.Errorf("encryption = %v, want AES256", rule)
	}
	block := plain(m.one(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "waf").inputs)
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if block[k] != true {
			t.Errorf("public access block %s = %v", k, block[k])
		}
	}

	var bp PolicyDocument
	m.one(t, "aws:s3/bucketPolicy:BucketPolicy", "waf").res().JSON(t, "policy", &bp)
	deny := statement(t, bp, "OnlyTheDeployerWritesBundles")
	if deny.Effect != "Deny" || deny.Condition["ArnNotEquals"]["aws:PrincipalArn"] != testDeployer ||
		!slices.Contains(deny.Action, "s3:PutObject") || !strings.HasPrefix(deny.Resource[0], "arn:aws:s3:::"+bucketName) || !strings.HasSuffix(deny.Resource[0], "/lambdawaf/*") {
		t.Errorf("write guard = %+v", deny)
	}
	if allow := statement(t, bp, "DeployerPublishesBundles"); allow.Principal["AWS"] != testDeployer || !slices.Contains(allow.Action, "s3:PutObject") {
		t.Errorf("deployer grant = %+v", allow)
	}

	read := m.one(t, policyType, "waf-read-0")
	doc := read.policy(t)
	if len(doc.Statement) != 1 || !slices.Equal(doc.Statement[0].Action, []string{"s3:GetObject"}) || !strings.HasSuffix(doc.Statement[0].Resource[0], "/lambdawaf/*") {
		t.Errorf("function read policy = %+v, want s3:GetObject on the prefix only", doc)
	}
	if role := read.str(t, "role"); !strings.HasPrefix(role, "orders") {
		t.Errorf("read policy attached to %q, want the function role", role)
	}

	env := <-envs
	if !strings.HasPrefix(env[contract.EnvBundleSource], "s3://"+bucketName) || !strings.HasSuffix(env[contract.EnvBundleSource], "/lambdawaf/") ||
		env[contract.EnvBundleKeys] != testBundleKey+","+testBundleKey2 || env[contract.EnvBundlePoll] != "15s" {
		t.Errorf("environment = %v", env)
	}
}

func statement(t *testing.T, doc PolicyDocument, sid string) PolicyStatement {
	t.Helper()
	for _, s := range doc.Statement {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("policy has no statement %s: %+v", sid, doc)
	return PolicyStatement{}
}

func TestBundleReadPolicyGrantsGetObjectOnThePrefixOnly(t *testing.T) {
	got, err := BundleReadPolicyDocument("arn:aws:s3:::waf-bundles", "prod/")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"ReadPolicyBundles","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::waf-bundles/prod/*"]}]}`
	if got != want {
		t.Fatalf("policy\n%s\nwant\n%s", got, want)
	}
}

func TestBundlePoliciesRefuseBadInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     func() error
		wantErr string
	}{
		{"bucket ARN of another service", func() error {
			_, err := BundleReadPolicyDocument("arn:aws:sqs:us-east-1:123456789012:q", "prod/")
			return err
		}, "want s3"},
		{"prefix without a slash", func() error { _, err := BundleReadPolicyDocument("arn:aws:s3:::b", "prod"); return err }, "ending in a slash"},
		{"wildcard prefix", func() error { _, err := BundleReadPolicyDocument("arn:aws:s3:::b", "*/"); return err }, "no wildcards"},
		{"deployer is a user", func() error {
			_, err := BundleBucketPolicyDocument("arn:aws:s3:::b", "prod/", "arn:aws:iam::123456789012:user/alice")
			return err
		}, "want an IAM role ARN"},
		{"no trusted key", func() error { _, err := BundleEnvironment("s3://b/p/", nil, ""); return err }, "at least one trusted"},
		{"key without prefix", func() error {
			_, err := BundleEnvironment("s3://b/p/", []string{strings.TrimPrefix(testBundleKey, "ed25519:")}, "")
			return err
		}, "want ed25519:"},
		{"short key", func() error { _, err := BundleEnvironment("s3://b/p/", []string{"ed25519:AAAA"}, ""); return err }, "32 bytes"},
		{"poll below a second", func() error { _, err := BundleEnvironment("s3://b/p/", []string{testBundleKey}, "100ms"); return err }, "at least 1s"},
		{"store without deployer", func() error {
			_, err := run(t, func(ctx *pulumi.Context) error {
				_, err := NewBundleStore(ctx, "waf", &BundleStoreArgs{TrustedKeys: []string{testBundleKey}})
				return err
			})
			return err
		}, "DeployerRoleArn is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestBundleBucketPolicyDeniesInsecureTransport(t *testing.T) {
	got, err := BundleBucketPolicyDocument("arn:aws:s3:::b", "prod/", testDeployer)
	if err != nil {
		t.Fatal(err)
	}
	var doc PolicyDocument
	if err := json.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatal(err)
	}
	tls := statement(t, doc, "DenyInsecureTransport")
	if tls.Effect != "Deny" || tls.Condition["Bool"]["aws:SecureTransport"] != "false" || !slices.Equal(tls.Resource, []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}) {
		t.Fatalf("TLS statement = %+v", tls)
	}
}
