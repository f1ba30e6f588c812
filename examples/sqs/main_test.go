package main

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/provider/lambdawaftest"
)

func TestProgram(t *testing.T) {
	cloud := lambdawaftest.MustRun(t, program)

	fn := cloud.One(t, "aws:lambda/function:Function", "consumer")
	if agent := lambdawaftest.AgentLayerArn(t, cloud, "arm64"); !slices.Contains(fn.Strings("layers"), agent) {
		t.Errorf("layers %v lack the arm64 agent layer %s", fn.Strings("layers"), agent)
	}
	queueArn := "arn:aws:sqs:eu-west-1:123456789012:orders-1a2b3c4"
	esm := cloud.One(t, "aws:lambda/eventSourceMapping:EventSourceMapping", "orders")
	if esm.Str(t, "eventSourceArn") != queueArn || esm.Str(t, "functionName") != fn.Str(t, "name") {
		t.Errorf("event source mapping %v", esm.Inputs)
	}
	if !slices.Equal(esm.Strings("functionResponseTypes"), []string{"ReportBatchItemFailures"}) {
		t.Errorf("partial batch responses not enabled: %v", esm.Strings("functionResponseTypes"))
	}
	var redrive map[string]any
	cloud.One(t, "aws:sqs/queue:Queue", "orders").JSON(t, "redrivePolicy", &redrive)
	if redrive["deadLetterTargetArn"] != "arn:aws:sqs:eu-west-1:123456789012:orders-dlq-1a2b3c4" {
		t.Errorf("redrive policy %v", redrive)
	}
	// The consumer's role may read its queue, and only its queue.
	found := false
	for _, p := range cloud.All("aws:iam/rolePolicy:RolePolicy") {
		var doc struct {
			Statement []struct {
				Action   any
				Resource any
			}
		}
		if err := json.Unmarshal([]byte(p.Str(t, "policy")), &doc); err != nil {
			t.Fatalf("policy %s: %v", p.Name, err)
		}
		for _, st := range doc.Statement {
			if b, _ := json.Marshal(st.Action); slices.Contains([]string{`["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","sqs:ChangeMessageVisibility"]`}, string(b)) {
				found = true
				if st.Resource != queueArn {
					t.Errorf("queue permissions on %v, want %s", st.Resource, queueArn)
				}
			}
		}
	}
	if !found {
		t.Errorf("no role policy lets the consumer read the queue; policies %v", cloud.Names("aws:iam/rolePolicy:RolePolicy"))
	}
}
