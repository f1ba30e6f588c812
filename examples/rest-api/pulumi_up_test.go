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
	pulumipreview.CheckProtectedFunction(t, res.Created, "orders", pulumipreview.ExecWrapper)

	fn := res.Created.One(t, pulumipreview.FunctionType, "orders")
	for _, name := range []string{"orders-any", "order-any"} {
		integ := res.Created.One(t, "aws:apigateway/integration:Integration", name)
		if got := integ.Str(t, "uri"); got != pulumipreview.Output(t, fn, "invokeArn") {
			t.Errorf("integration %s targets %s, want the protected function's invoke ARN", name, got)
		}
	}
	perm := res.Created.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "function") != pulumipreview.FunctionName(t, fn) {
		t.Errorf("invoke permission for %s", perm.Str(t, "function"))
	}
}
