package event

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTriggers(t *testing.T) {
	type recordWant struct {
		id, body string
		attrs    map[string]string
	}
	tests := []struct {
		file       string
		trigger    Trigger
		method     string
		path       string
		rawQuery   string
		query      map[string][]string
		sourceIP   string
		route      string
		headers    map[string][]string
		cookies    map[string][]string
		claims     map[string]string
		body       string
		ctype      string
		multiValue bool
		records    []recordWant
	}{
		{
			file: "apigw-request.json", trigger: APIGatewayREST, method: "POST", path: "/hello/world",
			query: map[string][]string{"name": {"me"}}, sourceIP: "192.168.196.186", route: "/{proxy+}",
			headers: map[string][]string{"content-type": {"application/json"}, "user-agent": {"PostmanRuntime/2.4.5"}, "headername": {"headerValue"}},
			claims:  map[string]string{"authorizer.principalId": "admin", "authorizer.clientName": "Exata", "identity.userArn": "theUserArn"},
			body:    "{\r\n\t\"a\": 1\r\n}", ctype: "application/json", multiValue: true,
		},
		{
			file: "apigw-v2-request-jwt-authorizer.json", trigger: APIGatewayHTTP, method: "GET", path: "/my/path",
			rawQuery: "parameter1=value1&parameter1=value2&parameter2=value", sourceIP: "IP", route: "$default",
			headers: map[string][]string{"header1": {"value1"}, "header2": {"value2"}},
			cookies: map[string][]string{"cookie1": {""}},
			claims:  map[string]string{"jwt.claim1": "value1", "jwt.claim2": "value2", "jwt.scope": "scope1 scope2"},
			body:    "{\r\n\t\"a\": 1\r\n}",
		},
		{
			file: "apigw-v2-request-lambda-authorizer.json", trigger: APIGatewayHTTP, method: "GET", path: "/my/path",
			rawQuery: "parameter1=value1&parameter1=value2&parameter2=value", sourceIP: "IP", route: "$default",
			claims: map[string]string{"lambda.key": "value"},
		},
		{
			file: "apigw-v2-request-iam.json", trigger: APIGatewayHTTP, method: "GET", path: "/my/path", sourceIP: "IP",
			rawQuery: "parameter1=value1&parameter1=value2&parameter2=value", route: "$default",
			claims: map[string]string{"iam.userArn": "arn:aws:iam::1234567890:user/Admin", "iam.cognitoIdentityId": "us-east-1:3f291106-8703-466b-8f2b-3ecee1ca56ce"},
		},
		{
			file: "apigw-v2-request-no-authorizer.json", trigger: APIGatewayHTTP, method: "GET", path: "/", sourceIP: "1.2.3.4", route: "$default",
			headers: map[string][]string{"user-agent": {"curl/7.58.0"}},
		},
		{
			file: "apigw-v2-post-json.json", trigger: APIGatewayHTTP, method: "POST", path: "/orders", route: "POST /orders",
			rawQuery: "expand=items&ref=mail%20campaign", sourceIP: "203.0.113.42",
			cookies: map[string][]string{"session": {"9f8e7d6c5b4a"}, "theme": {"dark"}},
			claims:  map[string]string{"jwt.sub": "123", "jwt.email": "alice@example.com", "jwt.scope": "orders/write"},
			ctype:   "application/json; charset=utf-8",
		},
		{
			file: "lambda-urls-request.json", trigger: FunctionURL, method: "POST", path: "/my/path",
			rawQuery: "parameter1=value1&parameter1=value2&parameter2=value", sourceIP: "123.123.123.123",
			headers: map[string][]string{"header2": {"value1,value2"}},
			cookies: map[string][]string{"cookie1": {""}, "cookie2": {""}},
			claims:  map[string]string{"iam.userArn": "arn:aws:iam::111122223333:user/example-user"},
			body:    "Hello from client!",
		},
		{
			file: "apigw-websocket-request.json", trigger: APIGatewayWS, method: "POST", path: "/hello/world", route: "$connect",
			sourceIP: "192.168.196.186", multiValue: true,
		},
		{
			file: "apigw-websocket-request-send-message.json", trigger: APIGatewayWS, route: "$default",
			sourceIP: "49.105.91.154", body: "{\r\n\t\"a\": 1\r\n}",
		},
		{
			file: "alb-lambda-target-request-headers-only.json", trigger: ALB, method: "GET", path: "/",
			rawQuery: "key=hello", query: map[string][]string{"key": {"hello"}}, sourceIP: "25.12.198.67",
			headers: map[string][]string{"x-myheader": {"123"}},
		},
		{
			file: "alb-lambda-target-request-multivalue-headers.json", trigger: ALB, method: "GET", path: "/",
			rawQuery: "key=hello", sourceIP: "72.21.198.67", multiValue: true,
			headers: map[string][]string{"x-myheader": {"123"}},
		},
		{
			file: "alb-encoded-query-base64-body.json", trigger: ALB, method: "POST", path: "/lambda",
			rawQuery: "query=1234ABCD%27%20OR%201%3D1", sourceIP: "10.0.0.3", // the hop the ALB added, not the client's claim
			query:   map[string][]string{"query": {"1234ABCD' OR 1=1"}},
			cookies: map[string][]string{"cookies": {"1"}, "session": {"xyz"}},
			body:    "user=admin&pass=s%20ecret", ctype: "application/x-www-form-urlencoded",
		},
		{
			file: "vpc-lattice-v1.json", trigger: VPCLatticeV1, method: "POST", path: "/path/to/resource",
			rawQuery: "id=42&name=o%27brien", sourceIP: "10.0.0.1", query: map[string][]string{"name": {"o'brien"}},
			body: `{"user":"alice"}`, ctype: "application/json",
		},
		{
			file: "vpc-lattice-v2.json", trigger: VPCLatticeV2, method: "GET", path: "/health", sourceIP: "10.0.12.9",
			query:   map[string][]string{"key": {"value", "other"}},
			headers: map[string][]string{"user_defined_header": {"v1", "v2"}},
			cookies: map[string][]string{"session": {"abc123"}, "theme": {"dark"}},
			claims:  map[string]string{"identity.type": "AWS_IAM", "identity.sessionName": "057d00f8b51257ba3c853a0f248943cf"},
		},
		{
			file: "sqs-event.json", trigger: SQS,
			records: []recordWant{{id: "MessageID_1", body: "Message Body", attrs: map[string]string{"messageAttributes.Attribute1": "AttributeValue1", "messageAttributes.Attribute2": "123"}}},
		},
		{
			file: "sqs-batch.json", trigger: SQS,
			records: []recordWant{
				{id: "059f36b4-87a3-44ab-83d2-661975830a7d", body: `{"order":{"sku":"A-1","qty":2}}`},
				{id: "2e1424d4-f796-459a-8184-9c92662be6da", body: `{"order":{"sku":"' OR 1=1 --","qty":1}}`, attrs: map[string]string{"messageAttributes.tenant": "acme"}},
				{id: "3f4ab1c2-0000-4000-8000-000000000003", body: "plain text"},
			},
		},
		{
			file: "sns-event.json", trigger: SNS,
			records: []recordWant{{id: "95df01b4-ee98-5cb9-9903-4c221d41eb5e", body: "Hello from SNS!", attrs: map[string]string{"subject": "TestInvoke", "messageAttributes.Test": "TestString"}}},
		},
		{
			file: "s3-event.json", trigger: S3,
			records: []recordWant{{id: "C3D13FE58DE4C810", body: "Happy Face.jpg", attrs: map[string]string{"bucket": "sourcebucket", "eventName": "ObjectCreated:Put"}}},
		},
		{
			file: "s3-plus-key.json", trigger: S3,
			records: []recordWant{
				{id: "D82B88E5F771F645", body: "uploads/my report (2024).pdf"},
				{id: "0C0F6F405D6ED209E2", body: "bad%zzkey"}, // undecodable keys are judged as delivered
			},
		},
		{
			file: "kinesis-event.json", trigger: Kinesis,
			records: []recordWant{
				{id: "shardId-000000000000:49568167373333333333333333333333333333333333333333333333", body: "Hello World", attrs: map[string]string{"partitionKey": "s1"}},
				{id: "shardId-000000000000:49568167373333333334444444444444444444444444444444444444", body: "Hello World"},
			},
		},
		{
			file: "eventbridge.json", trigger: EventBridge,
			records: []recordWant{{id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718", body: "{\n    \"instance-id\": \"i-1234567890abcdef0\",\n    \"state\": \"terminated\"\n  }", attrs: map[string]string{"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			req, err := Parse(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if req.Trigger != tt.trigger {
				t.Fatalf("trigger = %s, want %s", req.Trigger, tt.trigger)
			}
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("method", req.Method, tt.method)
			check("path", req.Path, tt.path)
			if tt.rawQuery != "" || req.Trigger != ALB {
				check("rawQuery", req.RawQuery, tt.rawQuery)
			}
			check("sourceIP", req.SourceIP, tt.sourceIP)
			check("route", req.Route, tt.route)
			if tt.body != "" {
				check("body", string(req.Body), tt.body)
			}
			if tt.ctype != "" {
				check("contentType", req.ContentType, tt.ctype)
			}
			if req.MultiValueHeaders != tt.multiValue {
				t.Errorf("MultiValueHeaders = %v, want %v", req.MultiValueHeaders, tt.multiValue)
			}
			for k, want := range tt.query {
				if got := req.Query[k]; !slices.Equal(got, want) {
					t.Errorf("query[%q] = %q, want %q", k, got, want)
				}
			}
			for k, want := range tt.headers {
				if got := req.Headers[k]; !slices.Equal(got, want) {
					t.Errorf("header[%q] = %q, want %q", k, got, want)
				}
			}
			for k := range req.Headers {
				if k != toLowerASCII(k) {
					t.Errorf("header name %q not lower-cased", k)
				}
			}
			for k, want := range tt.cookies {
				if got := req.Cookies[k]; !slices.Equal(got, want) {
					t.Errorf("cookie[%q] = %q, want %q", k, got, want)
				}
			}
			for k, want := range tt.claims {
				if got := req.Claims[k]; got != want {
					t.Errorf("claim[%q] = %q, want %q", k, got, want)
				}
			}
			if len(req.Records) != len(tt.records) {
				t.Fatalf("%d records, want %d", len(req.Records), len(tt.records))
			}
			for i, want := range tt.records {
				r := req.Records[i]
				if r.Index != i {
					t.Errorf("record %d: index %d", i, r.Index)
				}
				check("record id", r.ID, want.id)
				check("record body", string(r.Body), want.body)
				for k, v := range want.attrs {
					check("record attribute "+k, r.Attributes[k], v)
				}
			}
		})
	}
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestParseDynamoDB(t *testing.T) {
	req, err := Parse(readFixture(t, "dynamodb-event.json"))
	if err != nil {
		t.Fatal(err)
	}
	if req.Trigger != DynamoDBStreams || len(req.Records) != 2 {
		t.Fatalf("trigger %s, %d records", req.Trigger, len(req.Records))
	}
	r := req.Records[0]
	if r.ID != "f07f8ca4b0b26cb9c4e5e77e69f274ee" {
		t.Errorf("id %q", r.ID)
	}
	// NewImage stays in attribute-value JSON, byte for byte
	if want := `"val": {`; !contains(string(r.Body), want) || !contains(string(r.Body), `"S": "data"`) {
		t.Errorf("body %s does not hold the typed NewImage", r.Body)
	}
	if !contains(r.Attributes["keys"], `"S": "binary"`) {
		t.Errorf("keys attribute %q", r.Attributes["keys"])
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestParseUnknownAndMalformed(t *testing.T) {
	unknown := []string{
		`{}`,
		`{"hello":"world"}`,
		`[1,2,3]`,
		`"just a string"`,
		`{"Records":[{"eventSource":"aws:ses"}]}`,
		`{"Records":[]}`,
		`{"version":"1.0","method":"GET"}`,
		`{"requestContext":{"requestId":"x"}}`,
		`{"httpMethod":"","requestContext":{}}`,
	}
	for _, p := range unknown {
		req, err := Parse([]byte(p))
		if err != nil {
			t.Errorf("Parse(%s): %v", p, err)
			continue
		}
		if req.Trigger != Unknown {
			t.Errorf("Parse(%s): trigger %s, want unknown", p, req.Trigger)
		}
	}
	malformed := []string{
		``,
		`{`,
		`{"httpMethod":"GET","requestContext":{}`,
		`{"rawPath":"/","requestContext":{"http":{"method":"GET"}},"headers":{"a":1}}`,
		`{"httpMethod":"GET","requestContext":{},"body":"!!!","isBase64Encoded":true}`,
		`{"a":1} trailing`,
		`[1,2] x`,
		`{"Records":[{"eventSource":"aws:sqs","body":7}]}`,
	}
	for _, p := range malformed {
		if _, err := Parse([]byte(p)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q): err = %v, want ErrMalformed", p, err)
		}
	}
}

func TestParseBase64AndContentEncoding(t *testing.T) {
	p := `{"version":"2.0","rawPath":"/u","rawQueryString":"","headers":{"Content-Type":"application/json","Content-Encoding":" GZIP "},
	"requestContext":{"http":{"method":"post","sourceIp":"198.51.100.1"}},"body":"eyJhIjoxfQ","isBase64Encoded":true}`
	req, err := Parse([]byte(p))
	if err != nil {
		t.Fatal(err)
	}
	if string(req.Body) != `{"a":1}` {
		t.Errorf("body %q (unpadded base64 must be accepted)", req.Body)
	}
	if req.Method != "POST" || req.ContentEncoding != "gzip" || req.ContentType != "application/json" {
		t.Errorf("method %q encoding %q type %q", req.Method, req.ContentEncoding, req.ContentType)
	}
}

func TestForwardedFor(t *testing.T) {
	req := &Request{Headers: map[string][]string{"x-forwarded-for": {"1.1.1.1, 2.2.2.2", " 3.3.3.3 ,", ""}}}
	if got := req.ForwardedFor(); !slices.Equal(got, []string{"1.1.1.1", "2.2.2.2", "3.3.3.3"}) {
		t.Errorf("hops %q", got)
	}
	if balancerSourceIP(req) != "3.3.3.3" || balancerSourceIP(&Request{}) != "" {
		t.Error("balancer source IP is not the last hop")
	}
}
