package decode

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestWalkFixtures parses the event fixtures of every trigger and checks
// that values land where detectors and policy expect them.
func TestWalkFixtures(t *testing.T) {
	tests := []struct {
		file      string
		loc, text string
		part      event.Part
		record    int
	}{
		{"apigw-v2-post-json.json", "body.items[1].sku", "BK-2002", event.PartBody, -1},
		{"apigw-v2-post-json.json", "query.ref", "mail campaign", event.PartQuery, -1},
		{"apigw-v2-post-json.json", "cookie.theme", "dark", event.PartCookie, -1},
		{"apigw-request.json", "query.name", "me", event.PartQuery, -1},
		{"apigw-websocket-request-send-message.json", "body.a", "a", event.PartBody, -1},
		{"alb-encoded-query-base64-body.json", "query.query", "1234ABCD' OR 1=1", event.PartQuery, -1},
		{"alb-encoded-query-base64-body.json", "body.pass", "s ecret", event.PartBody, -1},
		{"alb-encoded-query-base64-body.json", "cookie.session", "xyz", event.PartCookie, -1},
		{"vpc-lattice-v1.json", "body.user", "alice", event.PartBody, -1},
		{"vpc-lattice-v1.json", "query.name", "o'brien", event.PartQuery, -1},
		{"vpc-lattice-v2.json", "query.key", "other", event.PartQuery, -1},
		{"lambda-urls-request.json", "body", "Hello from client!", event.PartBody, -1},
		{"sqs-batch.json", "records[1].body.order.sku", "' OR 1=1 --", event.PartRecord, 1},
		{"sqs-batch.json", "records[1].messageAttributes.tenant", "acme", event.PartRecord, 1},
		{"sqs-batch.json", "records[2].body", "plain text", event.PartRecord, 2},
		{"sns-event.json", "records[0].subject", "TestInvoke", event.PartRecord, 0},
		{"s3-plus-key.json", "records[0].body", "uploads/my report (2024).pdf", event.PartRecord, 0},
		{"kinesis-event.json", "records[1].body", "Hello World", event.PartRecord, 1},
		{"dynamodb-event.json", "records[0].body.val.S", "data", event.PartRecord, 0},
		{"dynamodb-event.json", "records[0].keys.key.S", "binary", event.PartRecord, 0},
		{"eventbridge.json", "records[0].body.state", "terminated", event.PartRecord, 0},
		{"eventbridge.json", "records[0].source", "aws.ec2", event.PartRecord, 0},
	}
	d := New(Limits{})
	for _, tt := range tests {
		payload, err := os.ReadFile(filepath.Join("..", "event", "testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		req, err := event.Parse(payload)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		vals, de := walk(t, d, req)
		if de != nil {
			t.Errorf("%s: issues %v", tt.file, de)
		}
		v := find(t, vals, tt.loc, tt.text)
		if v.Part != tt.part || v.Record != tt.record {
			t.Errorf("%s %s: part %s record %d, want %s %d", tt.file, tt.loc, v.Part, v.Record, tt.part, tt.record)
		}
	}
}
