// Command rest-api deploys the orders API on an API Gateway REST API with a
// Python handler on a managed runtime: lambdawaf reaches it through
// AWS_LAMBDA_EXEC_WRAPPER=/opt/lambdawaf-wrapper, which the component sets.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
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
	fn, err := lambdawaf.NewProtectedFunction(ctx, "orders", &lambdawaf.ProtectedFunctionArgs{
		Function: lambda.FunctionArgs{
			Runtime:       pulumi.String("python3.12"),
			Handler:       pulumi.String("index.handler"),
			Architectures: pulumi.StringArray{pulumi.String(lambdawaf.ArchX86_64)},
			Code:          pulumi.NewFileArchive("handler"),
			MemorySize:    pulumi.Int(256),
			Timeout:       pulumi.Int(10),
		},
		Waf: waf,
	})
	if err != nil {
		return err
	}
	api, err := apigateway.NewRestApi(ctx, "orders", &apigateway.RestApiArgs{
		Description: pulumi.String("orders API protected by lambdawaf"),
	})
	if err != nil {
		return fmt.Errorf("rest api: %w", err)
	}
	// /orders and /orders/{id}, every method proxied to the function.
	orders, err := apigateway.NewResource(ctx, "orders", &apigateway.ResourceArgs{
		RestApi: api.ID(), ParentId: api.RootResourceId, PathPart: pulumi.String("orders"),
	})
	if err != nil {
		return fmt.Errorf("resource /orders: %w", err)
	}
	order, err := apigateway.NewResource(ctx, "order", &apigateway.ResourceArgs{
		RestApi: api.ID(), ParentId: orders.ID(), PathPart: pulumi.String("{id}"),
	})
	if err != nil {
		return fmt.Errorf("resource /orders/{id}: %w", err)
	}
	var deps []pulumi.Resource
	for name, res := range map[string]*apigateway.Resource{"orders": orders, "order": order} {
		method, err := apigateway.NewMethod(ctx, name+"-any", &apigateway.MethodArgs{
			RestApi: api.ID(), ResourceId: res.ID(), HttpMethod: pulumi.String("ANY"), Authorization: pulumi.String("NONE"),
		})
		if err != nil {
			return fmt.Errorf("method %s: %w", name, err)
		}
		integ, err := apigateway.NewIntegration(ctx, name+"-any", &apigateway.IntegrationArgs{
			RestApi: api.ID(), ResourceId: res.ID(), HttpMethod: method.HttpMethod,
			IntegrationHttpMethod: pulumi.String("POST"),
			Type:                  pulumi.String("AWS_PROXY"),
			Uri:                   fn.Function.InvokeArn,
		})
		if err != nil {
			return fmt.Errorf("integration %s: %w", name, err)
		}
		deps = append(deps, method, integ)
	}
	deployment, err := apigateway.NewDeployment(ctx, "orders", &apigateway.DeploymentArgs{
		RestApi: api.ID(),
	}, pulumi.DependsOn(deps))
	if err != nil {
		return fmt.Errorf("deployment: %w", err)
	}
	stage, err := apigateway.NewStage(ctx, "prod", &apigateway.StageArgs{
		RestApi: api.ID(), Deployment: deployment.ID(), StageName: pulumi.String("prod"),
	})
	if err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	// A flood is refused by the gateway, before it costs invocations.
	if _, err := (lambdawaf.FrontDoorLimits{RatePerSecond: 100, Burst: 200}).NewRESTMethodSettings(ctx, "orders-throttle", api.ID(), stage.StageName); err != nil {
		return err
	}
	if _, err := lambda.NewPermission(ctx, "orders-invoke", &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.FunctionName,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/*/*", api.ExecutionArn),
	}); err != nil {
		return fmt.Errorf("invoke permission: %w", err)
	}
	ctx.Export("url", stage.InvokeUrl)
	ctx.Export("functionName", fn.FunctionName)
	return nil
}
