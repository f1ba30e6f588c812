package main

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

// TestProgram runs the program with the stack transform's logic applied to
// every function. The SDK's mocks do not run stack transforms
// (RegisterResourceTransform is accepted and ignored), so the test applies
// lambdawaf.Protect — the plain function the transform wraps — through a
// client-side transformation, which the mocks do run.
func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, func(ctx *pulumi.Context) error {
		opts, err := protectEverything(ctx)
		if err != nil {
			return err
		}
		if err := ctx.RegisterStackTransformation(func(a *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if a.Type != lambdawaf.FunctionType {
				return nil
			}
			args, ok := a.Props.(*lambda.FunctionArgs)
			if !ok {
				t.Errorf("function props are %T", a.Props)
				return nil
			}
			if err := lambdawaf.Protect(ctx.Context(), args, opts); err != nil {
				t.Errorf("protect %s: %v", a.Name, err)
			}
			return &pulumi.ResourceTransformationResult{Props: args, Opts: a.Opts}
		}); err != nil {
			return err
		}
		role, err := existingStack(ctx)
		if err != nil {
			return err
		}
		_, err = lambdawaf.GrantAgentAccess(ctx, "app", role.Arn, opts.Agent)
		return err
	})

	for _, c := range []struct{ name, arch string }{{"orders", "x86_64"}, {"orders-arm", "arm64"}} {
		fn := cloud.One(t, "aws:lambda/function:Function", c.name)
		layers := fn.Strings("layers")
		if len(layers) == 0 || layers[0] != "arn:aws:lambda:eu-west-1:123456789012:layer:company-certs:3" {
			t.Errorf("%s: the user's layer is not kept first: %v", c.name, layers)
		}
		if agent := lambdawaftest.AgentLayerArn(t, cloud, c.arch); !slices.Contains(layers, agent) {
			t.Errorf("%s (%s): layers %v lack %s", c.name, c.arch, layers, agent)
		}
		env := fn.Env()
		if env["TABLE_NAME"] != "orders" {
			t.Errorf("%s: the user's environment is lost: %v", c.name, env)
		}
		if env["LAMBDAWAF_MODE"] != "block" || env["LAMBDAWAF_AGENT_KEY_SECRET_ARN"] == "" {
			t.Errorf("%s: agent environment missing: %v", c.name, env)
		}
	}
	grant := cloud.One(t, "aws:iam/rolePolicy:RolePolicy", "app-lambdawaf")
	var doc lambdawaf.PolicyDocument
	grant.JSON(t, "policy", &doc)
	secret := cloud.All("aws:secretsmanager/secret:Secret")
	if len(secret) != 1 {
		t.Fatalf("want one agent key secret, have %v", cloud.Names("aws:secretsmanager/secret:Secret"))
	}
	found := false
	for _, st := range doc.Statement {
		if slices.Contains(st.Action, "secretsmanager:GetSecretValue") {
			found = true
			if len(st.Resource) != 1 || st.Resource[0] == "*" {
				t.Errorf("GetSecretValue on %v, want exactly the agent key secret", st.Resource)
			}
		}
	}
	if !found {
		t.Errorf("role policy %+v grants no access to the agent key", doc)
	}
	if got := grant.Str(t, "role"); got != "app-1a2b3c4" {
		t.Errorf("grant attached to role %q", got)
	}
}
