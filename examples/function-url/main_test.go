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
	// A public URL needs both actions granted to everyone on this function
	// (since October 2025), the URL one for auth type NONE.
	granted := map[string]bool{}
	for _, perm := range cloud.All("aws:lambda/permission:Permission") {
		if perm.Str(t, "principal") != "*" || perm.Input("function") != fn.Str(t, "name") {
			continue
		}
		action := perm.Str(t, "action")
		if action == "lambda:InvokeFunctionUrl" && perm.Input("functionUrlAuthType") != "NONE" {
			t.Errorf("InvokeFunctionUrl granted for auth type %v, want NONE", perm.Input("functionUrlAuthType"))
		}
		granted[action] = true
	}
	for _, action := range []string{"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} {
		if !granted[action] {
			t.Errorf("the public URL's resource policy lacks %s; have %v", action, granted)
		}
	}
}
