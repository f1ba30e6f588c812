//go:build pulumipreview

package main

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/tools/pulumipreview"
)

// TestPulumiUp deploys the example through the real Pulumi engine against
// the stand-in AWS plugin (`make pulumi-preview`) and asserts on the inputs
// AWS would have received.
func TestPulumiUp(t *testing.T) {
	res := pulumipreview.Run(t, program, nil)
	t.Log("\n" + res.Summary())
	pulumipreview.CheckProtectedFunction(t, res.Created, "lookup", pulumipreview.ExecWrapper)

	fn := res.Created.One(t, pulumipreview.FunctionType, "lookup")
	name := pulumipreview.FunctionName(t, fn)
	url := res.Created.One(t, "aws:lambda/functionUrl:FunctionUrl", "lookup")
	if url.Str(t, "functionName") != name || url.Str(t, "authorizationType") != "NONE" {
		t.Errorf("function URL %v", url.Inputs)
	}
	// A public URL needs both actions (since October 2025).
	granted := map[string]bool{}
	for _, perm := range res.Created.All("aws:lambda/permission:Permission") {
		if perm.Str(t, "principal") == "*" && perm.Str(t, "function") == name {
			granted[perm.Str(t, "action")] = true
		}
	}
	if !granted["lambda:InvokeFunctionUrl"] || !granted["lambda:InvokeFunction"] {
		t.Errorf("public URL grants %v, want InvokeFunctionUrl and InvokeFunction", granted)
	}
}
