package policy

import (
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func TestTriggerSettings(t *testing.T) {
	cases := []struct {
		name, doc string
		unknown   document.UnknownTrigger
		records   map[event.Trigger]document.BlockedRecordsAction
	}{
		{"defaults: inspect unknown events, fail where partial batch responses exist", "mode: block\n", document.UnknownInspect,
			map[event.Trigger]document.BlockedRecordsAction{event.SQS: document.RecordsFail, event.Kinesis: document.RecordsFail, event.DynamoDBStreams: document.RecordsFail,
				event.Kafka: document.RecordsFail, event.Pipes: document.RecordsFail, event.SNS: document.RecordsDrop, event.S3: document.RecordsDrop, event.AmazonMQ: document.RecordsDrop}},
		{"allow unknown, drop everywhere", "unknownTrigger: allow\nblockedRecords: drop\n", document.UnknownAllow,
			map[event.Trigger]document.BlockedRecordsAction{event.SQS: document.RecordsDrop, event.Kafka: document.RecordsDrop}},
		{"per trigger, the rest default", "unknownTrigger: block\nblockedRecords:\n  sqs: drop\n  sns: fail\n", document.UnknownBlock,
			map[event.Trigger]document.BlockedRecordsAction{event.SQS: document.RecordsDrop, event.Kinesis: document.RecordsFail, event.SNS: document.RecordsDrop}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse([]byte(c.doc), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if p.UnknownTrigger() != c.unknown {
				t.Errorf("unknownTrigger %s, want %s", p.UnknownTrigger(), c.unknown)
			}
			for tr, want := range c.records {
				if got := p.BlockedRecords(tr); got != want {
					t.Errorf("blockedRecords for %s: %s, want %s", tr, got, want)
				}
			}
		})
	}
}

func TestTriggerSettingsRejected(t *testing.T) {
	cases := []struct{ doc, want string }{
		{"unknownTrigger: ignore\n", "unknownTrigger"},
		{"blockedRecords: retry\n", "blockedRecords"},
		{"blockedRecords:\n  apigateway-http: drop\n", "apigateway-http"},
		{"blockedRecords:\n  sqs: keep\n", "sqs"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.doc), "bad.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.doc, err, c.want)
		}
	}
}
