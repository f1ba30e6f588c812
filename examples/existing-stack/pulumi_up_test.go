//go:build pulumipreview

package main

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/tools/pulumipreview"
)

// TestPulumiUp deploys the example through the real Pulumi engine against
// the stand-in AWS plugin (`make pulumi-preview`). Unlike the mocks, the
// engine runs the stack transform itself, so this is the test that the
// transform protects functions it never saw the code of.
func TestPulumiUp(t *testing.T) {
	res := pulumipreview.Run(t, program, nil)
	t.Log("\n" + res.Summary())
	for _, name := range []string{"orders", "orders-arm"} {
		pulumipreview.CheckProtectedFunction(t, res.Created, name, pulumipreview.InProcess)
		fn := res.Created.One(t, pulumipreview.FunctionType, name)
		if layers := fn.Strings("layers"); len(layers) == 0 || layers[0] != "arn:aws:lambda:eu-west-1:123456789012:layer:company-certs:3" {
			t.Errorf("%s: the user's own layer is not kept first: %v", name, layers)
		}
		if got := fn.Env()["TABLE_NAME"]; got != "orders" {
			t.Errorf("%s: the user's environment is lost: TABLE_NAME=%q", name, got)
		}
	}
}
