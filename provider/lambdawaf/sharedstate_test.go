package lambdawaf

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// sharedStateStack is the example stack: a group's table, a function role
// granted on it, and a function whose environment names it.
func sharedStateStack(args *SharedStateArgs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		s, err := NewSharedState(ctx, "shop-state", args)
		if err != nil {
			return err
		}
		role, err := iam.NewRole(ctx, "orders", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(LambdaAssumeRolePolicy)})
		if err != nil {
			return err
		}
		if _, err := s.Grant(ctx, "orders", role.Arn); err != nil {
			return err
		}
		_, err = lambda.NewFunction(ctx, "orders", &lambda.FunctionArgs{
			Role:        role.Arn,
			Runtime:     pulumi.String("provided.al2023"),
			Handler:     pulumi.String("bootstrap"),
			Code:        pulumi.NewFileArchive("testdata"),
			Environment: &lambda.FunctionEnvironmentArgs{Variables: s.Environment()},
		})
		return err
	}
}

func TestSharedStateTableIsOnDemandEncryptedWithTTL(t *testing.T) {
	tests := []struct {
		name     string
		args     SharedStateArgs
		wantPITR bool
		wantKMS  string
	}{
		{"defaults", SharedStateArgs{Group: "shop"}, false, ""},
		{"backups and own key", SharedStateArgs{Group: "shop", PointInTimeRecovery: true,
			KmsKeyArn: pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/k")}, true, "arn:aws:kms:eu-west-1:123456789012:key/k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustRun(t, sharedStateStack(&tt.args))
			in := plain(m.one(t, "aws:dynamodb/table:Table", "shop-state").inputs)
			if in["billingMode"] != "PAY_PER_REQUEST" || in["hashKey"] != "pk" {
				t.Errorf("table billing %v, hash key %v", in["billingMode"], in["hashKey"])
			}
			attrs, _ := in["attributes"].([]any)
			if len(attrs) != 1 || attrs[0].(map[string]any)["name"] != "pk" || attrs[0].(map[string]any)["type"] != "S" {
				t.Errorf("attributes = %v", attrs)
			}
			if ttl, _ := in["ttl"].(map[string]any); ttl["attributeName"] != "expiresAt" || ttl["enabled"] != true {
				t.Errorf("ttl = %v", in["ttl"])
			}
			sse, _ := in["serverSideEncryption"].(map[string]any)
			if sse["enabled"] != true || (tt.wantKMS != "" && sse["kmsKeyArn"] != tt.wantKMS) || (tt.wantKMS == "" && sse["kmsKeyArn"] != nil) {
				t.Errorf("serverSideEncryption = %v", sse)
			}
			if pitr, _ := in["pointInTimeRecovery"].(map[string]any); pitr["enabled"] != tt.wantPITR {
				t.Errorf("pointInTimeRecovery = %v", in["pointInTimeRecovery"])
			}
		})
	}
}

func TestSharedStateGrantIsLimitedToTheGroupsKeys(t *testing.T) {
	m := mustRun(t, sharedStateStack(&SharedStateArgs{Group: "shop"}))
	p := m.one(t, policyType, "orders-lambdawaf-shared-state")
	if role := p.str(t, "role"); role != "orders-1a2b3c4" {
		t.Errorf("policy on role %q", role)
	}
	doc := p.policy(t)
	if len(doc.Statement) != 1 {
		t.Fatalf("statements = %+v", doc.Statement)
	}
	st := doc.Statement[0]
	table := "arn:aws:dynamodb:" + region + ":" + account + ":table/shop-state-1a2b3c4"
	if strings.Join(st.Action, ",") != "dynamodb:GetItem,dynamodb:UpdateItem" || len(st.Resource) != 1 || st.Resource[0] != table {
		t.Errorf("statement = %+v", st)
	}
	if got := st.Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]; got != "shop#*" {
		t.Errorf("LeadingKeys condition = %q, want shop#*", got)
	}
	env := m.one(t, "aws:lambda/function:Function", "orders").env()
	if env[contract.EnvFleetTable] != "shop-state-1a2b3c4" || env[contract.EnvFleetGroup] != "shop" {
		t.Errorf("function environment = %v", env)
	}
}

func TestSharedStateRefusesBadGroups(t *testing.T) {
	for _, g := range []string{"", "a#b", strings.Repeat("g", 129)} {
		if _, err := run(t, sharedStateStack(&SharedStateArgs{Group: g})); err == nil || !strings.Contains(err.Error(), "protection group") {
			t.Errorf("group %q: err = %v", g, err)
		}
	}
	if _, err := SharedStatePolicyDocument("arn:aws:s3:::bucket", "shop"); err == nil {
		t.Error("a non-DynamoDB ARN was accepted")
	}
}
