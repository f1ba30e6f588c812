package firewall

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestBlockedRecords: blocked records of every batch trigger either reach
// the source as batch item failures (fail) or are removed and recorded
// (drop); the handler never sees them, and the others reach it intact.
func TestBlockedRecords(t *testing.T) {
	sqs := `{"Records":[{"eventSource":"aws:sqs","messageId":"m-good","body":"hello"},{"eventSource":"aws:sqs","messageId":"m-bad","body":"` + sqli + `"}]}`
	kinesis := `{"Records":[{"eventSource":"aws:kinesis","eventID":"e1","kinesis":{"sequenceNumber":"100","data":"` + b64("fine") + `"}},{"eventSource":"aws:kinesis","eventID":"e2","kinesis":{"sequenceNumber":"200","data":"` + b64(sqli) + `"}}]}`
	ddb := `{"Records":[{"eventSource":"aws:dynamodb","eventID":"e1","dynamodb":{"SequenceNumber":"300","NewImage":{"a":{"S":"ok"}}}},{"eventSource":"aws:dynamodb","eventID":"e2","dynamodb":{"SequenceNumber":"400","NewImage":{"a":{"S":"` + sqli + `"}}}}]}`
	kafka := `{"eventSource":"aws:kafka","records":{"t-0":[{"topic":"t","partition":0,"offset":1,"value":"` + b64("fine") + `"}],"t-1":[{"topic":"t","partition":1,"offset":7,"value":"` + b64(sqli) + `"}]}}`
	pipes := `[{"eventSource":"aws:sqs","messageId":"p-good","body":"hello"},{"eventSource":"aws:sqs","messageId":"p-bad","body":"` + sqli + `"}]`
	mq := `{"eventSource":"aws:mq","messages":[{"messageID":"q1","data":"` + b64("fine") + `"},{"messageID":"q2","data":"` + b64(sqli) + `"}]}`
	allBad := `{"Records":[{"eventSource":"aws:sqs","messageId":"a1","body":"` + sqli + `"},{"eventSource":"aws:sqs","messageId":"a2","body":"<script>alert(1)</script>"}]}`
	cases := []struct {
		name, config, payload string
		action                document.BlockedRecordsAction
		failed                string // the blocked record's itemIdentifier, "" for none
		block                 bool   // answered by the agent, handler not invoked
	}{
		{"sqs fails the blocked message", "", sqs, document.RecordsFail, "m-bad", false},
		{"kinesis fails by sequence number", "", kinesis, document.RecordsFail, "200", false},
		{"dynamodb fails by sequence number", "", ddb, document.RecordsFail, "400", false},
		{"kafka fails by topic-partition-offset", "", kafka, document.RecordsFail, "t-1-7", false},
		{"pipes fails by messageId", "", pipes, document.RecordsFail, "p-bad", false},
		{"amazon mq has no partial responses: drop", "", mq, document.RecordsDrop, "", false},
		{"sqs drop when configured", "blockedRecords: drop\n", sqs, document.RecordsDrop, "", false},
		{"per-trigger drop leaves others failing", "blockedRecords:\n  kinesis: drop\n", sqs, document.RecordsFail, "m-bad", false},
		{"every record blocked: the agent answers with all of them", "", allBad, document.RecordsFail, "a1,a2", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _, rec := newTestFirewall(t, c.config, Options{})
			v := inspect(t, f, []byte(c.payload))
			d := rec.ds[0]
			if d.RecordsAction != c.action {
				t.Fatalf("records action %q, want %q (decision %+v)", d.RecordsAction, c.action, d)
			}
			if v.Block != c.block {
				t.Fatalf("Block = %v, want %v", v.Block, c.block)
			}
			if c.block {
				for _, id := range strings.Split(c.failed, ",") {
					if !strings.Contains(string(v.BlockResponse), `"itemIdentifier":"`+id+`"`) {
						t.Errorf("response %s does not fail %s", v.BlockResponse, id)
					}
				}
				return
			}
			if v.Event == nil || strings.Contains(string(v.Event), b64(sqli)) || strings.Contains(string(v.Event), jsonText(sqli)) {
				t.Fatalf("handler gets %s", v.Event)
			}
			req, err := event.Parse(v.Event)
			if err != nil || len(req.Records) != 1 {
				t.Fatalf("handler's batch %s: %v", v.Event, err)
			}
			if c.failed == "" {
				if v.Response != nil {
					t.Error("a response filter for dropped records")
				}
				return
			}
			if v.Response == nil {
				t.Fatal("no response filter to report the blocked record")
			}
			for _, handler := range []string{``, `null`, `{}`, `{"batchItemFailures":[]}`, `{"batchItemFailures":[{"itemIdentifier":"other"}]}`} {
				out, err := v.Response.FilterResponse(context.Background(), []byte(handler))
				if err != nil {
					t.Fatal(err)
				}
				var resp struct {
					BatchItemFailures []struct{ ItemIdentifier string } `json:"batchItemFailures"`
				}
				if err := json.Unmarshal(out, &resp); err != nil {
					t.Fatalf("handler %q: response %s: %v", handler, out, err)
				}
				ids := []string{}
				for _, f := range resp.BatchItemFailures {
					ids = append(ids, f.ItemIdentifier)
				}
				want := c.failed
				if strings.Contains(handler, "other") {
					want = "other," + c.failed
				}
				if strings.Join(ids, ",") != want {
					t.Errorf("handler %q: failures %v, want %s", handler, ids, want)
				}
			}
		})
	}
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBlockedErrorContracts: Cognito and AppSync events are blocked with a
// function error, never with an HTTP-shaped response they would pass on.
func TestBlockedErrorContracts(t *testing.T) {
	for _, p := range []string{
		`{"version":"1","triggerSource":"PreSignUp_SignUp","userPoolId":"p","userName":"u","request":{"userAttributes":{"name":"` + sqli + `"}},"response":{}}`,
		`{"arguments":{"id":"` + sqli + `"},"info":{"fieldName":"getPost"},"request":{"headers":{}}}`,
		`[{"arguments":{"id":"` + sqli + `"},"info":{"fieldName":"getPost"}}]`,
	} {
		f, _, rec := newTestFirewall(t, "", Options{})
		v := inspect(t, f, []byte(p))
		if !v.Block || v.BlockErrorType != ErrorTypeBlocked {
			t.Errorf("%s: Block=%v errorType=%q (decision %+v)", p, v.Block, v.BlockErrorType, rec.ds[0])
		}
	}
}

// TestCanonicalEnvelopeHandedOn: the handler gets the event with each
// top-level key once, as judged.
func TestCanonicalEnvelopeHandedOn(t *testing.T) {
	p := `{"Records":[{"eventSource":"aws:sqs","messageId":"x","body":"` + sqli + `"}],"Records":[{"eventSource":"aws:sqs","messageId":"y","body":"fine"}]}`
	f, _, _ := newTestFirewall(t, "", Options{})
	v := inspect(t, f, []byte(p))
	if v.Block || v.Event == nil || strings.Count(string(v.Event), "Records") != 1 || strings.Contains(string(v.Event), "OR 1=1") {
		t.Fatalf("verdict %+v, event %s", v, v.Event)
	}
}
