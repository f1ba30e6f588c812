package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestBlockResponse(t *testing.T) {
	page := []byte("<h1>Request blocked</h1>")
	tests := []struct {
		trigger    Trigger
		multiValue bool
		wantDesc   string
	}{
		{APIGatewayREST, false, ""},
		{APIGatewayHTTP, false, ""},
		{FunctionURL, false, ""},
		{APIGatewayWS, false, ""},
		{ALB, false, "403 Forbidden"},
		{ALB, true, "403 Forbidden"},
		{VPCLatticeV1, false, "403 Forbidden"},
		{VPCLatticeV2, false, "403 Forbidden"},
	}
	for _, tt := range tests {
		req := &Request{Trigger: tt.trigger, MultiValueHeaders: tt.multiValue}
		out, err := req.BlockResponse(403, "text/html; charset=utf-8", page)
		if err != nil {
			t.Fatalf("%s: %v", tt.trigger, err)
		}
		var got struct {
			StatusCode        int                 `json:"statusCode"`
			StatusDescription string              `json:"statusDescription"`
			Headers           map[string]string   `json:"headers"`
			MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			Body              string              `json:"body"`
			IsBase64Encoded   bool                `json:"isBase64Encoded"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v", tt.trigger, err)
		}
		if got.StatusCode != 403 || got.Body != string(page) || got.IsBase64Encoded || got.StatusDescription != tt.wantDesc {
			t.Errorf("%s: %s", tt.trigger, out)
		}
		ct := got.Headers["Content-Type"]
		if tt.multiValue {
			if got.Headers != nil || len(got.MultiValueHeaders["Content-Type"]) != 1 {
				t.Errorf("%s multi-value: %s", tt.trigger, out)
			}
			ct = got.MultiValueHeaders["Content-Type"][0]
		}
		if ct != "text/html; charset=utf-8" {
			t.Errorf("%s: content type %q", tt.trigger, ct)
		}
	}
	// the v2 shape must be what aws-lambda-go's own type reads
	out, _ := BlockResponse(APIGatewayHTTP, 429, "", []byte("slow down"))
	var v2 events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &v2); err != nil || v2.StatusCode != 429 || v2.Body != "slow down" || v2.Headers["Cache-Control"] != "no-store" {
		t.Errorf("v2 response %s: %v", out, err)
	}
	var alb events.ALBTargetGroupResponse
	out, _ = BlockResponse(ALB, 403, "", nil)
	if err := json.Unmarshal(out, &alb); err != nil || alb.StatusDescription != "403 Forbidden" {
		t.Errorf("alb response %s: %v", out, err)
	}
}

func TestBlockResponseBinaryAndErrors(t *testing.T) {
	out, err := BlockResponse(APIGatewayREST, 403, "application/octet-stream", []byte{0xff, 0xfe, 0x00})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"isBase64Encoded":true`)) || !bytes.Contains(out, []byte(`"body":"//4A"`)) {
		t.Errorf("binary body not base64: %s", out)
	}
	if _, err := BlockResponse(SQS, 403, "", nil); !errors.Is(err, ErrNotHTTP) {
		t.Errorf("SQS: %v", err)
	}
	if _, err := BlockResponse(Unknown, 403, "", nil); !errors.Is(err, ErrNotHTTP) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := BlockResponse(ALB, 1000, "", nil); err == nil {
		t.Error("status 1000 accepted")
	}
}

func TestWithoutRecords(t *testing.T) {
	payload := readFixture(t, "sqs-batch.json")
	req, err := Parse(payload)
	if err != nil {
		t.Fatal(err)
	}
	spans, err := sqsSpans(payload)
	if err != nil || len(spans) != 3 {
		t.Fatalf("spans %v: %v", spans, err)
	}
	out, err := WithoutRecords(payload, req.Trigger, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("invalid JSON: %s", out)
	}
	after, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Records) != 2 || after.Records[0].ID != req.Records[0].ID || after.Records[1].ID != req.Records[2].ID {
		t.Fatalf("records after removal: %+v", after.Records)
	}
	// the kept records are byte-for-byte the originals
	for _, i := range []int{0, 2} {
		rec := payload[spans[i][0]:spans[i][1]]
		if !bytes.Contains(out, rec) {
			t.Errorf("record %d bytes changed", i)
		}
	}
	if bytes.Contains(out, payload[spans[1][0]:spans[1][1]]) {
		t.Error("dropped record still present")
	}
	// everything before and after the array is intact
	if !bytes.HasPrefix(out, payload[:spans[0][0]]) || !bytes.HasSuffix(out, payload[spans[2][1]:]) {
		t.Error("bytes outside the records changed")
	}

	all, err := WithoutRecords(payload, SQS, []int{0, 1, 2, 1})
	if err != nil {
		t.Fatal(err)
	}
	var empty events.SQSEvent
	if err := json.Unmarshal(all, &empty); err != nil || len(empty.Records) != 0 {
		t.Errorf("all dropped: %s %v", all, err)
	}
	none, err := WithoutRecords(payload, SQS, nil)
	if err != nil || !json.Valid(none) {
		t.Fatalf("none dropped: %v", err)
	}
	if r, _ := Parse(none); len(r.Records) != 3 {
		t.Error("dropping nothing lost records")
	}
}

func TestWithoutRecordsErrors(t *testing.T) {
	payload := readFixture(t, "sqs-batch.json")
	if _, err := WithoutRecords(payload, SQS, []int{3}); err == nil {
		t.Error("out-of-range index accepted")
	}
	if _, err := WithoutRecords(payload, SQS, []int{-1}); err == nil {
		t.Error("negative index accepted")
	}
	if _, err := WithoutRecords(payload, APIGatewayHTTP, []int{0}); !errors.Is(err, ErrNotHTTP) {
		t.Errorf("HTTP trigger: %v", err)
	}
	if _, err := WithoutRecords([]byte(`{"Records":[{}]`), SQS, []int{0}); err == nil {
		t.Error("truncated payload accepted")
	}
	if _, err := WithoutRecords([]byte(`{"records":[{}]}`), SQS, []int{0}); err == nil {
		t.Error("payload without Records accepted")
	}
	// scalar records (not sent by AWS, but must not corrupt the output)
	out, err := WithoutRecords([]byte(`{"Records":["a",1,{"b":[2]},null]}`), SQS, []int{1, 3})
	if err != nil || string(out) != `{"Records":["a",{"b":[2]}]}` {
		t.Errorf("scalars: %s %v", out, err)
	}
}

func TestWithoutRecordsEveryBatchTrigger(t *testing.T) {
	for _, f := range []string{"sqs-event.json", "sns-event.json", "s3-plus-key.json", "kinesis-event.json", "dynamodb-event.json"} {
		payload := readFixture(t, f)
		req, err := Parse(payload)
		if err != nil {
			t.Fatal(err)
		}
		out, err := WithoutRecords(payload, req.Trigger, []int{0})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		after, err := Parse(out)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(after.Records) != len(req.Records)-1 {
			t.Errorf("%s: %d records after dropping one of %d", f, len(after.Records), len(req.Records))
		}
	}
}
