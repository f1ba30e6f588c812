package main

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program)

	fn := cloud.One(t, "aws:lambda/function:Function", "lookup")
	if fn.Str(t, "runtime") != "nodejs22.x" {
		t.Errorf("runtime %s", fn.Str(t, "runtime"))
	}
	if env := fn.Env(); env["AWS_LAMBDA_EXEC_WRAPPER"] != "/opt/lambdawaf-wrapper" {
		t.Errorf("Node.js must be wired with the exec wrapper; env %v", env)
	}
	layers := fn.Strings("layers")
	if agent := lambdawaftest.AgentLayerArn(t, cloud, "arm64"); !slices.Contains(layers, agent) {
		t.Errorf("arm64 function layers %v lack the arm64 agent layer %s", layers, agent)
	}
	if x86 := lambdawaftest.AgentLayerArn(t, cloud, "x86_64"); slices.Contains(layers, x86) {
		t.Errorf("arm64 function carries the x86_64 agent layer (exec format error at init)")
	}
	url := cloud.One(t, "aws:lambda/functionUrl:FunctionUrl", "lookup")
	if url.Str(t, "functionName") != fn.Str(t, "name") || url.Str(t, "authorizationType") != "NONE" {
		t.Errorf("function url %v", url.Inputs)
	}
	perm := cloud.One(t, "aws:lambda/permission:Permission", "lookup-public")
	if perm.Str(t, "action") != "lambda:InvokeFunctionUrl" || perm.Str(t, "functionUrlAuthType") != "NONE" || perm.Str(t, "principal") != "*" {
		t.Errorf("permission %v", perm.Inputs)
	}
}
