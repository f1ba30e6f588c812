package gateway

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/lambdawaf/lambdawaf/agent/gateway/gatewaytest"
)

var fixedTime = time.Date(2020, 3, 12, 19, 3, 58, 390_000_000, time.UTC)

func fixedTranslator(shape Shape) *Translator {
	return &Translator{
		Shape:  shape,
		Now:    func() time.Time { return fixedTime },
		Random: func(b []byte) { copy(b, strings.Repeat("\x11", len(b))) },
	}
}

// docRequest is the HTTP request behind the documented example events:
// POST /my/path with repeated query keys, repeated headers and two cookies.
func docRequest(body string) *Request {
	r := httptest.NewRequest(http.MethodPost, "/my/path?parameter1=value1&parameter1=value2&parameter2=value", strings.NewReader(body))
	r.Header = http.Header{}
	r.Header.Add("header1", "value1")
	r.Header.Add("header2", "value1")
	r.Header.Add("header2", "value2")
	r.Header.Set("Cookie", "cookie1; cookie2")
	r.RemoteAddr = "192.0.2.1:54321"
	return NewRequest(r, []byte(body))
}

func eventMap(t *testing.T, tr *Translator, req *Request) map[string]any {
	t.Helper()
	b, err := tr.Event(req)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEventsMatchDocumentedExamples builds each shape's event for the
// request behind AWS's documented example and compares every field.
func TestEventsMatchDocumentedExamples(t *testing.T) {
	platformHeaders := []string{"headers.host", "headers.x-amzn-trace-id", "headers.x-forwarded-*", "headers.content-length", "headers.x-amzn-tls-*"}
	tests := []struct {
		name    string
		shape   Shape
		fixture string
		req     func() *Request
		setup   func(*Translator)
		rules   gatewaytest.Rules
	}{
		{
			name: "http api payload 2.0", shape: HTTPAPI, fixture: "http-api-v2.json",
			req: func() *Request {
				r := docRequest("Hello from Lambda")
				r.HTTP.Header.Set("User-Agent", "agent")
				return r
			},
			setup: func(tr *Translator) { tr.APIID = "id"; tr.DomainName = "id.execute-api.us-east-1.amazonaws.com" },
			rules: gatewaytest.Rules{
				Skip: []string{"requestContext.authentication", "requestContext.authorizer", "pathParameters", "stageVariables"},
				// The documented timeEpoch (4 March) contradicts the documented time
				// (12 March): only the kind of timeEpoch is comparable.
				KindOnly: []string{"requestContext.requestId", "requestContext.apiId", "requestContext.timeEpoch"},
				Extra:    append(platformHeaders, "headers.user-agent"),
			},
		},
		{
			name: "function url", shape: FunctionURL, fixture: "function-url.json",
			req: func() *Request {
				r := docRequest("Hello from client!")
				r.HTTP.Header.Set("User-Agent", "agent")
				r.SourceIP = "123.123.123.123"
				return r
			},
			setup: func(tr *Translator) { tr.APIID = "<url-id>"; tr.Region = "us-west-2"; tr.AccountID = "123456789012" },
			rules: gatewaytest.Rules{
				Skip: []string{"requestContext.authorizer"},
				// The documented timeEpoch (4 March) contradicts the documented time
				// (12 March): only the kind of timeEpoch is comparable.
				KindOnly: []string{"requestContext.requestId", "requestContext.apiId", "requestContext.timeEpoch"},
				Extra:    append(platformHeaders, "headers.user-agent"),
			},
		},
		{
			name: "rest api payload 1.0", shape: REST, fixture: "rest-v1.json",
			req: func() *Request {
				r := docRequest("Hello from Lambda!")
				r.HTTP.Header.Del("Cookie")
				r.HTTP.Header.Set("User-Agent", "user-agent")
				return r
			},
			setup: func(tr *Translator) {
				tr.APIID = "id"
				tr.Stage = "prod"
				tr.DomainName = "id.execute-api.us-east-1.amazonaws.com"
			},
			rules: gatewaytest.Rules{
				Skip: []string{"requestContext.authorizer", "requestContext.identity.principalOrgId"},
				KindOnly: []string{"requestContext.requestId", "requestContext.extendedRequestId", "requestContext.resourceId",
					"requestContext.requestTime", "requestContext.requestTimeEpoch"},
				Extra: []string{"headers.host", "headers.x-amzn-trace-id", "headers.x-forwarded-*", "headers.user-agent",
					"multiValueHeaders.host", "multiValueHeaders.x-amzn-trace-id", "multiValueHeaders.x-forwarded-*", "multiValueHeaders.user-agent"},
				FoldKeys: []string{"headers", "multiValueHeaders"},
			},
		},
		{
			name: "alb single value", shape: ALB, fixture: "alb-single.json",
			req: func() *Request {
				r := httptest.NewRequest(http.MethodGet, "http://lambda-alb-123578498.us-east-2.elb.amazonaws.com/lambda?query=1234ABCD", nil)
				r.Header = http.Header{
					"Accept":                    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8"},
					"Accept-Encoding":           {"gzip"},
					"Accept-Language":           {"en-US,en;q=0.9"},
					"Connection":                {"keep-alive"},
					"Upgrade-Insecure-Requests": {"1"},
					"User-Agent":                {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36"},
					"X-Imforwards":              {"20"},
				}
				r.RemoteAddr = "72.12.164.125:40000"
				return NewRequest(r, nil)
			},
			setup: func(tr *Translator) {
				tr.TargetGroupARN = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"
			},
			rules: gatewaytest.Rules{KindOnly: []string{"headers.x-amzn-trace-id"}},
		},
		{
			name: "alb multi value", shape: ALBMultiValue, fixture: "alb-multi.json",
			req: func() *Request {
				r := httptest.NewRequest(http.MethodGet, "http://lambda-846800462-us-east-2.elb.amazonaws.com/lambda?myKey=val1&myKey=val2", strings.NewReader("request_body"))
				r.Header = http.Header{
					"Accept":          {"text/html,application/xhtml+xml"},
					"Accept-Language": {"en-US,en;q=0.8"},
					"Connection":      {"keep-alive"},
					"Content-Type":    {"text/plain"},
					"Cookie":          {"name1=value1", "name2=value2"},
					"User-Agent":      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)"},
				}
				r.RemoteAddr = "72.21.198.66:40000"
				return NewRequest(r, []byte("request_body"))
			},
			setup: func(tr *Translator) {
				tr.TargetGroupARN = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"
			},
			rules: gatewaytest.Rules{KindOnly: []string{"multiValueHeaders.x-amzn-trace-id"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := fixedTranslator(tc.shape)
			tc.setup(tr)
			got := eventMap(t, tr, tc.req())
			want := gatewaytest.Load(t, filepath.Join("testdata", tc.fixture))
			for _, d := range gatewaytest.Diff(want, got, tc.rules) {
				t.Error(d)
			}
		})
	}
}

func TestHTTPAPIEventDetails(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}
	tests := []struct {
		name   string
		method string
		target string
		header http.Header
		body   []byte
		check  func(t *testing.T, ev *events.APIGatewayV2HTTPRequest)
	}{
		{
			name: "no query and no body", method: "GET", target: "/orders",
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if ev.QueryStringParameters != nil || ev.Body != "" || ev.IsBase64Encoded || ev.RawQueryString != "" {
					t.Errorf("unexpected query/body: %+v", ev)
				}
				if ev.Headers["content-length"] != "0" {
					t.Errorf("content-length = %q", ev.Headers["content-length"])
				}
			},
		},
		{
			name: "encoded query: raw kept, parameters decoded", method: "GET", target: "/s?q=a%20b%26c&x=1+2&flag&q=%zz",
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if ev.RawQueryString != "q=a%20b%26c&x=1+2&flag&q=%zz" {
					t.Errorf("rawQueryString = %q", ev.RawQueryString)
				}
				want := map[string]string{"q": "a b&c,%zz", "x": "1 2", "flag": ""}
				for k, v := range want {
					if ev.QueryStringParameters[k] != v {
						t.Errorf("query %s = %q, want %q", k, ev.QueryStringParameters[k], v)
					}
				}
			},
		},
		{
			name: "encoded path", method: "GET", target: "/a%2Fb/c%20d",
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if ev.RawPath != "/a%2Fb/c%20d" || ev.RequestContext.HTTP.Path != "/a/b/c d" {
					t.Errorf("rawPath %q, http.path %q", ev.RawPath, ev.RequestContext.HTTP.Path)
				}
			},
		},
		{
			name: "binary body base64", method: "PUT", target: "/img", body: png,
			header: http.Header{"Content-Type": {"image/png"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString(png) {
					t.Errorf("body %q base64=%v", ev.Body, ev.IsBase64Encoded)
				}
			},
		},
		{
			name: "form post base64", method: "POST", target: "/f", body: []byte("a=1&b=%3Cx%3E"),
			header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString([]byte("a=1&b=%3Cx%3E")) {
					t.Errorf("body %q base64=%v", ev.Body, ev.IsBase64Encoded)
				}
			},
		},
		{
			name: "json body as text", method: "POST", target: "/j", body: []byte(`{"a":"é"}`),
			header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if ev.IsBase64Encoded || ev.Body != `{"a":"é"}` {
					t.Errorf("body %q base64=%v", ev.Body, ev.IsBase64Encoded)
				}
			},
		},
		{
			name: "gzip json is binary", method: "POST", target: "/j", body: []byte{0x1f, 0x8b, 8, 0},
			header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if !ev.IsBase64Encoded {
					t.Error("gzip body not base64")
				}
			},
		},
		{
			name: "client x-forwarded-for is kept, client address appended", method: "GET", target: "/",
			header: http.Header{"X-Forwarded-For": {"10.0.0.1"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if ev.Headers["x-forwarded-for"] != "10.0.0.1, 192.0.2.1" || ev.RequestContext.HTTP.SourceIP != "192.0.2.1" {
					t.Errorf("xff %q sourceIp %q", ev.Headers["x-forwarded-for"], ev.RequestContext.HTTP.SourceIP)
				}
			},
		},
		{
			name: "hop-by-hop headers dropped, host replaced", method: "GET", target: "http://localhost:8080/",
			header: http.Header{"Connection": {"keep-alive"}, "Te": {"trailers"}},
			check: func(t *testing.T, ev *events.APIGatewayV2HTTPRequest) {
				if _, ok := ev.Headers["connection"]; ok {
					t.Error("connection header forwarded")
				}
				if ev.Headers["host"] != ev.RequestContext.DomainName {
					t.Errorf("host %q, domain %q", ev.Headers["host"], ev.RequestContext.DomainName)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			r.Header = tc.header
			if r.Header == nil {
				r.Header = http.Header{}
			}
			r.RemoteAddr = "192.0.2.1:1234"
			b, err := fixedTranslator(HTTPAPI).Event(NewRequest(r, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(b, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Version != "2.0" || ev.RouteKey != "$default" || ev.RequestContext.TimeEpoch != fixedTime.UnixMilli() ||
				ev.RequestContext.Time != "12/Mar/2020:19:03:58 +0000" || ev.RequestContext.HTTP.Method != tc.method {
				t.Errorf("envelope: %s", b)
			}
			tc.check(t, &ev)
		})
	}
}

func TestRESTBinaryMediaTypes(t *testing.T) {
	tests := []struct {
		types       []string
		contentType string
		wantBase64  bool
	}{
		{nil, "image/png", false},
		{[]string{"image/png"}, "image/png", true},
		{[]string{"image/*"}, "image/jpeg", true},
		{[]string{"image/*"}, "application/pdf", false},
		{[]string{"*/*"}, "application/json", true},
		{[]string{"application/octet-stream"}, "application/octet-stream; charset=binary", true},
	}
	for _, tc := range tests {
		tr := fixedTranslator(REST)
		tr.BinaryMediaTypes = tc.types
		r := httptest.NewRequest("POST", "/x", nil)
		r.Header.Set("Content-Type", tc.contentType)
		b, err := tr.Event(NewRequest(r, []byte("abc")))
		if err != nil {
			t.Fatal(err)
		}
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.IsBase64Encoded != tc.wantBase64 {
			t.Errorf("types %v, %s: base64 = %v", tc.types, tc.contentType, ev.IsBase64Encoded)
		}
	}
}

func TestRESTEventWithoutQueryOrBodyUsesNulls(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	b, err := fixedTranslator(REST).Event(NewRequest(r, nil))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body"} {
		if m[k] != nil {
			t.Errorf("%s = %v, want null", k, m[k])
		}
	}
	if m["isBase64Encoded"] != false {
		t.Errorf("isBase64Encoded = %v, want false", m["isBase64Encoded"])
	}
}

func TestALBQueryValuesStayEncoded(t *testing.T) {
	r := httptest.NewRequest("GET", "/p?name=a%20b&name=c%2Bd&x=%3Cscript%3E", nil)
	for _, shape := range []Shape{ALB, ALBMultiValue} {
		b, err := fixedTranslator(shape).Event(NewRequest(r, nil))
		if err != nil {
			t.Fatal(err)
		}
		var ev events.ALBTargetGroupRequest
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatal(err)
		}
		if shape == ALB {
			if ev.QueryStringParameters["name"] != "c%2Bd" || ev.QueryStringParameters["x"] != "%3Cscript%3E" || ev.MultiValueQueryStringParameters != nil {
				t.Errorf("single: %s", b)
			}
		} else {
			if got := ev.MultiValueQueryStringParameters["name"]; len(got) != 2 || got[0] != "a%20b" || got[1] != "c%2Bd" || ev.QueryStringParameters != nil {
				t.Errorf("multi: %s", b)
			}
		}
	}
}

func TestParseShape(t *testing.T) {
	for in, want := range map[string]Shape{"": HTTPAPI, "HTTP": HTTPAPI, "rest": REST, "v1": REST, "alb": ALB, "alb-multi": ALBMultiValue, "url": FunctionURL, "function-url": FunctionURL} {
		got, err := ParseShape(in)
		if err != nil || got != want {
			t.Errorf("ParseShape(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseShape("graphql"); err == nil {
		t.Error("ParseShape accepted an unknown shape")
	}
}
