// Command http-api deploys the orders API on an API Gateway HTTP API, the
// Go handler protected by lambdawaf (in-process wiring on provided.al2023,
// arm64), with a shared-state table so that its rate limit and flagged
// sources hold across every execution environment (scope: global).
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigatewayv2"
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
	// The protection group's table: fleet-wide rate limits and flagged
	// sources (lambdawaf.yaml: scope: global, flagging).
	fleet, err := lambdawaf.NewSharedState(ctx, "orders", &lambdawaf.SharedStateArgs{Group: "orders"})
	if err != nil {
		return err
	}
	fn, err := lambdawaf.NewProtectedFunction(ctx, "orders", &lambdawaf.ProtectedFunctionArgs{
		Function: lambda.FunctionArgs{
			Environment:   lambda.FunctionEnvironmentArgs{Variables: fleet.Environment()},
			Runtime:       pulumi.String("provided.al2023"),
			Handler:       pulumi.String("bootstrap"),
			Architectures: pulumi.StringArray{pulumi.String(lambdawaf.ArchArm64)},
			Code:          stack.GoHandler(lambdawaf.ArchArm64),
			MemorySize:    pulumi.Int(256),
			Timeout:       pulumi.Int(10),
			// What a flood can take from the account's concurrency.
			ReservedConcurrentExecutions: pulumi.Int(50),
		},
		Waf: waf,
	})
	if err != nil {
		return err
	}
	if _, err := fleet.Grant(ctx, "orders-fleet", fn.RoleName); err != nil {
		return err
	}
	api, err := apigatewayv2.NewApi(ctx, "orders", &apigatewayv2.ApiArgs{
		ProtocolType: pulumi.String("HTTP"),
	})
	if err != nil {
		return fmt.Errorf("http api: %w", err)
	}
	integration, err := apigatewayv2.NewIntegration(ctx, "orders", &apigatewayv2.IntegrationArgs{
		ApiId:                api.ID(),
		IntegrationType:      pulumi.String("AWS_PROXY"),
		IntegrationUri:       fn.FunctionArn,
		PayloadFormatVersion: pulumi.String("2.0"),
	})
	if err != nil {
		return fmt.Errorf("integration: %w", err)
	}
	for name, key := range map[string]string{"list": "GET /orders", "create": "POST /orders", "get": "GET /orders/{id}", "cancel": "DELETE /orders/{id}"} {
		if _, err := apigatewayv2.NewRoute(ctx, "orders-"+name, &apigatewayv2.RouteArgs{
			ApiId:    api.ID(),
			RouteKey: pulumi.String(key),
			Target:   pulumi.Sprintf("integrations/%s", integration.ID()),
		}); err != nil {
			return fmt.Errorf("route %s: %w", key, err)
		}
	}
	// A flood is refused by the gateway, before it costs invocations; the
	// agent's limits (lambdawaf.yaml) are finer: per source, fleet-wide.
	throttle, err := lambdawaf.FrontDoorLimits{RatePerSecond: 100, Burst: 200}.HTTPAPIRouteSettings()
	if err != nil {
		return err
	}
	if _, err := apigatewayv2.NewStage(ctx, "default", &apigatewayv2.StageArgs{
		ApiId:                api.ID(),
		Name:                 pulumi.String("$default"),
		AutoDeploy:           pulumi.Bool(true),
		DefaultRouteSettings: throttle,
	}); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	if _, err := lambda.NewPermission(ctx, "orders-invoke", &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.FunctionName,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/*/*", api.ExecutionArn),
	}); err != nil {
		return fmt.Errorf("invoke permission: %w", err)
	}
	ctx.Export("url", api.ApiEndpoint)
	ctx.Export("functionName", fn.FunctionName)
	return nil
}
