//go:build pulumipreview

// Package yaml holds the test of the YAML program beside it: the
// lambdawaf component reached through its provider plugin (schema and
// Construct), not the Go library.
package yaml

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/tools/pulumipreview"
)

// TestPulumiUp deploys the YAML program through the real Pulumi engine,
// its YAML language host and the lambdawaf component provider plugin,
// against the stand-in AWS plugin (`make pulumi-preview`), and asserts on
// the inputs AWS would have received.
func TestPulumiUp(t *testing.T) {
	res := pulumipreview.RunProject(t, ".", nil)
	t.Log("\n" + res.Summary())
	pulumipreview.CheckProtectedFunction(t, res.Created, "orders", pulumipreview.ExecWrapper)
	fn := res.Created.One(t, pulumipreview.FunctionType, "orders")
	if got := fn.Env()["TABLE_NAME"]; got != "orders" {
		t.Errorf("the program's environment is lost: TABLE_NAME=%q", got)
	}
	if got := fn.Str(t, "handler"); got != "index.handler" {
		t.Errorf("handler %q", got)
	}
}
