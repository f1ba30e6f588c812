// Command existing-stack is an ordinary stack of Lambda functions — two Go
// functions sharing a role, written with no thought of lambdawaf — protected
// in one call: RegisterProtectTransform adds the agent layer for each
// function's architecture, the LAMBDAWAF_* environment and the runtime
// wiring to every aws.lambda.Function registered after it, and
// GrantAgentAccess gives the shared role read access to the agent key.
//
// The only lines added to the original program are the two marked
// "lambdawaf:".
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/examples/internal/stack"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func main() { pulumi.Run(program) }

func program(ctx *pulumi.Context) error {
	opts, err := protectEverything(ctx) // lambdawaf: one call protects every function below
	if err != nil {
		return err
	}
	role, err := existingStack(ctx)
	if err != nil {
		return err
	}
	_, err = lambdawaf.GrantAgentAccess(ctx, "app", role.Arn, opts.Agent) // lambdawaf: the role may read the agent key
	return err
}

// protectEverything creates (or references) the agent and registers the
// stack transform.
func protectEverything(ctx *pulumi.Context) (lambdawaf.ProtectOptions, error) {
	waf, err := stack.Waf(ctx, lambdawaf.ModeBlock)
	if err != nil {
		return lambdawaf.ProtectOptions{}, err
	}
	opts := lambdawaf.ProtectOptions{Settings: waf.Settings}
	if waf.Agent != nil {
		opts.Agent = waf.Agent.Ref()
	} else {
		opts.Agent = *waf.AgentRef
	}
	if err := lambdawaf.RegisterProtectTransform(ctx, opts); err != nil {
		return lambdawaf.ProtectOptions{}, err
	}
	return opts, nil
}

// existingStack is the application as it was before lambdawaf: a role and
// two functions, one per architecture.
func existingStack(ctx *pulumi.Context) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, "app", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		ManagedPolicyArns: pulumi.StringArray{
			pulumi.String("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("role: %w", err)
	}
	for _, f := range []struct{ name, arch string }{{"orders", "x86_64"}, {"orders-arm", "arm64"}} {
		if _, err := lambda.NewFunction(ctx, f.name, &lambda.FunctionArgs{
			Runtime:       pulumi.String("provided.al2023"),
			Handler:       pulumi.String("bootstrap"),
			Architectures: pulumi.StringArray{pulumi.String(f.arch)},
			Code:          stack.GoHandler(f.arch),
			Role:          role.Arn,
			MemorySize:    pulumi.Int(256),
			Layers:        pulumi.StringArray{pulumi.String("arn:aws:lambda:eu-west-1:123456789012:layer:company-certs:3")},
			Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
				"TABLE_NAME": pulumi.String("orders"),
			}},
		}); err != nil {
			return nil, fmt.Errorf("function %s: %w", f.name, err)
		}
	}
	return role, nil
}
