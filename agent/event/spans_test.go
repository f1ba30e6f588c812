package event

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParseSharingSpansMatchesParseAlone holds Parse, whose scanners
// share where the long strings of the payload end, to the same parse
// with every scanner on its own: on the fixtures, and on HTTP API,
// REST and ALB events with long bodies (JSON, multipart, base64), a
// repeated key (the canonical rewrite scans other bytes), keys that
// differ only in case, and a long key.
func TestParseSharingSpansMatchesParseAlone(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("fixtures: %d files, %v", len(files), err)
	}
	var payloads [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, b)
	}
	bodies := []string{
		strings.Repeat(`{"a":"<a<a","b":[1,"x\ny"]}`, 2000),
		strings.Repeat("--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n<a<a\r\n", 1000) + "--B--\r\n",
		strings.Repeat("PHN2Zz4=", 3000),
		strings.Repeat("q=%27%22&", 2000),
	}
	for _, body := range bodies {
		v2 := map[string]any{
			"version": "2.0", "routeKey": "POST /x", "rawPath": "/x", "rawQueryString": "a=" + body[:100],
			"headers":        map[string]string{"content-type": "application/json", "x-long": body[:5000]},
			"requestContext": map[string]any{"http": map[string]string{"method": "POST", "path": "/x", "sourceIp": "1.2.3.4"}},
			"body":           body, "isBase64Encoded": false,
		}
		v1 := map[string]any{
			"resource": "/x", "path": "/x", "httpMethod": "POST", "headers": map[string]string{"Content-Type": "text/plain"},
			"requestContext": map[string]any{"identity": map[string]string{"sourceIp": "1.2.3.4"}},
			"body":           body,
		}
		alb := map[string]any{
			"httpMethod": "POST", "path": "/x", "headers": map[string]string{"x-forwarded-for": "1.2.3.4"},
			"requestContext": map[string]any{"elb": map[string]string{"targetGroupArn": "arn:x"}},
			"body":           body,
		}
		for _, ev := range []map[string]any{v2, v1, alb} {
			b, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			payloads = append(payloads, b,
				[]byte(strings.Replace(s, `{`, `{"body":"`+strings.Repeat("z", 5000)+`",`, 1)),    // a repeated key
				[]byte(strings.Replace(s, `{`, `{"Body":"`+strings.Repeat("\\\"", 3000)+`",`, 1)), // keys differing in case
				[]byte(strings.Replace(s, `{`, `{"`+strings.Repeat("k", 5000)+`":1,`, 1)),         // a long key
				b[:len(b)-1], // malformed
			)
		}
	}
	for _, p := range payloads {
		want, wantErr := parse(p, nil)
		got, gotErr := Parse(p)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("Parse(%.80q) error %v, alone %v", p, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%.80q) = %+v, alone %+v", p, got, want)
		}
	}
}
