package serve

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
	"github.com/lambdawaf/lambdawaf/agent/gateway"
	"github.com/lambdawaf/lambdawaf/agent/gateway/gatewaytest"
	"github.com/lambdawaf/lambdawaf/agent/gateway/local"
)

// send makes one request and returns the response with its body read.
func send(t *testing.T, method, url string, header http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = http.NoBody
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestEventsMatchDocumentedExamples sends, through the real endpoint, agent
// and handler, the HTTP request behind each AWS-documented example event;
// the handler returns the event it received, which must match the
// documented one field by field.
func TestEventsMatchDocumentedExamples(t *testing.T) {
	docHeader := func(ua string) http.Header {
		return http.Header{"Header1": {"value1"}, "Header2": {"value1", "value2"}, "Cookie": {"cookie1; cookie2"}, "User-Agent": {ua}}
	}
	perRequest := []string{"requestContext.requestId", "requestContext.apiId", "requestContext.time", "requestContext.timeEpoch",
		"requestContext.http.sourceIp"}
	platform := []string{"headers.host", "headers.x-amzn-trace-id", "headers.x-forwarded-*", "headers.content-length",
		"headers.x-amzn-tls-*", "headers.user-agent", "headers.accept-encoding"}
	tests := []struct {
		name       string
		translator gateway.Translator
		fixture    string
		method     string
		target     string
		header     http.Header
		body       string
		rules      gatewaytest.Rules
	}{
		{
			name: "http api", fixture: "http-api-v2.json",
			translator: gateway.Translator{Shape: gateway.HTTPAPI, APIID: "id", DomainName: "id.execute-api.us-east-1.amazonaws.com"},
			method:     "POST", target: "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
			header: docHeader("agent"), body: "Hello from Lambda",
			rules: gatewaytest.Rules{
				Skip:     []string{"requestContext.authentication", "requestContext.authorizer", "pathParameters", "stageVariables"},
				KindOnly: perRequest, Extra: platform,
			},
		},
		{
			name: "function url", fixture: "function-url.json",
			translator: gateway.Translator{Shape: gateway.FunctionURL, APIID: "<url-id>", Region: "us-west-2", AccountID: "123456789012"},
			method:     "POST", target: "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
			header: docHeader("agent"), body: "Hello from client!",
			rules: gatewaytest.Rules{Skip: []string{"requestContext.authorizer"}, KindOnly: perRequest, Extra: platform},
		},
		{
			name: "rest api", fixture: "rest-v1.json",
			translator: gateway.Translator{Shape: gateway.REST, APIID: "id", Stage: "prod", DomainName: "id.execute-api.us-east-1.amazonaws.com"},
			method:     "POST", target: "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
			header: http.Header{"Header1": {"value1"}, "Header2": {"value1", "value2"}, "User-Agent": {"user-agent"}},
			body:   "Hello from Lambda!",
			rules: gatewaytest.Rules{
				Skip: []string{"requestContext.authorizer", "requestContext.identity.principalOrgId"},
				KindOnly: []string{"requestContext.requestId", "requestContext.extendedRequestId", "requestContext.resourceId",
					"requestContext.requestTime", "requestContext.requestTimeEpoch", "requestContext.identity.sourceIp"},
				Extra: []string{"headers.host", "headers.x-amzn-trace-id", "headers.x-forwarded-*", "headers.accept-encoding",
					"headers.content-length", "headers.user-agent", "multiValueHeaders.user-agent", "multiValueHeaders.host", "multiValueHeaders.x-amzn-trace-id",
					"multiValueHeaders.x-forwarded-*", "multiValueHeaders.accept-encoding", "multiValueHeaders.content-length"},
				FoldKeys: []string{"headers", "multiValueHeaders"},
			},
		},
		{
			name:       "alb single-value",
			fixture:    "alb-single.json",
			translator: gateway.Translator{Shape: gateway.ALB, TargetGroupARN: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"},
			method:     "GET",
			target:     "/lambda?query=1234ABCD",
			header: http.Header{
				"Host":                      {"lambda-alb-123578498.us-east-2.elb.amazonaws.com"},
				"Accept":                    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8"},
				"Accept-Encoding":           {"gzip"},
				"Accept-Language":           {"en-US,en;q=0.9"},
				"Upgrade-Insecure-Requests": {"1"},
				"User-Agent":                {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36"},
				"X-Imforwards":              {"20"},
			},
			rules: gatewaytest.Rules{
				KindOnly: []string{"headers.x-amzn-trace-id", "headers.x-forwarded-for"},
				Skip:     []string{"headers.connection"},
			},
		},
		{
			name: "alb multi-value", fixture: "alb-multi.json",
			translator: gateway.Translator{Shape: gateway.ALBMultiValue, TargetGroupARN: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a"},
			method:     "GET", target: "/lambda?myKey=val1&myKey=val2",
			header: http.Header{
				"Host": {"lambda-846800462-us-east-2.elb.amazonaws.com"}, "Accept": {"text/html,application/xhtml+xml"},
				"Accept-Language": {"en-US,en;q=0.8"}, "Content-Type": {"text/plain"}, "Cookie": {"name1=value1", "name2=value2"},
				"User-Agent": {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)"},
			},
			body: "request_body",
			rules: gatewaytest.Rules{
				KindOnly: []string{"multiValueHeaders.x-amzn-trace-id", "multiValueHeaders.x-forwarded-for"},
				Extra:    []string{"multiValueHeaders.accept-encoding", "multiValueHeaders.content-length"},
				// Go's client keeps the connection alive without sending
				// "Connection: keep-alive"; the documented client did.
				Skip: []string{"multiValueHeaders.connection"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep, _ := start(t, local.Config{Translator: tc.translator})
			resp, body := send(t, tc.method, ep.URL()+tc.target, tc.header, []byte(tc.body))
			if resp.StatusCode != 200 || resp.Header.Get("X-Handler") != "serve-test" {
				t.Fatalf("status %d headers %v body %s", resp.StatusCode, resp.Header, body)
			}
			var got any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("handler response is not the event: %v\n%s", err, body)
			}
			want := gatewaytest.Load(t, gatewaytest.Fixture(tc.fixture))
			for _, d := range gatewaytest.Diff(want, got, tc.rules) {
				t.Error(d)
			}
		})
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRequestsReachTheHandlerIntact sends methods, encodings, large and
// binary bodies, repeated headers and query keys and cookies through every
// shape and checks, with the agent's own event parser, that the handler
// received exactly what was sent.
func TestRequestsReachTheHandlerIntact(t *testing.T) {
	binary := make([]byte, 1<<20)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	largeJSON := []byte(`{"items":[` + strings.Repeat(`{"sku":"A-1","note":"ünïcødé \" quoted"},`, 100_000) + `{"sku":"end"}]}`)
	large := make([]byte, 4<<20) // 5.6 MB once base64-encoded in the event: under the 6 MB limit
	for i := range large {
		large[i] = byte(i * 13)
	}
	requests := []struct {
		name, method, target string
		header               http.Header
		body                 []byte
		wantBase64           map[gateway.Shape]bool // v2/ALB rules; REST base64s only binary media types
	}{
		{name: "get with repeated query keys", method: "GET", target: "/orders?id=1&id=2&q=a%20b%2Bc&empty=",
			header: http.Header{"X-Multi": {"one", "two"}, "Accept": {"application/json"}}},
		{name: "cookies", method: "GET", target: "/me", header: http.Header{"Cookie": {"session=s3cr3t; theme=dark", "lang=en"}}},
		{name: "json post", method: "POST", target: "/orders", header: http.Header{"Content-Type": {"application/json"}},
			body: []byte(`{"sku":"A-1","qty":2,"name":"Zoë"}`)},
		{name: "form put", method: "PUT", target: "/orders/7", header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			body: []byte("sku=A-1&note=%3Chi%3E+there"), wantBase64: map[gateway.Shape]bool{gateway.HTTPAPI: true, gateway.ALB: true}},
		{name: "gzip patch", method: "PATCH", target: "/orders/7", header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
			body: gzipped(t, []byte(`{"qty":3}`)), wantBase64: map[gateway.Shape]bool{gateway.HTTPAPI: true, gateway.ALB: true, gateway.REST: true}},
		{name: "1 MB binary", method: "POST", target: "/upload", header: http.Header{"Content-Type": {"application/octet-stream"}},
			body: binary, wantBase64: map[gateway.Shape]bool{gateway.HTTPAPI: true, gateway.ALB: true, gateway.REST: true}},
		{name: "4.4 MB json", method: "POST", target: "/size", header: http.Header{"Content-Type": {"application/json"}}, body: largeJSON},
		{name: "4 MB binary", method: "POST", target: "/size", header: http.Header{"Content-Type": {"application/octet-stream"}},
			body: large, wantBase64: map[gateway.Shape]bool{gateway.HTTPAPI: true, gateway.ALB: true, gateway.REST: true}},
		{name: "delete", method: "DELETE", target: "/orders/7"},
		{name: "options", method: "OPTIONS", target: "/orders", header: http.Header{"Origin": {"https://example.com"}, "Access-Control-Request-Method": {"POST"}}},
	}
	shapes := []struct {
		shape   gateway.Shape
		trigger event.Trigger
	}{
		{gateway.HTTPAPI, event.APIGatewayHTTP},
		{gateway.REST, event.APIGatewayREST},
		{gateway.ALBMultiValue, event.ALB},
	}
	for _, sh := range shapes {
		t.Run(string(sh.shape), func(t *testing.T) {
			tr := gateway.Translator{Shape: sh.shape, BinaryMediaTypes: []string{"application/octet-stream"}}
			ep, _ := start(t, local.Config{Translator: tr})
			for _, rq := range requests {
				resp, body := send(t, rq.method, ep.URL()+rq.target, rq.header, rq.body)
				if resp.StatusCode != 200 {
					t.Errorf("%s: status %d: %.200s", rq.name, resp.StatusCode, body)
					continue
				}
				if rq.target == "/size" {
					sum := sha256.Sum256(rq.body)
					if want := fmt.Sprintf(`{"bytes":%d,"sha256":"%x"}`, len(rq.body), sum); string(body) != want {
						t.Errorf("%s: handler saw %s, want %s", rq.name, body, want)
					}
					continue
				}
				ev, err := event.Parse(body)
				if err != nil {
					t.Errorf("%s: event.Parse of the received event: %v", rq.name, err)
					continue
				}
				if ev.Trigger != sh.trigger || ev.Method != rq.method {
					t.Errorf("%s: trigger %s method %s", rq.name, ev.Trigger, ev.Method)
				}
				if !bytes.Equal(ev.Body, rq.body) {
					t.Errorf("%s: body of %d bytes arrived as %d bytes", rq.name, len(rq.body), len(ev.Body))
				}
				var raw struct {
					IsBase64Encoded bool `json:"isBase64Encoded"`
				}
				_ = json.Unmarshal(body, &raw)
				shapeKey := sh.shape
				if shapeKey == gateway.ALBMultiValue {
					shapeKey = gateway.ALB
				}
				wantB64 := rq.wantBase64[shapeKey]
				if len(rq.body) > 0 && raw.IsBase64Encoded != wantB64 {
					t.Errorf("%s: isBase64Encoded %v, want %v", rq.name, raw.IsBase64Encoded, wantB64)
				}
				for name, values := range rq.header {
					lname := strings.ToLower(name)
					if lname == "cookie" {
						continue
					}
					if got := ev.Headers[lname]; strings.Join(got, ",") != strings.Join(values, ",") {
						t.Errorf("%s: header %s = %q, want %q", rq.name, lname, got, values)
					}
				}
				if rq.header.Get("Cookie") != "" {
					for name, want := range map[string]string{"session": "s3cr3t", "theme": "dark", "lang": "en"} {
						if got := ev.Cookies[name]; !slices.Equal(got, []string{want}) {
							t.Errorf("%s: cookie %s = %q", rq.name, name, got)
						}
					}
				}
				if rq.name == "get with repeated query keys" {
					wantIDs := []string{"1", "2"}
					if sh.shape == gateway.HTTPAPI {
						wantIDs = []string{"1,2"} // payload 2.0 joins repeated keys
					}
					if got := ev.Query["id"]; !slices.Equal(got, wantIDs) {
						t.Errorf("%s: query id = %q, want %q", rq.name, got, wantIDs)
					}
				}
			}
		})
	}
}

// TestConcurrentClients runs 50 clients against an endpoint that may scale
// to 4 environments: every one of the 400 requests must get its own
// answer, none lost, none crossed.
func TestConcurrentClients(t *testing.T) {
	ep, _ := start(t, local.Config{Concurrency: 4, QueueTimeout: 30 * time.Second})
	const clients, perClient = 50, 8
	type outcome struct {
		id     string
		status int
		echoed string
		err    error
	}
	results := make(chan outcome, clients*perClient)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	// A connection the transport dialled for a request another one served
	// sits idle and unused; the server's graceful shutdown waits five
	// seconds for such a connection before it gives up (CI saw that).
	defer client.CloseIdleConnections()
	start := time.Now()
	for c := range clients {
		go func() {
			for i := range perClient {
				id := fmt.Sprintf("client%02d-req%d-%s", c, i, strings.Repeat("x", c%5))
				resp, err := client.Get(ep.URL() + "/work?id=" + id)
				if err != nil {
					results <- outcome{id: id, err: err}
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var ev struct {
					Query map[string]string `json:"queryStringParameters"`
				}
				_ = json.Unmarshal(b, &ev)
				results <- outcome{id: id, status: resp.StatusCode, echoed: ev.Query["id"]}
			}
		}()
	}
	for range clients * perClient {
		o := <-results
		if o.err != nil || o.status != 200 || o.echoed != o.id {
			t.Errorf("request %s: status %d echoed %q err %v", o.id, o.status, o.echoed, o.err)
		}
	}
	if n := ep.Environments(); n < 1 || n > 4 {
		t.Errorf("%d environments, want 1..4", n)
	}
	t.Logf("%d requests from %d clients in %v over %d environments", clients*perClient, clients, time.Since(start), ep.Environments())
}
