// Command handler consumes an order queue: each SQS message is an order to
// place. It reports failed messages with partial batch responses, so SQS
// retries only those. lambdawaf removes malicious messages from the batch
// before the handler sees them (and logs them), so they are neither
// processed nor retried.
package main

import (
	"context"
	"encoding/json"
	"log"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
	"github.com/lambdawaf/lambdawaf/examples/internal/orders"
)

func main() {
	store := orders.NewStore()
	redirect.Start(func(ctx context.Context, e events.SQSEvent) (events.SQSEventResponse, error) {
		return consume(store, e), nil
	})
}

func consume(store *orders.Store, e events.SQSEvent) events.SQSEventResponse {
	var resp events.SQSEventResponse
	for _, m := range e.Records {
		var o orders.Order
		if err := json.Unmarshal([]byte(m.Body), &o); err != nil {
			log.Printf("message %s: not an order: %v", m.MessageId, err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		placed, err := store.Create(o)
		if err != nil {
			log.Printf("message %s: %v", m.MessageId, err)
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		log.Printf("message %s: placed %s for %d items", m.MessageId, placed.ID, len(placed.Items))
	}
	return resp
}
