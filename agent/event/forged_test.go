package event

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
)

// judged returns every text of req that decode walks: the request line,
// parameters, headers, cookies, body, records and fields.
func judged(req *Request) []string {
	out := []string{req.Path, req.RawQuery, string(req.Body)}
	for _, m := range []map[string][]string{req.Query, req.Headers, req.Cookies} {
		for k, vs := range m {
			out = append(out, k)
			out = append(out, vs...)
		}
	}
	for _, r := range req.Records {
		out = append(out, string(r.Body))
		for k, v := range r.Attributes {
			out = append(out, k, v)
		}
	}
	for _, f := range req.Fields {
		out = append(out, f.Text)
	}
	return out
}

func holds(texts []string, marker string) bool {
	for _, s := range texts {
		if strings.Contains(s, marker) {
			return true
		}
	}
	return false
}

const marker = "MARKERx0x"

// TestForgedFieldsAreJudged: a value a forged event carries in only one of
// the representations handlers read is among the values judged.
func TestForgedFieldsAreJudged(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(`{"q":"` + marker + `"}`))
	cases := []struct{ name, payload string }{
		{"v2 queryStringParameters without rawQueryString", `{"version":"2.0","rawPath":"/","rawQueryString":"a=1","queryStringParameters":{"a":"1","id":"` + marker + `"},"requestContext":{"http":{"method":"GET"}}}`},
		{"v2 queryStringParameters value differs from rawQueryString", `{"version":"2.0","rawPath":"/","rawQueryString":"id=1","queryStringParameters":{"id":"` + marker + `"},"requestContext":{"http":{"method":"GET"}}}`},
		{"v2 cookie header beside cookies[]", `{"version":"2.0","rawPath":"/","cookies":["a=1"],"headers":{"cookie":"s=` + marker + `"},"requestContext":{"http":{"method":"GET"}}}`},
		{"v2 pathParameters", `{"version":"2.0","rawPath":"/x","pathParameters":{"id":"` + marker + `"},"requestContext":{"http":{"method":"GET"}}}`},
		{"v2 jwt claims", `{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"},"authorizer":{"jwt":{"claims":{"name":"` + marker + `"}}}}}`},
		{"v2 lambda authorizer context, nested", `{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"GET"},"authorizer":{"lambda":{"a":{"b":"` + marker + `"}}}}}`},
		{"v2 authorization header (decode reads its credential and JWT)", `{"version":"2.0","rawPath":"/","headers":{"authorization":"Bearer ` + marker + `"},"requestContext":{"http":{"method":"GET"}}}`},
		{"v1 single-value header absent from multiValueHeaders", `{"httpMethod":"GET","path":"/","headers":{"x-a":"` + marker + `"},"multiValueHeaders":{"x-b":["1"]},"requestContext":{"resourcePath":"/"}}`},
		{"v1 single-value query absent from multiValue", `{"httpMethod":"GET","path":"/","queryStringParameters":{"id":"` + marker + `"},"multiValueQueryStringParameters":{"id":["1"]},"requestContext":{"resourcePath":"/"}}`},
		{"v1 pathParameters", `{"httpMethod":"GET","path":"/","pathParameters":{"id":"` + marker + `"},"requestContext":{"resourcePath":"/"}}`},
		{"v1 identity userAgent unlike the header", `{"httpMethod":"GET","path":"/","headers":{"User-Agent":"ua"},"requestContext":{"resourcePath":"/","identity":{"userAgent":"` + marker + `"}}}`},
		{"v2 context path unlike rawPath", `{"version":"2.0","rawPath":"/x","requestContext":{"http":{"method":"GET","path":"/` + marker + `"}}}`},
		{"v2 context userAgent unlike the header", `{"version":"2.0","rawPath":"/x","headers":{"user-agent":"ua"},"requestContext":{"http":{"method":"GET","userAgent":"` + marker + `"}}}`},
		{"v1 cognito claims", `{"httpMethod":"GET","path":"/","requestContext":{"resourcePath":"/","authorizer":{"claims":{"email":"` + marker + `"}}}}`},
		{"v1 authorizer context past the claim cap", `{"httpMethod":"GET","path":"/","requestContext":{"resourcePath":"/","authorizer":{` + strings.Repeat(`"k":"v",`, 1) + manyClaims(300) + `"z":"` + marker + `"}}}`},
		{"alb single header beside multiValueHeaders", `{"httpMethod":"GET","path":"/","headers":{"x-a":"` + marker + `"},"multiValueHeaders":{"x-b":["1"]},"requestContext":{"elb":{"targetGroupArn":"a"}}}`},
		{"sqs body under a case variant of its key", `{"Records":[{"eventSource":"aws:sqs","messageId":"1","body":"` + marker + `","Body":"benign"}]}`},
		{"v2 rawQueryString under a case variant", `{"version":"2.0","rawPath":"/","rawQueryString":"` + marker + `","RawQueryString":"a=1","requestContext":{"http":{"method":"GET"}}}`},
		{"unknown event, deep leaf", `{"weird":{"list":[{"x":"` + marker + `"}]}}`},
		{"unknown event, key", `{"weird":{"` + marker + `":1}}`},
		{"pipes sqs record body", `[{"eventSource":"aws:sqs","messageId":"m1","body":"` + marker + `"}]`},
		{"pipes kinesis data base64", `[{"eventSource":"aws:kinesis","sequenceNumber":"1","data":"` + b64 + `"}]`},
		{"pipes unknown record shape", `[{"anything":{"deep":"` + marker + `"}}]`},
		{"kafka value base64", `{"eventSource":"aws:kafka","records":{"t-0":[{"topic":"t","partition":0,"offset":5,"value":"` + b64 + `"}]}}`},
		{"kafka header bytes", `{"eventSource":"SelfManagedKafka","records":{"t-0":[{"topic":"t","partition":0,"offset":5,"value":"","headers":[{"h":` + byteArray(marker) + `}]}]}}`},
		{"kafka key base64", `{"eventSource":"aws:kafka","records":{"t-0":[{"topic":"t","partition":0,"offset":5,"key":"` + base64.StdEncoding.EncodeToString([]byte(marker)) + `"}]}}`},
		{"activemq data", `{"eventSource":"aws:mq","messages":[{"messageID":"1","data":"` + b64 + `"}]}`},
		{"activemq properties", `{"eventSource":"aws:mq","messages":[{"messageID":"1","data":"","properties":{"p":"` + marker + `"}}]}`},
		{"rabbitmq data", `{"eventSource":"aws:rmq","rmqMessagesByQueue":{"q::/":[{"data":"` + b64 + `"}]}}`},
		{"rabbitmq header bytes", `{"eventSource":"aws:rmq","rmqMessagesByQueue":{"q::/":[{"basicProperties":{"headers":{"h":{"bytes":` + byteArray(marker) + `}}},"data":""}]}}`},
		{"appsync arguments", `{"arguments":{"id":"` + marker + `"},"info":{"fieldName":"getPost"},"request":{"headers":{}}}`},
		{"appsync request header", `{"arguments":{},"info":{"fieldName":"getPost"},"request":{"headers":{"x-h":"` + marker + `"}}}`},
		{"appsync source", `{"arguments":{},"source":{"title":"` + marker + `"},"info":{"fieldName":"f"}}`},
		{"appsync batch", `[{"arguments":{"id":"` + marker + `"},"info":{"fieldName":"f"}}]`},
		{"cognito user attribute", `{"version":"1","triggerSource":"PreSignUp_SignUp","userPoolId":"p","userName":"u","request":{"userAttributes":{"name":"` + marker + `"}},"response":{}}`},
		{"cognito client metadata", `{"version":"1","triggerSource":"PreAuthentication_Authentication","userPoolId":"p","userName":"u","request":{"clientMetadata":{"k":"` + marker + `"}},"response":{}}`},
		{"cognito user name", `{"version":"1","triggerSource":"PreSignUp_SignUp","userPoolId":"p","userName":"` + marker + `","request":{},"response":{}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := Parse([]byte(c.payload))
			if err != nil {
				t.Fatal(err)
			}
			texts := judged(req)
			if !holds(texts, marker) && !holdsDecoded(texts) {
				t.Fatalf("trigger %s: %q not among the judged values %q", req.Trigger, marker, texts)
			}
		})
	}
}

// holdsDecoded finds the marker inside base64 text (decode's own layer).
func holdsDecoded(texts []string) bool {
	for _, s := range texts {
		if b, err := base64.StdEncoding.DecodeString(s); err == nil && bytes.Contains(b, []byte(marker)) {
			return true
		}
	}
	return false
}

func manyClaims(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`"c` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `":"v",`)
	}
	return b.String()
}

func byteArray(s string) string {
	parts := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		parts[i] = strconv.Itoa(int(s[i]))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// TestTriggersRecognised: each new trigger is told apart, with the
// identifiers partial batch responses use.
func TestTriggersRecognised(t *testing.T) {
	cases := []struct {
		payload string
		want    Trigger
		ids     []string
	}{
		{`[{"eventSource":"aws:sqs","messageId":"m1","body":"a"},{"eventSource":"aws:sqs","messageId":"m2","body":"b"}]`, Pipes, []string{"m1", "m2"}},
		{`[{"eventSource":"aws:kinesis","sequenceNumber":"49","data":"YQ=="}]`, Pipes, []string{"49"}},
		{`[{"eventSource":"aws:dynamodb","dynamodb":{"SequenceNumber":"7","NewImage":{"a":{"S":"b"}}}}]`, Pipes, []string{"7"}},
		{`{"eventSource":"aws:kafka","records":{"t-0":[{"topic":"t","partition":0,"offset":5,"value":"YQ=="}],"t-1":[{"topic":"t","partition":1,"offset":9,"value":"Yg=="}]}}`, Kafka, []string{"t-0-5", "t-1-9"}},
		{`{"eventSource":"SelfManagedKafka","records":{"t-0":[{"topic":"t","partition":0,"offset":5,"value":"YQ=="}]}}`, Kafka, []string{"t-0-5"}},
		{`{"eventSource":"aws:mq","messages":[{"messageID":"1","data":"YQ=="}]}`, AmazonMQ, []string{""}},
		{`{"eventSource":"aws:rmq","rmqMessagesByQueue":{"q::/":[{"data":"YQ=="}]}}`, AmazonMQ, []string{""}},
		{`{"arguments":{},"info":{"fieldName":"f"}}`, AppSync, nil},
		{`{"triggerSource":"PreSignUp_SignUp","userPoolId":"p","request":{}}`, Cognito, nil},
		{`{"Records":[{"eventSource":"aws:dynamodb","eventID":"e","dynamodb":{"SequenceNumber":"111"}}]}`, DynamoDBStreams, []string{"111"}},
		{`{"Records":[{"eventSource":"aws:kinesis","eventID":"e","kinesis":{"sequenceNumber":"222","data":"YQ=="}}]}`, Kinesis, []string{"222"}},
		{`{"Records":[{"eventSource":"aws:sqs","messageId":"333","body":"x"}]}`, SQS, []string{"333"}},
		{`{"hello":"world","n":1}`, Unknown, nil},
	}
	for _, c := range cases {
		req, err := Parse([]byte(c.payload))
		if err != nil {
			t.Fatalf("%s: %v", c.payload, err)
		}
		if req.Trigger != c.want {
			t.Errorf("%s: trigger %s, want %s", c.payload, req.Trigger, c.want)
			continue
		}
		if len(c.ids) != len(req.Records) && c.ids != nil {
			t.Errorf("%s: %d records, want %d", c.payload, len(req.Records), len(c.ids))
			continue
		}
		for i, id := range c.ids {
			if req.Records[i].FailureID != id {
				t.Errorf("%s: record %d failure id %q, want %q", c.payload, i, req.Records[i].FailureID, id)
			}
		}
	}
	req, _ := Parse([]byte(`{"hello":"world","n":1,"hello":"again"}`))
	if strings.Join(req.TopKeys, ",") != "n,hello" { // the canonical order: each key where it last occurs
		t.Errorf("top keys %q, want n,hello", req.TopKeys)
	}
}

// TestRepeatedTopLevelKeysCanonicalised: the handler receives the event
// with each top-level key once, holding the value that was judged, and
// removing records works on that same payload.
func TestRepeatedTopLevelKeysCanonicalised(t *testing.T) {
	p := `{"Records":[{"eventSource":"aws:sqs","messageId":"a","body":"judged-not"}], "x":1, "Records":[{"eventSource":"aws:sqs","messageId":"b","body":"one"},{"eventSource":"aws:sqs","messageId":"c","body":"two"}]}`
	req, err := Parse([]byte(p))
	if err != nil {
		t.Fatal(err)
	}
	if req.Canonical == nil {
		t.Fatal("no canonical payload for an event with two Records arrays")
	}
	if strings.Count(string(req.Canonical), `"Records"`) != 1 || strings.Contains(string(req.Canonical), "judged-not") {
		t.Fatalf("canonical payload %s", req.Canonical)
	}
	if len(req.Records) != 2 || string(req.Records[0].Body) != "one" {
		t.Fatalf("judged records %+v", req.Records)
	}
	again, err := Parse(req.Canonical)
	if err != nil || again.Canonical != nil || len(again.Records) != 2 {
		t.Fatalf("canonical payload is not stable: %v %+v", err, again)
	}
	out, err := WithoutRecords(req.Canonical, SQS, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), `"one"`) || !strings.Contains(string(out), `"two"`) {
		t.Fatalf("removed the wrong record: %s", out)
	}
	if req, _ := Parse([]byte(`{"a":1,"b":2}`)); req.Canonical != nil {
		t.Fatal("canonical payload for an event without repeated keys")
	}
}

// TestWithoutRecordsNestedContainers: records are removed from Kafka's
// per-partition arrays, RabbitMQ's per-queue arrays and Pipes' top-level
// array, by the indexes Parse gave them.
func TestWithoutRecordsNestedContainers(t *testing.T) {
	cases := []struct {
		trigger   Trigger
		payload   string
		drop      []int
		gone, has []string
	}{
		{Kafka, `{"eventSource":"aws:kafka","records":{"t-0":[{"topic":"t","offset":1,"value":"QQ=="},{"topic":"t","offset":2,"value":"Qg=="}],"t-1":[{"topic":"t","offset":3,"value":"Qw=="}]}}`, []int{1, 2}, []string{"Qg==", "Qw=="}, []string{"QQ=="}},
		{AmazonMQ, `{"eventSource":"aws:rmq","rmqMessagesByQueue":{"a::/":[{"data":"QQ=="}],"b::/":[{"data":"Qg=="},{"data":"Qw=="}]}}`, []int{0, 2}, []string{"QQ==", "Qw=="}, []string{"Qg=="}},
		{AmazonMQ, `{"eventSource":"aws:mq","messages":[{"data":"QQ=="},{"data":"Qg=="}]}`, []int{0}, []string{"QQ=="}, []string{"Qg=="}},
		{Pipes, `[{"body":"A1"},{"body":"B2"},{"body":"C3"}]`, []int{1}, []string{"B2"}, []string{"A1", "C3"}},
	}
	for _, c := range cases {
		req, err := Parse([]byte(c.payload))
		if err != nil || req.Trigger != c.trigger {
			t.Fatalf("%s: %v %v", c.payload, err, req)
		}
		out, err := WithoutRecords([]byte(c.payload), c.trigger, c.drop)
		if err != nil {
			t.Fatal(err)
		}
		after, err := Parse(out)
		if err != nil {
			t.Fatalf("%s: output %s: %v", c.trigger, out, err)
		}
		if len(after.Records) != len(req.Records)-len(c.drop) {
			t.Errorf("%s: %d records left of %d", c.trigger, len(after.Records), len(req.Records))
		}
		for _, g := range c.gone {
			if strings.Contains(string(out), g) {
				t.Errorf("%s: %s still in %s", c.trigger, g, out)
			}
		}
		for _, h := range c.has {
			if !strings.Contains(string(out), h) {
				t.Errorf("%s: %s lost from %s", c.trigger, h, out)
			}
		}
	}
}
