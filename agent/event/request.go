// Package event turns the JSON payload of a Lambda invocation into one
// request model, whatever the trigger that produced it, so that detection and
// policy judge an API Gateway REST call, an ALB request and an SQS message
// with the same code.
//
// Not a stable API: this package is lambdawaf's own code, importable by
// the repository's tests; only agent/contract and agent/redirect promise
// compatibility to other modules.
package event

// Trigger names the AWS service (and payload version) that produced an event.
type Trigger string

// The triggers lambdawaf recognises. Unknown covers every shape it does not;
// such events are passed through, never dropped.
const (
	Unknown         Trigger = "unknown"
	APIGatewayREST  Trigger = "apigateway-rest"      // API Gateway REST API, payload v1
	APIGatewayHTTP  Trigger = "apigateway-http"      // API Gateway HTTP API, payload v2
	APIGatewayWS    Trigger = "apigateway-websocket" // API Gateway WebSocket API
	ALB             Trigger = "alb"                  // Application Load Balancer (single- or multi-value)
	FunctionURL     Trigger = "function-url"         // Lambda Function URL (payload v2 shape)
	VPCLatticeV1    Trigger = "vpc-lattice-v1"
	VPCLatticeV2    Trigger = "vpc-lattice-v2"
	SQS             Trigger = "sqs"
	SNS             Trigger = "sns"
	EventBridge     Trigger = "eventbridge"
	S3              Trigger = "s3"
	Kinesis         Trigger = "kinesis"
	DynamoDBStreams Trigger = "dynamodb-streams"
)

// IsHTTP reports whether events of this trigger carry an HTTP request and
// expect an HTTP-shaped response object.
func (t Trigger) IsHTTP() bool {
	switch t {
	case APIGatewayREST, APIGatewayHTTP, APIGatewayWS, ALB, FunctionURL, VPCLatticeV1, VPCLatticeV2:
		return true
	}
	return false
}

// IsRecordList reports whether events of this trigger are batches of records
// that can be filtered one by one.
func (t Trigger) IsRecordList() bool {
	switch t {
	case SQS, SNS, S3, Kinesis, DynamoDBStreams:
		return true
	}
	return false
}

// Request is the trigger-independent model of one event.
//
// For HTTP triggers the fields describe the request as the platform received
// it; nothing is URL-decoded here except where the platform itself decoded
// it (API Gateway's queryStringParameters, for example). Record-list triggers
// fill Records instead and leave the HTTP fields empty.
type Request struct {
	Trigger Trigger

	Method   string // upper case, "" for non-HTTP triggers
	Path     string // raw path as received
	RawQuery string // raw query string without '?', "" when absent
	// Query holds the query parameters by name, decoded once: as the
	// platform delivers them where it decodes them (API Gateway), decoded
	// here where it does not (ALB). RawQuery, when set, is what decode
	// walks, so that every layer of encoding is seen and recorded.
	Query map[string][]string
	// Headers holds every header, names lower-cased, values in order.
	Headers map[string][]string
	// Cookies holds the request cookies by name.
	Cookies map[string][]string
	// SourceIP is the client address as the platform saw it (API Gateway's
	// requestContext identity/http sourceIp; for ALB and VPC Lattice the
	// last X-Forwarded-For hop, the one the balancer added: earlier hops
	// are client-supplied, see ForwardedFor).
	SourceIP string
	// Claims holds authorizer and identity claims flattened to strings
	// (JWT claims, Lambda authorizer context, Cognito identity, IAM user ARN).
	Claims map[string]string
	// Route is the route the platform matched (routeKey, resource template),
	// "" when unknown.
	Route string
	// ContentType is the body's media type from the content-type header.
	ContentType string
	// ContentEncoding is the content-encoding header, lower-cased.
	ContentEncoding string
	// Body is the request body, already base64-decoded when the event said
	// isBase64Encoded.
	Body []byte

	// Records is set for record-list triggers (and EventBridge, as one record).
	Records []Record

	// MultiValueHeaders reports that the event carried multiValueHeaders
	// (API Gateway REST always does; ALB only in multi-value mode). An ALB
	// in multi-value mode ignores a response's "headers", so block
	// responses must use multiValueHeaders too.
	MultiValueHeaders bool
}

// Record is one message of a batch trigger.
type Record struct {
	Index int    // position in the batch, used to remove it
	ID    string // messageId, eventID, sequence number: whatever identifies it
	// Body is the record's payload: an SQS body, an SNS message, Kinesis data
	// (base64-decoded), a DynamoDB NewImage as JSON, an S3 object key.
	Body []byte
	// Attributes holds string metadata worth judging (message attributes,
	// subject, S3 key, EventBridge detail-type and source).
	Attributes map[string]string
}

// Part says which part of a request a value came from; detectors use it to
// guess the value's likely sink.
type Part uint8

// The parts of a request.
const (
	PartUnknown Part = iota
	PartPath
	PartQuery
	PartHeader
	PartCookie
	PartBody
	PartRecord // a record body or attribute in a batch trigger
)

var partNames = [...]string{"unknown", "path", "query", "header", "cookie", "body", "record"}

func (p Part) String() string {
	if int(p) < len(partNames) {
		return partNames[p]
	}
	return "unknown"
}

// Value is one leaf value after every transport encoding has been removed,
// with the path that locates it in the request.
type Value struct {
	Part Part
	// Location is the dotted path of the value: "query.id", "path",
	// "header.user-agent", "cookie.session", "body.user.name",
	// "body.items[2].sku", "records[3].body.sku".
	Location string
	// Key is the value's own name (the last element of Location), or "".
	// Keys are judged too: NoSQL operators and injected parameter names live
	// there.
	Key string
	// Text is the decoded value.
	Text string
	// Record is the index of the batch record the value came from, or -1.
	Record int
	// Decoded lists the transport encodings removed to reach Text, outermost
	// first ("base64", "url", "url", "json"), for evidence and for detectors
	// that treat multiply-encoded input as suspicious.
	Decoded []string
	// IsKey reports that Text is a name (a JSON object key, a query or form
	// parameter name, a cookie name), yielded as a value of its own because
	// NoSQL operators and injected parameter names live there.
	IsKey bool
}
