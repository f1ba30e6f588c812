package event

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestScanV2MatchesEncodingJSON: on every v2-shaped fixture the one-pass
// reader is used (no fallback) and reads what encoding/json reads.
func TestScanV2MatchesEncodingJSON(t *testing.T) {
	for _, name := range []string{"apigw-v2-post-json.json", "apigw-v2-request-iam.json", "apigw-v2-request-jwt-authorizer.json",
		"apigw-v2-request-lambda-authorizer.json", "apigw-v2-request-no-authorizer.json", "lambda-urls-request.json"} {
		payload := readFixture(t, name)
		var fast, slow v2Event
		if !scanV2(payload, &fast, nil) {
			t.Errorf("%s: one-pass reader fell back", name)
			continue
		}
		if err := json.Unmarshal(payload, &slow); err != nil {
			t.Fatal(err)
		}
		normalizeV2(&fast)
		normalizeV2(&slow)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: differs:\nfast %+v\nslow %+v", name, fast, slow)
		}
	}
	// fallbacks: case-folded and escaped keys go to encoding/json
	for _, p := range []string{`{"RAWPATH":"/x"}`, `{"raw\u0050ath":"/x"}`, `{"requestContext":{"HTTP":{}}}`, `{"rawPath":1}`} {
		var ev v2Event
		if scanV2([]byte(p), &ev, nil) {
			t.Errorf("%s: read without fallback", p)
		}
	}
}

func TestScanV1MatchesEncodingJSON(t *testing.T) {
	for _, name := range v1Fixtures {
		payload := readFixture(t, name)
		var fast, slow v1Event
		if !scanV1(payload, &fast, nil) {
			t.Errorf("%s: one-pass reader fell back", name)
			continue
		}
		if err := json.Unmarshal(payload, &slow); err != nil {
			t.Fatal(err)
		}
		normalizeV1(&fast)
		normalizeV1(&slow)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: differs:\nfast %+v\nslow %+v", name, fast, slow)
		}
	}
}

// TestScanMatchesEncodingJSONOnLargePayloads: past shareCopyMax, where
// every key and string is copied alone, the one-pass readers still read
// what encoding/json reads, with bodies plain and escaped, keys and
// strings short and long, and each fixture grown by a long body.
func TestScanMatchesEncodingJSONOnLargePayloads(t *testing.T) {
	grow := func(payload []byte, body string) []byte {
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			t.Fatal(err)
		}
		m["body"] = body
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bodies := []string{strings.Repeat("<a", shareCopyMax), strings.Repeat(`{"a":"x\ny"}`, shareCopyMax/8), strings.Repeat("é✓", shareCopyMax/4)}
	checked := 0
	for _, body := range bodies {
		for _, name := range []string{"apigw-v2-post-json.json", "apigw-v2-request-jwt-authorizer.json", "lambda-urls-request.json"} {
			payload := grow(readFixture(t, name), body)
			var fast, slow v2Event
			if !scanV2(payload, &fast, nil) {
				t.Fatalf("%s: one-pass reader fell back", name)
			}
			if err := json.Unmarshal(payload, &slow); err != nil {
				t.Fatal(err)
			}
			normalizeV2(&fast)
			normalizeV2(&slow)
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s with a long body: differs", name)
			}
			// the strings read do not alias the payload (raw JSON
			// objects, such as an authorizer's, and a long body left for
			// bodyOf are views of it by design), nor does the body Parse
			// returns, plain or base64-decoded
			for _, b64 := range []bool{false, true} {
				p := grow(readFixture(t, name), body)
				if b64 {
					var m map[string]any
					if err := json.Unmarshal(p, &m); err != nil {
						t.Fatal(err)
					}
					m["body"], m["isBase64Encoded"] = base64.StdEncoding.EncodeToString([]byte(body)), true
					var err error
					if p, err = json.Marshal(m); err != nil {
						t.Fatal(err)
					}
				}
				req, err := Parse(p)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if string(req.Body) != body {
					t.Fatalf("%s (base64 %v): Parse read another body", name, b64)
				}
				for i := range p {
					p[i] = 'X'
				}
				if string(req.Body) != body {
					t.Fatalf("%s (base64 %v): the body Parse returned changes with the payload", name, b64)
				}
			}
			for i := range payload {
				payload[i] = 'X'
			}
			got := []any{fast.Version, fast.RouteKey, fast.RawPath, fast.RawQueryString, fast.Cookies, *fast.Body, fast.Headers, fast.RequestContext.DomainName, fast.RequestContext.HTTP}
			want := []any{slow.Version, slow.RouteKey, slow.RawPath, slow.RawQueryString, slow.Cookies, *slow.Body, slow.Headers, slow.RequestContext.DomainName, slow.RequestContext.HTTP}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s with a long body: strings change with the payload", name)
			}
			checked++
		}
		for _, name := range v1Fixtures {
			payload := grow(readFixture(t, name), body)
			var fast, slow v1Event
			if !scanV1(payload, &fast, nil) {
				t.Fatalf("%s: one-pass reader fell back", name)
			}
			if err := json.Unmarshal(payload, &slow); err != nil {
				t.Fatal(err)
			}
			normalizeV1(&fast)
			normalizeV1(&slow)
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s with a long body: differs", name)
			}
			checked++
		}
	}
	if checked < 9 {
		t.Errorf("only %d payloads checked", checked)
	}
}
