package gateway

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Translator turns HTTP requests into Lambda events of one shape and Lambda
// responses back into HTTP responses. The zero value imitates an HTTP API in
// us-east-1 with made-up identifiers; set the fields to match a real
// deployment when comparing with captured events.
type Translator struct {
	Shape Shape

	// Region, AccountID and APIID fill the identifiers the platform puts in
	// requestContext. APIID is also the Function URL id.
	Region    string
	AccountID string
	APIID     string
	// DomainName overrides the host name derived from the shape (for
	// example "abc123.execute-api.us-east-1.amazonaws.com"). It becomes the
	// Host header the function sees, as on AWS.
	DomainName string
	// Stage is the REST API stage ("dev" when empty). HTTP APIs and
	// Function URLs always use "$default".
	Stage string
	// BinaryMediaTypes lists the REST API's binary media types ("image/png",
	// "image/*", "*/*"). REST APIs base64-encode a body only when its
	// content type matches one of them.
	BinaryMediaTypes []string
	// TargetGroupARN is the ALB target group's ARN.
	TargetGroupARN string

	// Now and Random are the clock and the entropy source; nil means the
	// real ones. Tests set them to build reproducible events.
	Now    func() time.Time
	Random func(b []byte)
}

// Request is an incoming HTTP request with its body already read (bounded
// by the caller) and the client address the front door saw.
type Request struct {
	HTTP     *http.Request
	Body     []byte
	SourceIP string
}

// NewRequest reads nothing: it pairs r with body and derives the source IP
// from r.RemoteAddr, as the platform takes it from the TCP connection and
// never from client-supplied headers.
func NewRequest(r *http.Request, body []byte) *Request {
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	return &Request{HTTP: r, Body: body, SourceIP: ip}
}

// Event builds the event the shape's front door would send to the function
// for req, marshalled as JSON.
func (t *Translator) Event(req *Request) ([]byte, error) {
	var ev any
	switch t.shape() {
	case HTTPAPI, FunctionURL:
		ev = wireV2Event{APIGatewayV2HTTPRequest: t.v2Event(req)}
	case REST:
		rest := t.restEvent(req)
		w := wireRESTEvent{APIGatewayProxyRequest: rest, IsBase64Encoded: rest.IsBase64Encoded}
		if rest.Body != "" {
			w.Body = &rest.Body
		}
		ev = w
	case ALB, ALBMultiValue:
		ev = t.albEvent(req)
	default:
		return nil, fmt.Errorf("build event: unknown shape %q", t.Shape)
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("build %s event: %w", t.shape(), err)
	}
	return b, nil
}

func (t *Translator) shape() Shape {
	if t.Shape == "" {
		return HTTPAPI
	}
	return t.Shape
}

func (t *Translator) now() time.Time {
	if t.Now != nil {
		return t.Now().UTC()
	}
	return time.Now().UTC()
}

func (t *Translator) random(n int) []byte {
	b := make([]byte, n)
	if t.Random != nil {
		t.Random(b)
	} else {
		_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	}
	return b
}

func (t *Translator) region() string  { return cmpOr(t.Region, "us-east-1") }
func (t *Translator) account() string { return cmpOr(t.AccountID, "123456789012") }
func (t *Translator) stage() string   { return cmpOr(t.Stage, "dev") }
func (t *Translator) apiID() string {
	if t.APIID != "" {
		return t.APIID
	}
	if t.shape() == FunctionURL {
		return "lambdawaflocalfunctionurl0000000" // 32 characters, like a real url id
	}
	return "lwaflocal0"
}

// Domain returns the host name clients of this front door use.
func (t *Translator) Domain() string {
	if t.DomainName != "" {
		return t.DomainName
	}
	switch t.shape() {
	case FunctionURL:
		return t.apiID() + ".lambda-url." + t.region() + ".on.aws"
	case ALB, ALBMultiValue:
		return "lambdawaf-local-1234567890." + t.region() + ".elb.amazonaws.com"
	}
	return t.apiID() + ".execute-api." + t.region() + ".amazonaws.com"
}

func (t *Translator) targetGroupARN() string {
	if t.TargetGroupARN != "" {
		return t.TargetGroupARN
	}
	return "arn:aws:elasticloadbalancing:" + t.region() + ":" + t.account() + ":targetgroup/lambdawaf-local/0123456789abcdef"
}

// traceID builds an X-Ray trace header value like the ones the platforms add.
func (t *Translator) traceID(now time.Time) string {
	return fmt.Sprintf("Root=1-%08x-%s", now.Unix(), hex.EncodeToString(t.random(12)))
}

// requestTime formats a time as API Gateway's requestContext does
// ("21/Apr/2020:15:08:21 +0000").
func requestTime(now time.Time) string { return now.Format("02/Jan/2006:15:04:05 -0700") }

// hopByHop lists the headers that describe one connection rather than the
// request; the API Gateway front doors consume them, the ALB forwards
// Connection.
var hopByHop = map[string]bool{
	"connection":        true,
	"keep-alive":        true,
	"proxy-connection":  true,
	"te":                true,
	"trailer":           true,
	"transfer-encoding": true,
	"upgrade":           true,
}

// wireV2Event corrects how aws-lambda-go's type marshals: without mutual
// TLS the platform sends no requestContext.authentication, not an object of
// empty strings.
type wireV2Event struct {
	*events.APIGatewayV2HTTPRequest
	RequestContext wireV2Context `json:"requestContext"`
}

type wireV2Context struct {
	events.APIGatewayV2HTTPRequestContext
	Authentication *events.APIGatewayV2HTTPRequestContextAuthentication `json:"authentication,omitempty"`
}

func (w wireV2Event) MarshalJSON() ([]byte, error) {
	type plain wireV2Event // no MarshalJSON: avoids recursion
	p := plain(w)
	p.RequestContext.APIGatewayV2HTTPRequestContext = w.APIGatewayV2HTTPRequest.RequestContext
	return json.Marshal(p)
}

// wireRESTEvent corrects aws-lambda-go's omissions for REST events: the
// platform always sends isBase64Encoded, and a null body when there is none.
type wireRESTEvent struct {
	*events.APIGatewayProxyRequest
	Body            *string `json:"body"`
	IsBase64Encoded bool    `json:"isBase64Encoded"`
}

// header is one request header as the client sent it (name as Go's server
// canonicalised it), in arrival order.
type header struct {
	name   string
	values []string
}

// clientHeaders returns the request's headers in a stable order with the
// values the front door adds (Host, X-Forwarded-*, trace id) merged in.
func (t *Translator) clientHeaders(req *Request, now time.Time) []header {
	r := req.HTTP
	shape := t.shape()
	var hs []header
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		lower := strings.ToLower(name)
		if hopByHop[lower] && !(shape.isALB() && lower == "connection") {
			continue
		}
		switch lower {
		case "host", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto", "x-amzn-trace-id", "content-length":
			continue // rebuilt below, as the platform does
		}
		if shape.isV2() && lower == "cookie" {
			continue // payload 2.0 moves cookies to their own field
		}
		hs = append(hs, header{name: name, values: append([]string(nil), r.Header[name]...)})
	}

	host := t.Domain()
	if shape.isALB() && r.Host != "" {
		host = r.Host // the ALB forwards the Host the client asked for
	}
	xff := req.SourceIP
	if prior := r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		xff = strings.Join(prior, ", ") + ", " + req.SourceIP
	}
	proto, port := "https", "443"
	if shape.isALB() {
		proto, port = "http", "80"
	}
	hs = append(hs,
		header{name: "Host", values: []string{host}},
		header{name: "X-Amzn-Trace-Id", values: []string{t.traceID(now)}},
		header{name: "X-Forwarded-For", values: []string{xff}},
		header{name: "X-Forwarded-Port", values: []string{port}},
		header{name: "X-Forwarded-Proto", values: []string{proto}},
	)
	if shape.isV2() {
		hs = append(hs, header{name: "Content-Length", values: []string{strconv.Itoa(len(req.Body))}})
	}
	if shape == FunctionURL {
		hs = append(hs,
			header{name: "X-Amzn-Tls-Version", values: []string{"TLSv1.3"}},
			header{name: "X-Amzn-Tls-Cipher-Suite", values: []string{"TLS_AES_128_GCM_SHA256"}},
		)
	}
	return hs
}

// queryPair is one key=value of a query string, raw and decoded.
type queryPair struct {
	rawKey, rawValue string
	key, value       string
}

// splitQuery splits a raw query string the way the platforms do: on '&'
// only, '+' meaning space when decoding, undecodable escapes kept as sent.
func splitQuery(raw string) []queryPair {
	var pairs []queryPair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		pairs = append(pairs, queryPair{rawKey: k, rawValue: v, key: unescapeQuery(k), value: unescapeQuery(v)})
	}
	return pairs
}

func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func (t *Translator) v2Event(req *Request) *events.APIGatewayV2HTTPRequest {
	r := req.HTTP
	now := t.now()
	ev := &events.APIGatewayV2HTTPRequest{
		Version:        "2.0",
		RouteKey:       "$default",
		RawPath:        r.URL.EscapedPath(),
		RawQueryString: r.URL.RawQuery,
		Headers:        map[string]string{},
	}
	for _, c := range r.Header.Values("Cookie") {
		for part := range strings.SplitSeq(c, ";") {
			if part = strings.TrimSpace(part); part != "" {
				ev.Cookies = append(ev.Cookies, part)
			}
		}
	}
	for _, h := range t.clientHeaders(req, now) {
		ev.Headers[strings.ToLower(h.name)] = strings.Join(h.values, ",")
	}
	if pairs := splitQuery(r.URL.RawQuery); len(pairs) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for _, p := range pairs {
			if prev, ok := ev.QueryStringParameters[p.key]; ok {
				ev.QueryStringParameters[p.key] = prev + "," + p.value
			} else {
				ev.QueryStringParameters[p.key] = p.value
			}
		}
	}
	account := t.account()
	if t.shape() == FunctionURL && t.AccountID == "" {
		account = "anonymous" // what Function URLs with auth type NONE send
	}
	domain := t.Domain()
	ev.RequestContext = events.APIGatewayV2HTTPRequestContext{
		RouteKey:     "$default",
		AccountID:    account,
		Stage:        "$default",
		RequestID:    t.v2RequestID(),
		APIID:        t.apiID(),
		DomainName:   domain,
		DomainPrefix: strings.SplitN(domain, ".", 2)[0],
		Time:         requestTime(now),
		TimeEpoch:    now.UnixMilli(),
		HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
			Method:    r.Method,
			Path:      r.URL.Path,
			Protocol:  r.Proto,
			SourceIP:  req.SourceIP,
			UserAgent: r.Header.Get("User-Agent"),
		},
	}
	if len(req.Body) > 0 {
		ev.Body, ev.IsBase64Encoded = encodeBody(req.Body, isBinaryV2(r.Header))
	}
	return ev
}

// v2RequestID returns an id shaped like HTTP API request ids
// ("LV7fzho-PHcEJPw="); Function URLs use UUIDs.
func (t *Translator) v2RequestID() string {
	if t.shape() == FunctionURL {
		return t.uuid()
	}
	id := base64.StdEncoding.EncodeToString(t.random(10))
	return id[:7] + "-" + id[8:]
}

func (t *Translator) uuid() string {
	b := t.random(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (t *Translator) restEvent(req *Request) *events.APIGatewayProxyRequest {
	r := req.HTTP
	now := t.now()
	ev := &events.APIGatewayProxyRequest{
		Resource:   "/{proxy+}",
		Path:       r.URL.Path,
		HTTPMethod: r.Method,
	}
	for _, h := range t.clientHeaders(req, now) {
		if ev.Headers == nil {
			ev.Headers, ev.MultiValueHeaders = map[string]string{}, map[string][]string{}
		}
		ev.Headers[h.name] = h.values[len(h.values)-1] // the last value wins in "headers"
		ev.MultiValueHeaders[h.name] = h.values
	}
	if pairs := splitQuery(r.URL.RawQuery); len(pairs) > 0 {
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
		for _, p := range pairs {
			ev.QueryStringParameters[p.key] = p.value
			ev.MultiValueQueryStringParameters[p.key] = append(ev.MultiValueQueryStringParameters[p.key], p.value)
		}
	}
	if proxy := strings.TrimPrefix(r.URL.Path, "/"); proxy != "" {
		ev.PathParameters = map[string]string{"proxy": proxy}
	}
	domain := t.Domain()
	ev.RequestContext = events.APIGatewayProxyRequestContext{
		AccountID:         t.account(),
		ResourceID:        hex.EncodeToString(t.random(3)),
		Stage:             t.stage(),
		DomainName:        domain,
		DomainPrefix:      strings.SplitN(domain, ".", 2)[0],
		RequestID:         t.uuid(),
		ExtendedRequestID: strings.TrimRight(base64.StdEncoding.EncodeToString(t.random(10)), "=") + "=",
		Protocol:          r.Proto,
		Identity: events.APIGatewayRequestIdentity{
			SourceIP:  req.SourceIP,
			UserAgent: r.Header.Get("User-Agent"),
		},
		ResourcePath:     "/{proxy+}",
		Path:             "/" + t.stage() + r.URL.Path,
		HTTPMethod:       r.Method,
		RequestTime:      requestTime(now),
		RequestTimeEpoch: now.UnixMilli(),
		APIID:            t.apiID(),
	}
	if len(req.Body) > 0 {
		ev.Body, ev.IsBase64Encoded = encodeBody(req.Body, t.isBinaryREST(r.Header))
	}
	return ev
}

// albEvent builds the target group event. ALB passes query keys and values
// exactly as the client sent them (still URL-encoded) and, without
// multi-value headers, keeps the last of repeated headers and query keys.
func (t *Translator) albEvent(req *Request) *events.ALBTargetGroupRequest {
	r := req.HTTP
	now := t.now()
	multi := t.shape() == ALBMultiValue
	ev := &events.ALBTargetGroupRequest{
		HTTPMethod: r.Method,
		Path:       r.URL.EscapedPath(),
		RequestContext: events.ALBTargetGroupRequestContext{
			ELB: events.ELBContext{TargetGroupArn: t.targetGroupARN()},
		},
	}
	if multi {
		ev.MultiValueHeaders = map[string][]string{}
		ev.MultiValueQueryStringParameters = map[string][]string{}
	} else {
		ev.Headers = map[string]string{}
		ev.QueryStringParameters = map[string]string{}
	}
	for _, h := range t.clientHeaders(req, now) {
		name := strings.ToLower(h.name)
		if multi {
			ev.MultiValueHeaders[name] = append(ev.MultiValueHeaders[name], h.values...)
		} else {
			ev.Headers[name] = h.values[len(h.values)-1]
		}
	}
	for _, p := range splitQuery(r.URL.RawQuery) {
		if multi {
			ev.MultiValueQueryStringParameters[p.rawKey] = append(ev.MultiValueQueryStringParameters[p.rawKey], p.rawValue)
		} else {
			ev.QueryStringParameters[p.rawKey] = p.rawValue
		}
	}
	if len(req.Body) > 0 {
		ev.Body, ev.IsBase64Encoded = encodeBody(req.Body, isBinaryV2(r.Header))
	}
	return ev
}

// encodeBody returns the body as the event carries it: base64 when the
// front door treats it as binary, or when it is not valid UTF-8 and so
// cannot travel in a JSON string unchanged.
func encodeBody(body []byte, binary bool) (string, bool) {
	if binary || !utf8.Valid(body) {
		return base64.StdEncoding.EncodeToString(body), true
	}
	return string(body), false
}

// isBinaryV2 reports whether HTTP APIs, Function URLs and ALBs base64-encode
// a body with these headers: they pass text-like media types as text and
// everything else (including form posts and compressed bodies) as base64.
func isBinaryV2(h http.Header) bool {
	if ce := strings.TrimSpace(h.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		return true
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		return false // judged by its bytes: text when valid UTF-8
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true
	}
	return !isTextMediaType(mt)
}

func isTextMediaType(mt string) bool {
	if strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml") {
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/ecmascript",
		"application/x-javascript", "application/yaml", "application/x-yaml", "application/graphql":
		return true
	}
	return false
}

// isBinaryREST applies the REST API rule: binary only when the content
// type matches one of the API's binary media types.
func (t *Translator) isBinaryREST(h http.Header) bool {
	return matchesMediaType(t.BinaryMediaTypes, h.Get("Content-Type"))
}

// matchesMediaType reports whether contentType matches one of patterns
// ("image/png", "image/*", "*/*").
func matchesMediaType(patterns []string, contentType string) bool {
	if len(patterns) == 0 {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(contentType))
	}
	typ, _, _ := strings.Cut(mt, "/")
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "*/*" || p == mt || (strings.HasSuffix(p, "/*") && strings.TrimSuffix(p, "/*") == typ) {
			return true
		}
	}
	return false
}

func cmpOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
