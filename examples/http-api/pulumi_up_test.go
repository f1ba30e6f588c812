//go:build pulumipreview

package main

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/tools/pulumipreview"
)

// TestPulumiUp deploys the example through the real Pulumi engine against
// the stand-in AWS plugin (`make pulumi-preview`) and asserts on the inputs
// AWS would have received.
func TestPulumiUp(t *testing.T) {
	res := pulumipreview.Run(t, program, nil)
	t.Log("\n" + res.Summary())
	pulumipreview.CheckProtectedFunction(t, res.Created, "orders", pulumipreview.InProcess)

	fn := res.Created.One(t, pulumipreview.FunctionType, "orders")
	table := res.Created.One(t, "aws:dynamodb/table:Table", "orders")
	if got := fn.Env()["LAMBDAWAF_FLEET_TABLE"]; got != pulumipreview.Name(t, table) {
		t.Errorf("LAMBDAWAF_FLEET_TABLE %q, want the shared-state table %s", got, pulumipreview.Name(t, table))
	}
	grant := res.Created.One(t, pulumipreview.RolePolicyType, "orders-fleet-lambdawaf-shared-state")
	doc := grant.Str(t, "policy")
	if !pulumipreview.GrantsOnlyOn(t, doc, pulumipreview.Arn(t, table)) || !strings.Contains(doc, `"orders#*"`) {
		t.Errorf("shared-state grant %s: want the table's ARN only, with the group's LeadingKeys", doc)
	}
	integ := res.Created.One(t, "aws:apigatewayv2/integration:Integration", "orders")
	if got := integ.Str(t, "integrationUri"); got != pulumipreview.Arn(t, fn) {
		t.Errorf("integration targets %s, want the protected function %s", got, pulumipreview.Arn(t, fn))
	}
	if n := len(res.Created.All("aws:apigatewayv2/route:Route")); n != 4 {
		t.Errorf("%d routes, want 4", n)
	}
	perm := res.Created.One(t, "aws:lambda/permission:Permission", "orders-invoke")
	if perm.Str(t, "function") != pulumipreview.FunctionName(t, fn) || perm.Str(t, "principal") != "apigateway.amazonaws.com" {
		t.Errorf("invoke permission %v", perm.Inputs)
	}
}
