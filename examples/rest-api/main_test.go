package main

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program)

	fn := cloud.One(t, "aws:lambda/function:Function", "orders")
	if fn.Str(t, "runtime") != "python3.12" {
		t.Errorf("runtime %s", fn.Str(t, "runtime"))
	}
	env := fn.Env()
	if env["AWS_LAMBDA_EXEC_WRAPPER"] != "/opt/lambdawaf-wrapper" {
		t.Errorf("managed runtime must be wired with the exec wrapper; env %v", env)
	}
	if agent := lambdawaftest.AgentLayerArn(t, cloud, "x86_64"); !slices.Contains(fn.Strings("layers"), agent) {
		t.Errorf("layers %v lack the x86_64 agent layer %s", fn.Strings("layers"), agent)
	}
	integrations := cloud.All("aws:apigateway/integration:Integration")
	if len(integrations) != 2 {
		t.Fatalf("want integrations for /orders and /orders/{id}, have %v", cloud.Names("aws:apigateway/integration:Integration"))
	}
	for _, in := range integrations {
		if in.Str(t, "type") != "AWS_PROXY" || in.Str(t, "integrationHttpMethod") != "POST" {
			t.Errorf("integration %s: %v", in.Name, in.Inputs)
		}
		if want := "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:" + fn.Str(t, "name") + "/invocations"; in.Str(t, "uri") != want {
			t.Errorf("integration %s uri %s, want %s", in.Name, in.Str(t, "uri"), want)
		}
	}
	if got := cloud.One(t, "aws:apigateway/resource:Resource", "order").Str(t, "pathPart"); got != "{id}" {
		t.Errorf("order resource path part %q", got)
	}
	throttle := lambdawaftest.Plain(cloud.One(t, "aws:apigateway/methodSettings:MethodSettings", "orders-throttle").Inputs)
	if s, _ := throttle["settings"].(map[string]any); throttle["methodPath"] != "*/*" || throttle["stageName"] != "prod" || s["throttlingRateLimit"] != 100.0 || s["throttlingBurstLimit"] != 200.0 {
		t.Errorf("stage method settings %v, want the gateway throttling on every method of prod", throttle)
	}
	perm := cloud.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "principal") != "apigateway.amazonaws.com" || perm.Str(t, "sourceArn") != "arn:aws:execute-api:eu-west-1:123456789012:r1e2s3t4a5/*/*" {
		t.Errorf("permission %v", perm.Inputs)
	}
	if dep := cloud.One(t, "aws:apigateway/deployment:Deployment", "orders"); len(dep.Dependencies) < 4 {
		t.Errorf("deployment must wait for methods and integrations; depends on %v", dep.Dependencies)
	}
}
