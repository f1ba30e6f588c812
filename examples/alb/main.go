// Command alb deploys the orders API behind an Application Load Balancer:
// a Lambda target group (multi-value headers on), the protected Go
// function attached to it, and an HTTP listener. The VPC subnets and
// security group come from configuration.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/lambdawaf/lambdawaf/examples/internal/stack"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func main() { pulumi.Run(program) }

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	var subnets []string
	cfg.RequireObject("subnetIds", &subnets)
	securityGroup := cfg.Require("securityGroupId")

	waf, err := stack.Waf(ctx, lambdawaf.ModeBlock)
	if err != nil {
		return err
	}
	fn, err := lambdawaf.NewProtectedFunction(ctx, "orders", &lambdawaf.ProtectedFunctionArgs{
		Function: lambda.FunctionArgs{
			Runtime:       pulumi.String("provided.al2023"),
			Handler:       pulumi.String("bootstrap"),
			Architectures: pulumi.StringArray{pulumi.String(lambdawaf.ArchX86_64)},
			Code:          stack.GoHandler(lambdawaf.ArchX86_64),
			MemorySize:    pulumi.Int(256),
			Timeout:       pulumi.Int(10),
		},
		Waf: waf,
	})
	if err != nil {
		return err
	}
	alb, err := lb.NewLoadBalancer(ctx, "orders", &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("application"),
		Subnets:          pulumi.ToStringArray(subnets),
		SecurityGroups:   pulumi.StringArray{pulumi.String(securityGroup)},
	})
	if err != nil {
		return fmt.Errorf("load balancer: %w", err)
	}
	tg, err := lb.NewTargetGroup(ctx, "orders", &lb.TargetGroupArgs{
		TargetType:                     pulumi.String("lambda"),
		LambdaMultiValueHeadersEnabled: pulumi.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("target group: %w", err)
	}
	perm, err := lambda.NewPermission(ctx, "orders-invoke", &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  fn.FunctionName,
		Principal: pulumi.String("elasticloadbalancing.amazonaws.com"),
		SourceArn: tg.Arn,
	})
	if err != nil {
		return fmt.Errorf("invoke permission: %w", err)
	}
	if _, err := lb.NewTargetGroupAttachment(ctx, "orders", &lb.TargetGroupAttachmentArgs{
		TargetGroupArn: tg.Arn,
		TargetId:       fn.FunctionArn,
	}, pulumi.DependsOn([]pulumi.Resource{perm})); err != nil {
		return fmt.Errorf("target group attachment: %w", err)
	}
	if _, err := lb.NewListener(ctx, "http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: tg.Arn,
		}},
	}); err != nil {
		return fmt.Errorf("listener: %w", err)
	}
	ctx.Export("url", pulumi.Sprintf("http://%s", alb.DnsName))
	ctx.Export("functionName", fn.FunctionName)
	return nil
}
