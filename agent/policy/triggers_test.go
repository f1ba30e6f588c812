package policy

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func TestTriggerSettings(t *testing.T) {
	cases := []struct {
		name, doc string
		unknown   UnknownTrigger
		records   map[event.Trigger]BlockedRecordsAction
	}{
		{"defaults: inspect unknown events, fail where partial batch responses exist", "mode: block\n", UnknownInspect,
			map[event.Trigger]BlockedRecordsAction{event.SQS: RecordsFail, event.Kinesis: RecordsFail, event.DynamoDBStreams: RecordsFail,
				event.Kafka: RecordsFail, event.Pipes: RecordsFail, event.SNS: RecordsDrop, event.S3: RecordsDrop, event.AmazonMQ: RecordsDrop}},
		{"allow unknown, drop everywhere", "unknownTrigger: allow\nblockedRecords: drop\n", UnknownAllow,
			map[event.Trigger]BlockedRecordsAction{event.SQS: RecordsDrop, event.Kafka: RecordsDrop}},
		{"per trigger, the rest default", "unknownTrigger: block\nblockedRecords:\n  sqs: drop\n  sns: fail\n", UnknownBlock,
			map[event.Trigger]BlockedRecordsAction{event.SQS: RecordsDrop, event.Kinesis: RecordsFail, event.SNS: RecordsDrop}},
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
