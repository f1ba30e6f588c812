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
	res := pulumipreview.Run(t, program, nil)
	t.Log("\n" + res.Summary())
	pulumipreview.CheckProtectedFunction(t, res.Created, "consumer", pulumipreview.InProcess)

	queue := res.Created.One(t, "aws:sqs/queue:Queue", "orders")
	mapping := res.Created.One(t, "aws:lambda/eventSourceMapping:EventSourceMapping", "orders")
	if got := mapping.Strings("functionResponseTypes"); !slices.Equal(got, []string{"ReportBatchItemFailures"}) {
		t.Errorf("event source mapping response types %v: without ReportBatchItemFailures one dropped record fails the whole batch", got)
	}
	if got := mapping.Str(t, "eventSourceArn"); got != pulumipreview.Arn(t, queue) {
		t.Errorf("mapping reads %s, not the orders queue %s", got, pulumipreview.Arn(t, queue))
	}
	if got, want := mapping.Str(t, "functionName"), pulumipreview.FunctionName(t, res.Created.One(t, pulumipreview.FunctionType, "consumer")); got != want {
		t.Errorf("mapping invokes %s, want the protected function %s", got, want)
	}
	// The consumer's own grant reaches the role with the queue's ARN
	// resolved: receive and delete on this queue only.
	consumer := res.Created.One(t, pulumipreview.RolePolicyType, "consumer-function")
	if doc := consumer.Str(t, "policy"); !pulumipreview.GrantsOnlyOn(t, doc, pulumipreview.Arn(t, queue)) {
		t.Errorf("consumer policy %s grants beyond the queue", doc)
	}
}
