//go:build pulumipreview

package main

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/tools/pulumipreview"
)

// TestPulumiUp deploys the example through the real Pulumi engine against
// the stand-in AWS plugin (`make pulumi-preview`) and asserts on the inputs
// AWS would have received.
func TestPulumiUp(t *testing.T) {
	res := pulumipreview.Run(t, program, map[string]string{
		"lambdawaf-alb:subnetIds[0]":    "subnet-0a",
		"lambdawaf-alb:subnetIds[1]":    "subnet-0b",
		"lambdawaf-alb:securityGroupId": "sg-0123",
	})
	t.Log("\n" + res.Summary())
	pulumipreview.CheckProtectedFunction(t, res.Created, "orders", pulumipreview.InProcess)

	fn := res.Created.One(t, pulumipreview.FunctionType, "orders")
	alb := res.Created.One(t, "aws:lb/loadBalancer:LoadBalancer", "orders")
	if got := alb.Strings("subnets"); !slices.Equal(got, []string{"subnet-0a", "subnet-0b"}) {
		t.Errorf("load balancer subnets %v, want the stack configuration's", got)
	}
	tg := res.Created.One(t, "aws:lb/targetGroup:TargetGroup", "orders")
	if tg.Str(t, "targetType") != "lambda" || tg.Input("lambdaMultiValueHeadersEnabled") != true {
		t.Errorf("target group %v", tg.Inputs)
	}
	attach := res.Created.One(t, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "orders")
	if attach.Str(t, "targetId") != pulumipreview.Arn(t, fn) || attach.Str(t, "targetGroupArn") != pulumipreview.Arn(t, tg) {
		t.Errorf("attachment %v", attach.Inputs)
	}
	perm := res.Created.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "sourceArn") != pulumipreview.Arn(t, tg) || perm.Str(t, "function") != pulumipreview.FunctionName(t, fn) {
		t.Errorf("invoke permission %v", perm.Inputs)
	}
}
