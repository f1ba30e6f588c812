package event

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func addFixtures(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParse: Parse never panics, and accepts what it accepts consistently:
// a Request for valid JSON of a known shape, an error wrapping ErrMalformed
// otherwise.
func FuzzParse(f *testing.F) {
	addFixtures(f)
	f.Add([]byte(`{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		req, err := Parse(payload)
		if err != nil {
			if req != nil {
				t.Fatal("request returned with an error")
			}
			return
		}
		if !json.Valid(payload) {
			t.Fatalf("invalid JSON accepted: %q", payload)
		}
		for i, r := range req.Records {
			if r.Index != i {
				t.Fatalf("record %d has index %d", i, r.Index)
			}
		}
		if req.Trigger.IsHTTP() {
			if _, err := req.BlockResponse(403, "text/plain", []byte("blocked")); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzWithoutRecords: the output is valid JSON with exactly the kept
// records, each byte for byte.
func FuzzWithoutRecords(f *testing.F) {
	addFixtures(f)
	f.Fuzz(func(t *testing.T, payload []byte) {
		spans, err := sqsSpans(payload)
		if err != nil || len(spans) == 0 {
			return
		}
		drop := []int{0}
		if len(spans) > 2 {
			drop = append(drop, len(spans)-1)
		}
		out, err := WithoutRecords(payload, SQS, drop)
		if err != nil {
			t.Fatal(err)
		}
		if json.Valid(payload) && !json.Valid(out) {
			t.Fatalf("valid input %q gave invalid output %q", payload, out)
		}
		after, err := sqsSpans(out)
		if err != nil {
			t.Fatalf("output unreadable: %v: %q", err, out)
		}
		want := len(spans) - len(drop)
		if len(spans) <= 2 {
			want = len(spans) - 1
		}
		if len(after) != want {
			t.Fatalf("%d records left, want %d", len(after), want)
		}
		k := 0
		for i, sp := range spans {
			if i == 0 || (len(spans) > 2 && i == len(spans)-1) {
				continue
			}
			if string(out[after[k][0]:after[k][1]]) != string(payload[sp[0]:sp[1]]) {
				t.Fatalf("record %d changed", i)
			}
			k++
		}
	})
}

// FuzzScanV2: the one-pass reader accepts only what encoding/json accepts
// into v2Event, and reads the same values.
func FuzzScanV2(f *testing.F) {
	for _, name := range []string{"apigw-v2-post-json.json", "apigw-v2-request-iam.json", "apigw-v2-request-jwt-authorizer.json", "apigw-v2-request-lambda-authorizer.json", "apigw-v2-request-no-authorizer.json", "lambda-urls-request.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"rawPath":"/a","RAWPATH":"/b","body":null,"cookies":null,"requestContext":{"authorizer":null}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var fast v2Event
		if !scanV2(payload, &fast, nil) {
			return
		}
		var slow v2Event
		if err := json.Unmarshal(payload, &slow); err != nil {
			t.Fatalf("scanV2 accepted what encoding/json rejects (%v): %q", err, payload)
		}
		normalizeV2(&fast)
		normalizeV2(&slow)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("scanV2 and encoding/json differ on %q:\nfast %+v\nslow %+v", payload, fast, slow)
		}
	})
}

// normalizeV2 maps the representations that mean the same to fillV2 onto
// one: empty and null raw objects, empty and nil maps and slices.
func normalizeV2(ev *v2Event) {
	ev.Body, ev.rawBody = bodyText(ev.Body, ev.rawBody), nil
	if len(ev.Headers) == 0 {
		ev.Headers = nil
	}
	if len(ev.QueryStringParameters) == 0 {
		ev.QueryStringParameters = nil
	}
	if len(ev.Cookies) == 0 {
		ev.Cookies = nil
	}
	if a := ev.RequestContext.Authorizer; a != nil {
		if a.IAM != nil && len(a.IAM.CognitoIdentity.AMR) == 0 {
			a.IAM.CognitoIdentity.AMR = nil
		}
		if string(a.Lambda) == "null" {
			a.Lambda = nil
		}
		if a.JWT != nil {
			if string(a.JWT.Claims) == "null" {
				a.JWT.Claims = nil
			}
			if len(a.JWT.Scopes) == 0 {
				a.JWT.Scopes = nil
			}
		}
	}
}

// FuzzScanV1: the same guarantee for REST, WebSocket and ALB events.
func FuzzScanV1(f *testing.F) {
	for _, name := range v1Fixtures {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"path":"/a","PATH":"/b","body":null,"requestContext":{"elb":null,"identity":{"clientCert":null}}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var fast v1Event
		if !scanV1(payload, &fast, nil) {
			return
		}
		var slow v1Event
		if err := json.Unmarshal(payload, &slow); err != nil {
			t.Fatalf("scanV1 accepted what encoding/json rejects (%v): %q", err, payload)
		}
		normalizeV1(&fast)
		normalizeV1(&slow)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("scanV1 and encoding/json differ on %q:\nfast %+v\nslow %+v", payload, fast, slow)
		}
	})
}

var v1Fixtures = []string{"apigw-request.json", "apigw-restapi-openapi-request.json", "apigw-websocket-request.json",
	"apigw-websocket-request-send-message.json", "alb-lambda-target-request-headers-only.json",
	"alb-lambda-target-request-multivalue-headers.json", "alb-encoded-query-base64-body.json"}

func normalizeV1(ev *v1Event) {
	ev.Body, ev.rawBody = bodyText(ev.Body, ev.rawBody), nil
	if len(ev.MultiValueHeaders) == 0 {
		ev.MultiValueHeaders = nil
	}
	if len(ev.MultiValueQueryStringParameters) == 0 {
		ev.MultiValueQueryStringParameters = nil
	}
}

// sqsSpans returns the spans of the records of a Records-list event.
func sqsSpans(payload []byte) ([][2]int, error) {
	arrays, err := recordArrays(payload, SQS)
	if err != nil {
		return nil, err
	}
	var spans [][2]int
	for _, a := range arrays {
		spans = append(spans, a...)
	}
	return spans, nil
}

// bodyText is the body as encoding/json reads it: the one-pass reader
// may leave a long one in the payload (see v2Scan.body).
func bodyText(p *string, raw []byte) *string {
	if raw == nil {
		return p
	}
	b := string(raw)
	return &b
}
