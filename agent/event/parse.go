package event

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unsafe"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// ErrMalformed is wrapped by every error Parse returns: the payload is not
// valid JSON, or a field has a type no AWS service sends. Callers fail open
// on it (and log it): the runtime sees the event unchanged.
var ErrMalformed = errors.New("malformed event")

// Parse detects the trigger of a raw Lambda event and normalises it into a
// Request.
//
// It reads the payload in one light pass over the top-level keys (no
// allocation) to pick the trigger, then unmarshals it once into a type
// holding only the fields lambdawaf judges. An event of a shape Parse does
// not recognise yields a Request with Trigger Unknown and no error, every
// string leaf and key of it in Fields ("event.<path>") and its top-level
// keys in TopKeys: it is judged generically, never passed unseen.
//
// An event that repeats a top-level key is canonicalised (see
// Request.Canonical); one with keys that differ only in letter case has
// every string judged as well, whatever the trigger.
//
// Parse keeps no reference to payload.
//
// What each trigger fills:
//
//   - API Gateway REST (v1) and WebSocket: Method, Path, Query (API Gateway
//     decodes it; RawQuery stays empty), Headers from multiValueHeaders when
//     present, Cookies from the Cookie header, SourceIP from
//     requestContext.identity.sourceIp, Route (resource or routeKey),
//     Claims: "claims.<name>" (Cognito user pools), "authorizer.<key>"
//     (Lambda authorizer context, principalId), "identity.<field>" (IAM
//     caller).
//   - HTTP API (v2) and Function URL: RawQuery from rawQueryString (what
//     decode walks), Query from queryStringParameters (repeated names
//     comma-joined, as API Gateway sends them), Cookies from the cookies
//     list, SourceIP from requestContext.http.sourceIp, Route from
//     routeKey, Claims: "jwt.<claim>", "jwt.scope", "lambda.<key>",
//     "iam.<field>". A domainName containing ".lambda-url." makes it a
//     Function URL.
//   - ALB: single- or multi-value mode (MultiValueHeaders says which),
//     RawQuery rebuilt from the still-encoded parameters, Query decoded
//     once, SourceIP from the last X-Forwarded-For entry (the one the ALB
//     appended; the first is whatever the client sent).
//   - VPC Lattice v1 (snake_case) and v2: query split off the path when
//     present, list-valued headers and parameters, SourceIP from the last
//     X-Forwarded-For entry, v2 Claims "identity.<field>".
//   - Record lists, one Record per element: SQS (body, message
//     attributes), SNS (message, subject, attributes), S3 (object key
//     URL-decoded, bucket, event name), Kinesis (data base64-decoded,
//     partition key), DynamoDB Streams (NewImage, else OldImage, as
//     attribute-value JSON text; Keys as the "keys" attribute).
//     EventBridge is one record: the detail JSON, with detail-type and
//     source as attributes.
func Parse(payload []byte) (*Request, error) {
	return parse(payload, new(jsonscan.Spans))
}

// parse is Parse; the scanners that read the whole payload (its shape,
// the typed reading of an HTTP event, the check of its keys) share
// spans, when it is not nil, so that the long strings of the payload (a
// body of megabytes, escape-dense when it is JSON or multipart) are
// scanned once, not three times.
func parse(payload []byte, spans *jsonscan.Spans) (*Request, error) {
	sh, err := sniff(payload, spans)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var canonical []byte
	if sh.duplicate {
		out, changed, err := canonicalTopLevel(payload)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if changed {
			canonical, payload = out, out
			if spans != nil {
				spans = new(jsonscan.Spans) // other bytes
			}
			if sh, err = sniff(payload, spans); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
			}
		}
	}
	req := &Request{Trigger: sh.trigger(), Canonical: canonical}
	switch req.Trigger {
	case APIGatewayREST, APIGatewayWS:
		err = parseV1(payload, req, spans)
	case APIGatewayHTTP:
		err = parseV2(payload, req, spans)
	case VPCLatticeV1:
		err = parseLatticeV1(payload, req)
	case VPCLatticeV2:
		err = parseLatticeV2(payload, req)
	case SQS:
		err = parseSQS(payload, req)
	case SNS:
		err = parseSNS(payload, req)
	case S3:
		err = parseS3(payload, req)
	case Kinesis:
		err = parseKinesis(payload, req)
	case DynamoDBStreams:
		err = parseDynamoDB(payload, req)
	case EventBridge:
		err = parseEventBridge(payload, req)
	case Pipes:
		err = parsePipes(payload, req)
	case Kafka:
		err = parseKafka(payload, req)
	case AmazonMQ:
		err = parseMQ(payload, req)
	case AppSync:
		err = parseAppSync(payload, req)
	case Cognito:
		err = parseCognito(payload, req)
	}
	if err == nil && req.Trigger == Unknown {
		// also reached by parseV1 for a shape it does not know
		err = parseUnknown(payload, req, sh)
	} else if err == nil && (sh.caseVariant || !sh.caseSeen && caseVariantKeys(payload, spans)) {
		// Two keys differing only in case: the handler may read the one
		// the typed reading above did not. Judge every string.
		req.Fields, _ = leafFields(req.Fields, PartBody, "event", payload)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s event: %w", ErrMalformed, req.Trigger, err)
	}
	return req, nil
}

// v1Event covers API Gateway REST (payload v1), WebSocket and ALB events:
// the three share the top-level layout and differ in requestContext.
type v1Event struct {
	Resource                        string          `json:"resource"`
	Path                            string          `json:"path"`
	HTTPMethod                      string          `json:"httpMethod"`
	Headers                         json.RawMessage `json:"headers"`
	MultiValueHeaders               headerMap       `json:"multiValueHeaders"`
	QueryStringParameters           json.RawMessage `json:"queryStringParameters"`
	MultiValueQueryStringParameters paramMap        `json:"multiValueQueryStringParameters"`
	PathParameters                  paramMap        `json:"pathParameters"`
	Body                            *string         `json:"body"`
	rawBody                         []byte          // see v2Scan.body
	IsBase64Encoded                 bool            `json:"isBase64Encoded"`
	RequestContext                  v1Context       `json:"requestContext"`
}

type v1Context struct {
	ELB          *albContext                      `json:"elb"`
	ResourcePath string                           `json:"resourcePath"`
	HTTPMethod   string                           `json:"httpMethod"`
	RouteKey     string                           `json:"routeKey"`
	ConnectionID string                           `json:"connectionId"`
	EventType    string                           `json:"eventType"`
	Identity     events.APIGatewayRequestIdentity `json:"identity"`
	Authorizer   json.RawMessage                  `json:"authorizer"`
}

type albContext struct {
	TargetGroupArn string `json:"targetGroupArn"`
}

func parseV1(payload []byte, req *Request, spans *jsonscan.Spans) error {
	var ev v1Event
	if !scanV1(payload, &ev, spans) {
		ev = v1Event{}
		if err := json.Unmarshal(payload, &ev); err != nil {
			return err
		}
	}
	rc := &ev.RequestContext
	switch {
	case rc.ELB != nil:
		req.Trigger = ALB
	case rc.ConnectionID != "":
		req.Trigger = APIGatewayWS
	case ev.HTTPMethod == "":
		// a requestContext but neither a load balancer, a WebSocket
		// connection nor a method: some other service's event
		req.Trigger = Unknown
		return nil
	default:
		req.Trigger = APIGatewayREST
	}
	req.Method = strings.ToUpper(ev.HTTPMethod)
	req.Path = ev.Path
	// REST APIs and multi-value ALBs send both forms. When AWS built the
	// event the multi-value one holds every value of the single one; a
	// forged event can put a value in one form only, and handlers read
	// either, so both are read and merged (multi-value values first).
	req.MultiValueHeaders = ev.MultiValueHeaders != nil
	h, err := readStringLists(ev.Headers, true)
	if err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	req.Headers = unionLists(ev.MultiValueHeaders, h)
	q, err := readStringLists(ev.QueryStringParameters, false)
	if err != nil {
		return fmt.Errorf("queryStringParameters: %w", err)
	}
	req.Query = unionLists(ev.MultiValueQueryStringParameters, q)
	switch req.Trigger {
	case ALB:
		// ALB passes query keys and values exactly as the client sent them
		// (still percent-encoded); keep that form in RawQuery so decoding
		// sees, and records, every layer.
		req.RawQuery = joinQuery(req.Query)
		req.Query = unescapeQuery(req.Query)
		req.SourceIP = balancerSourceIP(req)
	case APIGatewayWS:
		req.Route = rc.RouteKey
		req.SourceIP = rc.Identity.SourceIP
	default:
		req.Route = ev.Resource
		if req.Route == "" {
			req.Route = rc.ResourcePath
		}
		req.SourceIP = rc.Identity.SourceIP
	}
	var claims []Field
	req.Claims, claims = identityClaims(rc.Identity, rc.Authorizer)
	req.Cookies = cookiesFromHeaders(req.Headers, nil)
	req.Fields = append(mapFields(PartPath, "pathParameters", ev.PathParameters), claims...)
	req.Fields = append(req.Fields, contextCopies(req, "", "", rc.Identity.UserAgent, "requestContext.identity.userAgent")...)
	setContentHeaders(req)
	req.Body, err = bodyOf(ev.Body, ev.rawBody, ev.IsBase64Encoded)
	return err
}

// v2Event covers HTTP API (payload v2) and Function URL events.
type v2Event struct {
	Version               string    `json:"version"`
	RouteKey              string    `json:"routeKey"`
	RawPath               string    `json:"rawPath"`
	RawQueryString        string    `json:"rawQueryString"`
	Cookies               []string  `json:"cookies"`
	Headers               headerMap `json:"headers"`
	QueryStringParameters paramMap  `json:"queryStringParameters"`
	PathParameters        paramMap  `json:"pathParameters"`
	Body                  *string   `json:"body"`
	rawBody               []byte    // see v2Scan.body
	IsBase64Encoded       bool      `json:"isBase64Encoded"`
	RequestContext        v2Context `json:"requestContext"`
}

type v2Context struct {
	DomainName string        `json:"domainName"`
	HTTP       v2HTTP        `json:"http"`
	Authorizer *v2Authorizer `json:"authorizer"`
}

type v2HTTP struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

type v2Authorizer struct {
	JWT    *v2JWT                                                         `json:"jwt"`
	Lambda json.RawMessage                                                `json:"lambda"`
	IAM    *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription `json:"iam"`
}

type v2JWT struct {
	Claims json.RawMessage `json:"claims"`
	Scopes []string        `json:"scopes"`
}

// parseV2 reads an HTTP API or Function URL event: in one pass with
// jsonscan when the event has the shape AWS sends, else with
// encoding/json, which also produces the precise error for a malformed one.
func parseV2(payload []byte, req *Request, spans *jsonscan.Spans) error {
	var ev v2Event
	if !scanV2(payload, &ev, spans) {
		ev = v2Event{}
		if err := json.Unmarshal(payload, &ev); err != nil {
			return err
		}
	}
	return fillV2(&ev, req)
}

func fillV2(ev *v2Event, req *Request) error {
	rc := &ev.RequestContext
	if strings.Contains(rc.DomainName, ".lambda-url.") {
		req.Trigger = FunctionURL
	}
	req.Method = strings.ToUpper(rc.HTTP.Method)
	req.Path = ev.RawPath
	if req.Path == "" {
		req.Path = rc.HTTP.Path
	}
	req.RawQuery = ev.RawQueryString
	req.Route = ev.RouteKey
	req.SourceIP = rc.HTTP.SourceIP
	req.Headers = ev.Headers
	// HTTP API joins repeated parameters with commas; RawQuery keeps them
	// apart, and is what decode walks. A parameter that only
	// queryStringParameters carries (a forged event) is judged too.
	req.Query = ev.QueryStringParameters
	req.Fields = append(queryFields(req.RawQuery, req.Query), mapFields(PartPath, "pathParameters", ev.PathParameters)...)
	req.Fields = append(req.Fields, contextCopies(req, rc.HTTP.Path, "requestContext.http.path", rc.HTTP.UserAgent, "requestContext.http.userAgent")...)
	if a := rc.Authorizer; a != nil {
		c := claimSet{}
		if a.JWT != nil {
			c.flatJSON("jwt", a.JWT.Claims)
			if len(a.JWT.Scopes) > 0 {
				c.put("jwt.scope", strings.Join(a.JWT.Scopes, " "))
			}
		}
		c.flatJSON("lambda", a.Lambda)
		if iam := a.IAM; iam != nil {
			c.put("iam.userArn", iam.UserARN)
			c.put("iam.userId", iam.UserID)
			c.put("iam.accountId", iam.AccountID)
			c.put("iam.callerId", iam.CallerID)
			c.put("iam.principalOrgId", iam.PrincipalOrgID)
			c.put("iam.cognitoIdentityId", iam.CognitoIdentity.IdentityID)
		}
		req.Claims = c.m
		req.Fields = append(req.Fields, c.fields...)
	}
	req.Cookies = cookiesFromHeaders(req.Headers, ev.Cookies)
	setContentHeaders(req)
	var err error
	req.Body, err = bodyOf(ev.Body, ev.rawBody, ev.IsBase64Encoded)
	return err
}

type latticeV1Event struct {
	RawPath         string    `json:"raw_path"`
	Method          string    `json:"method"`
	Headers         headerMap `json:"headers"`
	Query           paramMap  `json:"query_string_parameters"`
	Body            *string   `json:"body"`
	IsBase64Encoded bool      `json:"is_base64_encoded"`
}

func parseLatticeV1(payload []byte, req *Request) error {
	var ev latticeV1Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Method = strings.ToUpper(ev.Method)
	req.Path, req.RawQuery, _ = strings.Cut(ev.RawPath, "?")
	req.Headers = ev.Headers
	req.Query = ev.Query
	req.SourceIP = balancerSourceIP(req)
	req.Cookies = cookiesFromHeaders(req.Headers, nil)
	setContentHeaders(req)
	var err error
	req.Body, err = bodyBytes(ev.Body, ev.IsBase64Encoded)
	return err
}

type latticeV2Event struct {
	Version         string    `json:"version"`
	Path            string    `json:"path"`
	Method          string    `json:"method"`
	Headers         headerMap `json:"headers"`
	Query           paramMap  `json:"queryStringParameters"`
	Body            *string   `json:"body"`
	IsBase64Encoded bool      `json:"isBase64Encoded"`
	RequestContext  struct {
		Identity json.RawMessage `json:"identity"`
	} `json:"requestContext"`
}

func parseLatticeV2(payload []byte, req *Request) error {
	var ev latticeV2Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Method = strings.ToUpper(ev.Method)
	req.Path, req.RawQuery, _ = strings.Cut(ev.Path, "?")
	req.Headers = ev.Headers
	req.Query = ev.Query
	c := claimSet{}
	c.flatJSON("identity", ev.RequestContext.Identity)
	req.Claims = c.m
	req.SourceIP = balancerSourceIP(req)
	req.Cookies = cookiesFromHeaders(req.Headers, nil)
	req.Fields = c.fields
	setContentHeaders(req)
	var err error
	req.Body, err = bodyBytes(ev.Body, ev.IsBase64Encoded)
	return err
}

func parseSQS(payload []byte, req *Request) error {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Records = make([]Record, len(ev.Records))
	for i, m := range ev.Records {
		r := Record{Index: i, ID: m.MessageId, FailureID: m.MessageId, Body: []byte(m.Body)}
		for name, a := range m.MessageAttributes {
			r.setAttr("messageAttributes."+name, sqsAttributeText(a))
		}
		req.Records[i] = r
	}
	return nil
}

func sqsAttributeText(a events.SQSMessageAttribute) string {
	switch {
	case a.StringValue != nil:
		return *a.StringValue
	case len(a.StringListValues) > 0:
		return strings.Join(a.StringListValues, ",")
	case a.BinaryValue != nil:
		return string(a.BinaryValue)
	}
	return ""
}

func parseSNS(payload []byte, req *Request) error {
	var ev struct {
		Records []struct {
			SNS struct {
				MessageID         string         `json:"MessageId"`
				Subject           string         `json:"Subject"`
				Message           string         `json:"Message"`
				MessageAttributes map[string]any `json:"MessageAttributes"`
			} `json:"Sns"`
		} `json:"Records"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Records = make([]Record, len(ev.Records))
	for i, rec := range ev.Records {
		m := rec.SNS
		r := Record{Index: i, ID: m.MessageID, Body: []byte(m.Message)}
		r.setAttr("subject", m.Subject)
		for name, a := range m.MessageAttributes {
			// {"Type": "String", "Value": "..."}
			if obj, ok := a.(map[string]any); ok {
				if v, ok := obj["Value"].(string); ok {
					r.setAttr("messageAttributes."+name, v)
				}
			}
		}
		req.Records[i] = r
	}
	return nil
}

func parseS3(payload []byte, req *Request) error {
	var ev struct {
		Records []struct {
			EventName string `json:"eventName"`
			S3        struct {
				Bucket struct {
					Name string `json:"name"`
				} `json:"bucket"`
				Object struct {
					Key       string `json:"key"`
					Sequencer string `json:"sequencer"`
				} `json:"object"`
			} `json:"s3"`
			ResponseElements map[string]string `json:"responseElements"`
		} `json:"Records"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Records = make([]Record, len(ev.Records))
	for i, rec := range ev.Records {
		key := rec.S3.Object.Key
		// S3 delivers keys form-encoded ('+' for space). A key that does
		// not decode is kept as delivered: it is still worth judging.
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		r := Record{Index: i, ID: rec.ResponseElements["x-amz-request-id"], Body: []byte(key)}
		if r.ID == "" {
			r.ID = rec.S3.Object.Sequencer
		}
		r.setAttr("bucket", rec.S3.Bucket.Name)
		r.setAttr("eventName", rec.EventName)
		req.Records[i] = r
	}
	return nil
}

func parseKinesis(payload []byte, req *Request) error {
	var ev events.KinesisEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Records = make([]Record, len(ev.Records))
	for i, rec := range ev.Records {
		// encoding/json has already base64-decoded Data ([]byte).
		r := Record{Index: i, ID: rec.EventID, FailureID: rec.Kinesis.SequenceNumber, Body: rec.Kinesis.Data}
		if r.ID == "" {
			r.ID = rec.Kinesis.SequenceNumber
		}
		r.setAttr("partitionKey", rec.Kinesis.PartitionKey)
		req.Records[i] = r
	}
	return nil
}

func parseDynamoDB(payload []byte, req *Request) error {
	var ev struct {
		Records []struct {
			EventID   string `json:"eventID"`
			EventName string `json:"eventName"`
			DynamoDB  struct {
				SequenceNumber string          `json:"SequenceNumber"`
				Keys           json.RawMessage `json:"Keys"`
				NewImage       json.RawMessage `json:"NewImage"`
				OldImage       json.RawMessage `json:"OldImage"`
			} `json:"dynamodb"`
		} `json:"Records"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Records = make([]Record, len(ev.Records))
	for i, rec := range ev.Records {
		// The images stay in DynamoDB's attribute-value JSON
		// ({"name":{"S":"..."}}): decode walks them as JSON text.
		img := image(rec.DynamoDB.NewImage, rec.DynamoDB.OldImage)
		r := Record{Index: i, ID: rec.EventID, FailureID: rec.DynamoDB.SequenceNumber, Body: img}
		if k := rec.DynamoDB.Keys; len(k) > 0 && string(k) != "null" {
			r.setAttr("keys", string(k))
		}
		r.setAttr("eventName", rec.EventName)
		req.Records[i] = r
	}
	return nil
}

func parseEventBridge(payload []byte, req *Request) error {
	var ev struct {
		ID         string          `json:"id"`
		DetailType string          `json:"detail-type"`
		Source     string          `json:"source"`
		Detail     json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	r := Record{Index: 0, ID: ev.ID, Body: ev.Detail}
	r.setAttr("detail-type", ev.DetailType)
	r.setAttr("source", ev.Source)
	req.Records = []Record{r}
	return nil
}

func (r *Record) setAttr(name, value string) {
	if value == "" {
		return
	}
	if r.Attributes == nil {
		r.Attributes = make(map[string]string, 2)
	}
	r.Attributes[name] = value
}

// bodyOf is bodyBytes for a body that the one-pass reader may have left
// in the payload (raw, a view of its unescaped bytes; see v2Scan.body):
// base64-decoded from there, or copied once.
func bodyOf(p *string, raw []byte, isBase64 bool) ([]byte, error) {
	if raw == nil {
		return bodyBytes(p, isBase64)
	}
	if !isBase64 {
		return bytes.Clone(raw), nil
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Decode(b, raw)
	if err != nil {
		raw = bytes.TrimRight(raw, "=")
		b = make([]byte, base64.RawStdEncoding.DecodedLen(len(raw)))
		if n, err = base64.RawStdEncoding.Decode(b, raw); err != nil {
			return nil, fmt.Errorf("base64 body: %w", err)
		}
	}
	return b[:n], nil
}

// bodyBytes returns the body, base64-decoded when the event says so. API
// Gateway and ALB use standard padded base64; unpadded input is accepted too.
func bodyBytes(p *string, isBase64 bool) ([]byte, error) {
	if p == nil {
		return nil, nil
	}
	body := *p
	if !isBase64 {
		if body == "" {
			return []byte{}, nil
		}
		// the body's bytes as they are: the string is Parse's own (a copy
		// of the payload or an unquoted copy), so no second copy of a body
		// of megabytes; Request.Body is read-only
		return unsafe.Slice(unsafe.StringData(body), len(body)), nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(body, "="))
		if err != nil {
			return nil, fmt.Errorf("base64 body: %w", err)
		}
	}
	return b, nil
}

// joinQuery rebuilds a raw query string from parameters that are still
// percent-encoded (ALB). Map order is random; the order of values under one
// name is kept.
func joinQuery(q map[string][]string) string {
	if len(q) == 0 {
		return ""
	}
	var b strings.Builder
	for k, vs := range q {
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(v)
		}
	}
	return b.String()
}

// unescapeQuery decodes ALB's still-encoded parameters once, so that Query
// means the same for every trigger. A name or value that does not decode is
// kept as it came.
func unescapeQuery(q map[string][]string) map[string][]string {
	if len(q) == 0 {
		return q
	}
	out := make(map[string][]string, len(q))
	for k, vs := range q {
		if d, err := url.QueryUnescape(k); err == nil {
			k = d
		}
		dv := make([]string, len(vs))
		for i, v := range vs {
			dv[i] = v
			if d, err := url.QueryUnescape(v); err == nil {
				dv[i] = d
			}
		}
		out[k] = append(out[k], dv...)
	}
	return out
}

// balancerSourceIP returns the client address as a load balancer (ALB,
// VPC Lattice) reports it: the last X-Forwarded-For entry. In ALB's
// default "append" mode a client that sends its own X-Forwarded-For gets
// its address appended after the ones it made up, so the first entry is
// whatever the client chose and must not key allowlists or rate limits.
// Deployments with trusted proxies in front of the balancer can walk
// Request.ForwardedFor themselves.
func balancerSourceIP(req *Request) string {
	hops := req.ForwardedFor()
	if len(hops) == 0 {
		return ""
	}
	return hops[len(hops)-1]
}

// setContentHeaders fills ContentType (media type only, lower-cased,
// parameters kept for decode: the multipart boundary lives there) and
// ContentEncoding.
func setContentHeaders(req *Request) {
	if v := req.Headers["content-type"]; len(v) > 0 {
		req.ContentType = v[0]
	}
	if v := req.Headers["content-encoding"]; len(v) > 0 {
		req.ContentEncoding = strings.ToLower(strings.TrimSpace(v[0]))
	}
}

// cookiesFromHeaders parses the Cookie header(s) and HTTP API's cookies
// list ("name=value" strings) into a map. Both are read: HTTP API moves
// the cookie header into the list, but a forged event can carry both, and
// frameworks read one or the other. A pair present in both is kept once.
// Malformed pairs are kept under their whole text as the name, so nothing
// escapes inspection.
func cookiesFromHeaders(h map[string][]string, list []string) map[string][]string {
	hv := h["cookie"]
	if len(hv) == 0 && len(list) == 0 {
		return nil
	}
	c := make(map[string][]string, len(list)+2)
	add := func(pair string, dedupe bool) {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			return
		}
		name, value, _ := strings.Cut(pair, "=")
		name = strings.TrimSpace(name)
		if dedupe && slices.Contains(c[name], value) {
			return
		}
		c[name] = append(c[name], value)
	}
	for _, pair := range list {
		add(pair, false)
	}
	for _, line := range hv {
		for pair := range strings.SplitSeq(line, ";") {
			add(pair, len(list) > 0)
		}
	}
	return c
}

// claimSet flattens authorizer and identity data to dotted string keys,
// for the policy (m, bounded) and for detection (fields, every one: a
// Lambda authorizer's context can echo request input, and JWT claims such
// as a name or an e-mail address are the user's own text).
type claimSet struct {
	m      map[string]string
	fields []Field
}

// maxClaims bounds what an authorizer context adds to Request.Claims; the
// Fields judged are bounded by decode's value limits instead, which never
// drop input silently.
const maxClaims = 256

func (c *claimSet) put(k, v string) {
	if v == "" {
		return
	}
	c.putAt(claimLocation+k, v)
}

// claimLocation prefixes the location of every claim: "auth." and the
// claim's dotted name.
const claimLocation = "auth."

// putAt is put with the location already built (claimLocation and the
// name), so that flattened JSON builds each name once.
func (c *claimSet) putAt(loc, v string) {
	if v == "" {
		return
	}
	k := loc[len(claimLocation):]
	if c.fields == nil {
		c.fields = make([]Field, 0, 8) // a JWT or authorizer context has a handful
	}
	c.fields = append(c.fields, Field{Part: PartIdentity, Location: loc, Key: lastName(k), Text: v})
	if c.m == nil {
		c.m = make(map[string]string, 8)
	}
	if len(c.m) < maxClaims {
		c.m[k] = v
	}
}

// identityClaims flattens REST/WebSocket identity and authorizer data:
// Cognito user-pool claims appear as "claims.<name>", Lambda authorizer
// context as "authorizer.<name>", caller identity as "identity.<field>".
func identityClaims(id events.APIGatewayRequestIdentity, authorizer json.RawMessage) (map[string]string, []Field) {
	c := claimSet{}
	c.put("identity.userArn", id.UserArn)
	c.put("identity.user", id.User)
	c.put("identity.caller", id.Caller)
	c.put("identity.accountId", id.AccountID)
	c.put("identity.cognitoIdentityId", id.CognitoIdentityID)
	c.put("identity.cognitoIdentityPoolId", id.CognitoIdentityPoolID)
	c.put("identity.cognitoAuthenticationProvider", id.CognitoAuthenticationProvider)
	c.put("identity.apiKeyId", id.APIKeyID)
	c.flatJSON("authorizer", authorizer)
	for k, v := range c.m {
		if rest, ok := strings.CutPrefix(k, "authorizer.claims."); ok {
			delete(c.m, k)
			c.m["claims."+rest] = v
		}
	}
	return c.m, c.fields
}
