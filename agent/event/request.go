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
// such events are walked generically (every string leaf with its path, see
// Request.Fields) and judged like any other, unless the policy's
// unknownTrigger says otherwise.
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
	// Pipes is an EventBridge Pipes batch: a top-level JSON array of the
	// source's records (SQS, Kinesis, DynamoDB, Kafka, MQ shapes, or
	// whatever an enrichment step produced).
	Pipes Trigger = "eventbridge-pipes"
	// Kafka covers Amazon MSK (eventSource aws:kafka) and self-managed
	// Kafka (SelfManagedKafka): records by topic-partition, base64 keys and
	// values, headers as byte arrays.
	Kafka Trigger = "kafka"
	// AmazonMQ covers ActiveMQ (aws:mq, "messages") and RabbitMQ (aws:rmq,
	// "rmqMessagesByQueue"), base64 message data.
	AmazonMQ Trigger = "amazon-mq"
	// AppSync is an AppSync direct Lambda resolver event (arguments,
	// request headers, identity), or a batch of them.
	AppSync Trigger = "appsync"
	// Cognito is a Cognito user-pool trigger (pre sign-up, pre
	// authentication, custom message...): user attributes, client
	// metadata and validation data are the user's input.
	Cognito Trigger = "cognito-user-pool"
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
	case SQS, SNS, S3, Kinesis, DynamoDBStreams, Pipes, Kafka, AmazonMQ:
		return true
	}
	return false
}

// ReportsBatchFailures reports whether the trigger's event source accepts a
// partial batch response ({"batchItemFailures":[{"itemIdentifier":...}]})
// when ReportBatchItemFailures is set on it: the records named are retried
// and end in the source's dead-letter queue or on-failure destination.
func (t Trigger) ReportsBatchFailures() bool {
	switch t {
	case SQS, Kinesis, DynamoDBStreams, Kafka, Pipes:
		return true
	}
	return false
}

// FailsWithError reports whether a blocked event of this trigger is
// answered with a function error (POST /error) rather than a response:
// its contract has no "rejected" response. Cognito denies the sign-up or
// sign-in, AppSync returns a GraphQL error, and an unknown trigger's
// caller at least learns that the invocation did not succeed.
func (t Trigger) FailsWithError() bool {
	switch t {
	case Unknown, AppSync, Cognito:
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
	// isBase64Encoded. It may share memory with the strings of the
	// Request: read it, never modify it.
	Body []byte

	// Records is set for record-list triggers (and EventBridge, as one record).
	Records []Record

	// Fields are the event's inputs that have no place above but reach the
	// handler all the same: path parameters, authorizer claims, the token
	// of an authorization header, query parameters or headers that a
	// forged event carries in one representation and not in another,
	// Cognito user attributes, and every string leaf of an event of an
	// unknown trigger. Each is judged like a header or query value.
	Fields []Field

	// TopKeys lists the top-level keys of an event of an unknown trigger
	// (for the decision record), in document order, each once.
	TopKeys []string

	// Canonical, when non-nil, is the payload the handler must receive
	// instead of the one Lambda delivered: the event repeated a top-level
	// key, and parsers disagree on which occurrence counts (Go, Python and
	// Node take the last; others the first or refuse). Parse judged the
	// last occurrence of each key; Canonical is the payload with the
	// earlier occurrences removed, so the handler reads exactly what was
	// judged.
	Canonical []byte

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
	// FailureID is the itemIdentifier that names this record in a partial
	// batch response (SQS messageId, Kinesis and DynamoDB sequence
	// numbers, Kafka topic-partition-offset), "" when the source has none.
	FailureID string
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
	PartRecord   // a record body or attribute in a batch trigger
	PartIdentity // authorizer claims and identity data the platform passes on
)

var partNames = [...]string{"unknown", "path", "query", "header", "cookie", "body", "record", "identity"}

// Field is one input of an event outside the request line, headers,
// cookies, body and records (see Request.Fields). It is still encoded as
// the event carries it: decode removes the encodings.
type Field struct {
	Part Part
	// Location is the dotted path of the value ("pathParameters.id",
	// "auth.jwt.email", "query.id", "event.detail.name").
	Location string
	// Key is the value's own name (the last element of Location).
	Key string
	// Text is the value; for IsKey fields, the name itself.
	Text string
	// IsKey reports that Text is an object key of the event, judged
	// because NoSQL operators and injected names live there.
	IsKey bool
}

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
	// KeyJudged reports that Key was yielded earlier in the same walk, in
	// the same part, as a name of its own (IsKey): it has been judged as
	// a name, and judging it again beside every value it names, and every
	// reading of each, would find nothing more.
	KeyJudged bool
}
