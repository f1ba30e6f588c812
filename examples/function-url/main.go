// Command function-url deploys an orders lookup on a Lambda Function URL
// with a Node.js handler on a managed runtime: lambdawaf reaches it through
// AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper. The function runs on
// arm64, so it gets the arm64 agent layer.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/examples/internal/stack"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func main() { pulumi.Run(program) }

func program(ctx *pulumi.Context) error {
	waf, err := stack.Waf(ctx, lambdawaf.ModeBlock)
	if err != nil {
		return err
	}
	fn, err := lambdawaf.NewProtectedFunction(ctx, "lookup", &lambdawaf.ProtectedFunctionArgs{
		Function: lambda.FunctionArgs{
			Runtime:       pulumi.String("nodejs22.x"),
			Handler:       pulumi.String("index.handler"),
			Architectures: pulumi.StringArray{pulumi.String(lambdawaf.ArchArm64)},
			Code:          pulumi.NewFileArchive("handler"),
			MemorySize:    pulumi.Int(256),
			Timeout:       pulumi.Int(10),
		},
		Waf: waf,
	})
	if err != nil {
		return err
	}
	// Public URL: the firewall, not IAM, stands between it and the world.
	url, err := lambda.NewFunctionUrl(ctx, "lookup", &lambda.FunctionUrlArgs{
		FunctionName:      fn.FunctionName,
		AuthorizationType: pulumi.String("NONE"),
		InvokeMode:        pulumi.String("BUFFERED"),
	})
	if err != nil {
		return fmt.Errorf("function url: %w", err)
	}
	// Since October 2025 a public URL needs both statements in the
	// function's resource policy: lambda:InvokeFunctionUrl (with the URL's
	// auth type) and lambda:InvokeFunction. The console scopes the second
	// with the lambda:InvokedViaFunctionUrl condition; pulumi-aws v6.83
	// has no argument for it, so it is granted as is, which lets any
	// principal call Invoke as well: those events reach the agent too.
	if _, err := lambda.NewPermission(ctx, "lookup-public", &lambda.PermissionArgs{
		Action:              pulumi.String("lambda:InvokeFunctionUrl"),
		Function:            fn.FunctionName,
		Principal:           pulumi.String("*"),
		FunctionUrlAuthType: pulumi.String("NONE"),
	}); err != nil {
		return fmt.Errorf("url permission: %w", err)
	}
	if _, err := lambda.NewPermission(ctx, "lookup-public-invoke", &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.FunctionName,
		Principal: pulumi.String("*"),
	}); err != nil {
		return fmt.Errorf("url invoke permission: %w", err)
	}
	ctx.Export("url", url.FunctionUrl)
	ctx.Export("functionName", fn.FunctionName)
	return nil
}
