package main

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program, lambdawaftest.Config{
		lambdawaftest.Project + ":subnetIds":       `["subnet-0a","subnet-0b"]`,
		lambdawaftest.Project + ":securityGroupId": "sg-0123",
	})

	fn := cloud.One(t, "aws:lambda/function:Function", "orders")
	if agent := lambdawaftest.AgentLayerArn(t, cloud, "x86_64"); !slices.Contains(fn.Strings("layers"), agent) {
		t.Errorf("layers %v lack the x86_64 agent layer %s", fn.Strings("layers"), agent)
	}
	tg := cloud.One(t, "aws:lb/targetGroup:TargetGroup", "orders")
	if tg.Str(t, "targetType") != "lambda" || tg.Input("lambdaMultiValueHeadersEnabled") != true {
		t.Errorf("target group %v", tg.Inputs)
	}
	tgArn := "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-1a2b3c4/73e2d6bc24d8a067"
	att := cloud.One(t, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "orders")
	if att.Str(t, "targetGroupArn") != tgArn || att.Str(t, "targetId") != "arn:aws:lambda:eu-west-1:123456789012:function:"+fn.Str(t, "name") {
		t.Errorf("attachment %v", att.Inputs)
	}
	perm := cloud.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "principal") != "elasticloadbalancing.amazonaws.com" || perm.Str(t, "sourceArn") != tgArn {
		t.Errorf("permission %v", perm.Inputs)
	}
	if len(att.Dependencies) == 0 {
		t.Error("the attachment must wait for the invoke permission (ELB checks it on attach)")
	}
	lis := cloud.One(t, "aws:lb/listener:Listener", "http")
	actions, _ := lis.Input("defaultActions").([]any)
	if len(actions) != 1 || actions[0].(map[string]any)["targetGroupArn"] != tgArn {
		t.Errorf("listener actions %v", actions)
	}
	lbr := cloud.One(t, "aws:lb/loadBalancer:LoadBalancer", "orders")
	if !slices.Equal(lbr.Strings("subnets"), []string{"subnet-0a", "subnet-0b"}) {
		t.Errorf("subnets %v", lbr.Strings("subnets"))
	}
}
