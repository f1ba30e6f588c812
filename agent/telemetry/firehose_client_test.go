package telemetry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// PutRecordBatch goes out exactly as Firehose's awsJson1_1 protocol has it
// (records base64, in order) and its answer's per-record outcomes come
// back in the same order.
func TestPutRecordBatchWireFormat(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for h, want := range map[string]string{
			"Content-Type": "application/x-amz-json-1.1",
			"X-Amz-Target": "Firehose_20150804.PutRecordBatch",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if r.Method != http.MethodPost || r.URL.Path != "/" {
			t.Errorf("%s %s, want POST /", r.Method, r.URL)
		}
		if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "/eu-west-1/firehose/aws4_request") {
			t.Errorf("Authorization %q not scoped to firehose in eu-west-1", auth)
		}
		want := `{"DeliveryStreamName":"waf-records","Records":[{"Data":"eyJhIjoxfQo="},{"Data":"AP8="}]}`
		if string(body) != want {
			t.Errorf("body\n%s\nwant\n%s", body, want)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"Encrypted":false,"FailedPutCount":1,"RequestResponses":[{"RecordId":"r0"},{"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."}]}`)
	}))
	defer srv.Close()
	c := firehoseClient(t, srv.URL)
	out, err := c.PutRecordBatch(context.Background(), &PutRecordBatchInput{
		DeliveryStreamName: "waf-records",
		Records:            []FirehoseRecord{{Data: []byte("{\"a\":1}\n")}, {Data: []byte{0, 0xff}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.FailedPutCount != 1 || len(out.RequestResponses) != 2 ||
		out.RequestResponses[0].RecordID != "r0" || out.RequestResponses[0].ErrorCode != "" ||
		out.RequestResponses[1].ErrorCode != "ServiceUnavailableException" {
		t.Errorf("answer %+v", out)
	}
}

// A refused batch is a typed error the caller can act on.
func TestPutRecordBatchErrorsAreTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"__type":"ResourceNotFoundException","message":"Firehose waf-records under account 123456789012 not found."}`)
	}))
	defer srv.Close()
	_, err := firehoseClient(t, srv.URL).PutRecordBatch(context.Background(), &PutRecordBatchInput{DeliveryStreamName: "waf-records"})
	var nf *awsapi.ResourceNotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "not found") {
		t.Errorf("err = %v, want a ResourceNotFoundError", err)
	}
}
