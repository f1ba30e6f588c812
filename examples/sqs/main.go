// Command sqs deploys an order-queue consumer: an SQS queue with a
// dead-letter queue, the protected Go function as its consumer with partial
// batch responses. lambdawaf drops malicious messages from each batch
// before the handler sees them.
package main

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/lambdawaf/lambdawaf/examples/internal/stack"
	"github.com/lambdawaf/lambdawaf/provider/lambdawaf"
)

func main() { pulumi.Run(program) }

func program(ctx *pulumi.Context) error {
	dlq, err := sqs.NewQueue(ctx, "orders-dlq", &sqs.QueueArgs{
		MessageRetentionSeconds: pulumi.Int(14 * 24 * 3600),
	})
	if err != nil {
		return fmt.Errorf("dead-letter queue: %w", err)
	}
	queue, err := sqs.NewQueue(ctx, "orders", &sqs.QueueArgs{
		VisibilityTimeoutSeconds: pulumi.Int(60),
		RedrivePolicy: dlq.Arn.ApplyT(func(arn string) (string, error) {
			b, err := json.Marshal(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": 5})
			return string(b), err
		}).(pulumi.StringOutput),
	})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	waf, err := stack.Waf(ctx, lambdawaf.ModeBlock)
	if err != nil {
		return err
	}
	fn, err := lambdawaf.NewProtectedFunction(ctx, "consumer", &lambdawaf.ProtectedFunctionArgs{
		Function: lambda.FunctionArgs{
			Runtime:       pulumi.String("provided.al2023"),
			Handler:       pulumi.String("bootstrap"),
			Architectures: pulumi.StringArray{pulumi.String(lambdawaf.ArchArm64)},
			Code:          stack.GoHandler(lambdawaf.ArchArm64),
			MemorySize:    pulumi.Int(256),
			Timeout:       pulumi.Int(30),
		},
		Waf: waf,
		// The consumer's own permissions: read and delete from its queue only.
		Policy: queue.Arn.ApplyT(func(arn string) (string, error) {
			return queuePolicy(arn)
		}).(pulumi.StringOutput),
	})
	if err != nil {
		return err
	}
	if _, err := lambda.NewEventSourceMapping(ctx, "orders", &lambda.EventSourceMappingArgs{
		EventSourceArn:        queue.Arn,
		FunctionName:          fn.FunctionName,
		BatchSize:             pulumi.Int(10),
		FunctionResponseTypes: pulumi.StringArray{pulumi.String("ReportBatchItemFailures")},
	}); err != nil {
		return fmt.Errorf("event source mapping: %w", err)
	}
	ctx.Export("queueUrl", queue.Url)
	ctx.Export("functionName", fn.FunctionName)
	return nil
}

// queuePolicy lets the consumer receive and delete messages of one queue.
func queuePolicy(queueArn string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":   "Allow",
			"Action":   []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"},
			"Resource": queueArn,
		}},
	})
	return string(b), err
}
