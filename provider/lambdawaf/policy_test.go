package lambdawaf

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAgentPolicyDocument(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   PolicyInputs
		want string // exact JSON
		err  string
	}{
		{
			name: "secret only",
			in:   PolicyInputs{SecretArn: refSecret},
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"ReadAgentKey","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["` + refSecret + `"]}]}`,
		},
		{
			name: "China partition endpoint in kms:ViaService",
			in: PolicyInputs{
				SecretArn: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:k-AbCdEf",
				KmsKeyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/0a1b",
			},
			want: `{"Version":"2012-10-17","Statement":[` +
				`{"Sid":"ReadAgentKey","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:k-AbCdEf"]},` +
				`{"Sid":"DecryptAgentKey","Effect":"Allow","Action":["kms:Decrypt"],"Resource":["arn:aws-cn:kms:cn-north-1:123456789012:key/0a1b"],` +
				`"Condition":{"StringEquals":{"kms:EncryptionContext:SecretARN":"arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:k-AbCdEf","kms:ViaService":"secretsmanager.cn-north-1.amazonaws.com.cn"}}}]}`,
		},
		{
			name: "log group ARN with or without :*",
			in:   PolicyInputs{SecretArn: refSecret, LogGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x:*"},
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"WriteFunctionLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/x:*"]},` +
				`{"Sid":"ReadAgentKey","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["` + refSecret + `"]}]}`,
		},
		{
			name: "SNS dead-letter topic",
			in:   PolicyInputs{SecretArn: refSecret, DeadLetterTargetArn: "arn:aws:sns:eu-west-1:123456789012:dlq"},
			want: `{"Version":"2012-10-17","Statement":[{"Sid":"ReadAgentKey","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["` + refSecret + `"]},` +
				`{"Sid":"SendToDeadLetterTarget","Effect":"Allow","Action":["sns:Publish"],"Resource":["arn:aws:sns:eu-west-1:123456789012:dlq"]}]}`,
		},
		{name: "no secret", in: PolicyInputs{}, err: "is not an ARN"},
		{name: "secret of the wrong service", in: PolicyInputs{SecretArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/k"}, err: "is a ssm ARN, want secretsmanager"},
		{name: "KMS alias", in: PolicyInputs{SecretArn: refSecret, KmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/waf"}, err: "not an alias"},
		{name: "stream of the wrong service", in: PolicyInputs{SecretArn: refSecret, FirehoseStreamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/x"}, err: "want firehose"},
		{name: "dead-letter target of the wrong service", in: PolicyInputs{SecretArn: refSecret, DeadLetterTargetArn: "arn:aws:s3:::bucket"}, err: "SQS queue or SNS topic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AgentPolicyDocument(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("policy =\n%s\nwant\n%s", got, tc.want)
			}
			if !json.Valid([]byte(got)) {
				t.Error("not JSON")
			}
		})
	}
}

func TestFirehoseDeliveryPolicy(t *testing.T) {
	got, err := FirehoseDeliveryPolicyDocument("arn:aws:s3:::decisions")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"DeliverDecisionRecords","Effect":"Allow","Action":["s3:AbortMultipartUpload","s3:GetBucketLocation","s3:GetObject","s3:ListBucket","s3:ListBucketMultipartUploads","s3:PutObject"],"Resource":["arn:aws:s3:::decisions","arn:aws:s3:::decisions/*"]}]}`
	if got != want {
		t.Errorf("policy =\n%s\nwant\n%s", got, want)
	}
	if _, err := FirehoseDeliveryPolicyDocument("decisions"); err == nil {
		t.Error("bucket name accepted where an ARN is needed")
	}
}

func TestRoleNameOf(t *testing.T) {
	for in, want := range map[string]string{
		"legacy":                                "legacy",
		"arn:aws:iam::123456789012:role/legacy": "legacy",
		"arn:aws:iam::123456789012:role/service-role/legacy-x1": "legacy-x1",
	} {
		if got, err := roleNameOf(in); err != nil || got != want {
			t.Errorf("roleNameOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "arn:aws:iam::123456789012:user/bob", "arn:aws:s3:::bucket"} {
		if _, err := roleNameOf(bad); err == nil {
			t.Errorf("roleNameOf(%q) accepted", bad)
		}
	}
}

func TestPhysicalName(t *testing.T) {
	a := physicalNameFor("shop", "prod", "orders api/v2", 64)
	if a != physicalNameFor("shop", "prod", "orders api/v2", 64) {
		t.Error("not stable")
	}
	if !strings.HasPrefix(a, "orders-api-v2-") || len(a) != len("orders-api-v2-")+8 {
		t.Errorf("name = %q", a)
	}
	if a == physicalNameFor("shop", "staging", "orders api/v2", 64) {
		t.Error("same name in two stacks")
	}
	long := physicalNameFor("shop", "prod", strings.Repeat("n", 100), 64)
	if len(long) != 64 {
		t.Errorf("long name has %d bytes", len(long))
	}
}

func TestConfigurationDocument(t *testing.T) {
	if _, err := configurationDocument("mode: [", ""); err == nil {
		t.Error("broken YAML accepted")
	}
	if _, err := configurationDocument("- a\n- b\n", ""); err == nil {
		t.Error("a YAML list accepted as configuration")
	}
	if doc, err := configurationDocument(`{"mode":"log"}`, ""); err != nil || doc != `{"mode":"log"}` {
		t.Errorf("JSON document: %q, %v", doc, err)
	}
	if _, err := configurationDocument("a: 1", "x.yaml"); err == nil {
		t.Error("both inline and file accepted")
	}
	if _, err := configurationDocument("", "testdata/missing.yaml"); err == nil {
		t.Error("missing file accepted")
	}
}
