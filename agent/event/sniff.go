package event

import (
	"bytes"
	"slices"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// shape is what one light pass over the top-level keys of an event reveals:
// enough to pick the one type to unmarshal it into.
type shape struct {
	records      bool   // "Records" array present
	recordSource string // eventSource / EventSource of the first record
	httpMethod   bool   // REST v1, WebSocket connect, ALB
	rawPath      bool   // HTTP API v2, Function URL
	latticeV1    bool   // raw_path (VPC Lattice v1 uses snake_case)
	method       bool   // VPC Lattice v2
	detailType   bool   // EventBridge
	detail       bool
	source       bool
	reqContext   bool
	version      string

	eventSource   string // top-level eventSource (Kafka, Amazon MQ)
	kafkaRecords  bool   // "records" object (Kafka)
	mqMessages    bool   // "messages" (ActiveMQ) or "rmqMessagesByQueue" (RabbitMQ)
	arguments     bool   // AppSync
	info          bool
	triggerSource bool // Cognito user-pool triggers
	userPoolID    bool

	array        bool // the event is a JSON array of objects (Pipes batch, AppSync batch)
	arrayAppSync bool // its first element has AppSync's arguments and info

	// keys are the top-level keys, each once, in document order, as
	// views of the payload: only an event of an unknown trigger needs them
	// as strings (topKeys), so the others never copy them.
	keys      [][]byte
	duplicate bool // a top-level key occurs more than once

	// caseSeen says that sniff read every key of the payload, and then
	// caseVariant is caseVariantKeys' answer (an event whose Records or
	// top-level array sniff reads only in part leaves it to a pass of
	// its own).
	caseSeen, caseVariant bool
}

// topKeys copies the top-level keys out of the payload, into one string
// they share.
func (sh shape) topKeys() []string {
	if len(sh.keys) == 0 {
		return nil
	}
	n := 0
	for _, k := range sh.keys {
		n += len(k)
	}
	var b strings.Builder
	b.Grow(n)
	for _, k := range sh.keys {
		b.Write(k)
	}
	all := b.String()
	out := make([]string, len(sh.keys))
	for i, k := range sh.keys {
		out[i], all = all[:len(k)], all[len(k):]
	}
	return out
}

// sniffDepth bounds the sniffer: it only ever looks two levels down.
const sniffDepth = 512

// sniff reads the top-level keys of payload without allocating, skipping
// every value except the few strings it needs. It returns a syntax error for
// malformed JSON only as far as it reads: the one full unmarshal that follows
// reports anything else.
func sniff(payload []byte, spans *jsonscan.Spans) (shape, error) {
	var sh shape
	var sc jsonscan.Scanner
	sc.Reset(payload, sniffDepth)
	sc.Share(spans)
	s := &sc
	t, err := s.Next()
	if err != nil {
		return sh, err
	}
	if t.Kind == jsonscan.ArrayStart {
		sh.array, sh.arrayAppSync, err = firstElement(s, payload)
		if err != nil {
			return sh, err
		}
		_, err := s.Next()
		return sh, err
	}
	if t.Kind != jsonscan.ObjectStart {
		// not an object: an unknown shape, if it is JSON at all
		if err := s.Skip(t); err != nil {
			return sh, err
		}
		_, err := s.Next()
		return sh, err
	}
	var stackBuf [8]caseObject
	var keysBuf [64][]byte
	ck := caseKeys{stack: stackBuf[:0], keys: keysBuf[:0]}
	ck = ck.see(t, payload)
	sh.caseSeen = true
	for {
		k, err := s.Next()
		if err != nil {
			return sh, err
		}
		if k.Kind == jsonscan.ObjectEnd {
			break
		}
		ck = ck.see(k, payload)
		key := payload[k.Start:k.End]
		if k.Escaped {
			key = jsonscan.AppendUnquote(nil, key)
		}
		if slices.ContainsFunc(sh.keys, func(k []byte) bool { return bytes.Equal(k, key) }) {
			sh.duplicate = true
		} else if len(sh.keys) < maxTopKeys {
			if sh.keys == nil {
				sh.keys = make([][]byte, 0, 16) // an API event has about a dozen
			}
			sh.keys = append(sh.keys, key)
		} else {
			sh.duplicate = true // too many to compare here: canonicalTopLevel decides
		}
		v, err := s.Next()
		if err != nil {
			return sh, err
		}
		switch string(key) {
		case "Records":
			sh.records = v.Kind == jsonscan.ArrayStart
			if sh.records {
				src, err := firstRecordSource(s, payload)
				if err != nil {
					return sh, err
				}
				sh.recordSource = src
				sh.caseSeen = false // nor did it read every key of it
				continue            // firstRecordSource consumed the array
			}
		case "httpMethod":
			sh.httpMethod = true
		case "rawPath":
			sh.rawPath = true
		case "raw_path":
			sh.latticeV1 = true
		case "method":
			sh.method = true
		case "detail-type":
			sh.detailType = true
		case "detail":
			sh.detail = true
		case "source":
			sh.source = true
		case "requestContext":
			sh.reqContext = true
		case "version":
			if v.Kind == jsonscan.String {
				sh.version = string(payload[v.Start:v.End])
			}
		case "eventSource":
			if v.Kind == jsonscan.String {
				sh.eventSource = string(payload[v.Start:v.End])
			}
		case "records":
			sh.kafkaRecords = v.Kind == jsonscan.ObjectStart
		case "messages", "rmqMessagesByQueue":
			sh.mqMessages = v.Kind == jsonscan.ArrayStart || v.Kind == jsonscan.ObjectStart
		case "arguments":
			sh.arguments = true
		case "info":
			sh.info = true
		case "triggerSource":
			sh.triggerSource = true
		case "userPoolId":
			sh.userPoolID = true
		}
		if ck, err = skipSeeing(s, v, payload, ck); err != nil {
			return sh, err
		}
	}
	if _, err := s.Next(); err != nil { // trailing data
		return sh, err
	}
	sh.caseVariant = sh.caseSeen && ck.found
	return sh, nil
}

// skipSeeing is s.Skip(t) showing c every token it passes.
func skipSeeing(s *jsonscan.Scanner, t jsonscan.Token, payload []byte, c caseKeys) (caseKeys, error) {
	if t.Kind != jsonscan.ObjectStart && t.Kind != jsonscan.ArrayStart {
		return c, nil
	}
	c = c.see(t, payload)
	depth := s.Depth() - 1
	for {
		tok, err := s.Next()
		if err != nil {
			return c, err
		}
		c = c.see(tok, payload)
		if (tok.Kind == jsonscan.ObjectEnd || tok.Kind == jsonscan.ArrayEnd) && s.Depth() == depth {
			return c, nil
		}
	}
}

// maxTopKeys bounds the top-level keys remembered; a duplicate among keys
// past it still counts, through a second pass (see canonicalTopLevel).
const maxTopKeys = 1024

// firstElement reads the first element of a top-level array (the scanner
// stands just inside it) and reports whether it is an object, and an
// AppSync resolver event (arguments and info), skipping the rest of the
// array.
func firstElement(s *jsonscan.Scanner, payload []byte) (object, appSync bool, err error) {
	args, info := false, false
	first := true
	for {
		t, err := s.Next()
		if err != nil {
			return false, false, err
		}
		if t.Kind == jsonscan.ArrayEnd {
			return object, args && info, nil
		}
		if !first || t.Kind != jsonscan.ObjectStart {
			first = false
			if err := s.Skip(t); err != nil {
				return false, false, err
			}
			continue
		}
		first, object = false, true
		for {
			k, err := s.Next()
			if err != nil {
				return false, false, err
			}
			if k.Kind == jsonscan.ObjectEnd {
				break
			}
			switch string(payload[k.Start:k.End]) {
			case "arguments":
				args = true
			case "info":
				info = true
			}
			v, err := s.Next()
			if err != nil {
				return false, false, err
			}
			if err := s.Skip(v); err != nil {
				return false, false, err
			}
		}
	}
}

// firstRecordSource reads the event source of the first element of the
// Records array (the scanner stands just inside it) and skips the rest of
// the array.
func firstRecordSource(s *jsonscan.Scanner, payload []byte) (string, error) {
	depth := s.Depth() // inside the array
	src := ""
	first := true
	for {
		t, err := s.Next()
		if err != nil {
			return "", err
		}
		if t.Kind == jsonscan.ArrayEnd && s.Depth() == depth-1 {
			return src, nil
		}
		if first && t.Kind == jsonscan.ObjectStart && s.Depth() == depth+1 {
			first = false
			for {
				k, err := s.Next()
				if err != nil {
					return "", err
				}
				if k.Kind == jsonscan.ObjectEnd {
					break
				}
				v, err := s.Next()
				if err != nil {
					return "", err
				}
				name := payload[k.Start:k.End]
				if v.Kind == jsonscan.String && (bytes.Equal(name, []byte("eventSource")) || bytes.Equal(name, []byte("EventSource"))) {
					src = string(payload[v.Start:v.End])
				}
				if err := s.Skip(v); err != nil {
					return "", err
				}
			}
			continue
		}
		first = false
		if err := s.Skip(t); err != nil {
			return "", err
		}
	}
}

// trigger names the trigger a sniffed shape belongs to, as far as the top
// level tells. The v1 family (REST, WebSocket, ALB) and the v2 family (HTTP
// API, Function URL) are told apart after unmarshalling, from
// requestContext.
func (sh shape) trigger() Trigger {
	switch {
	case sh.records:
		switch sh.recordSource {
		case "aws:sqs":
			return SQS
		case "aws:sns":
			return SNS
		case "aws:s3":
			return S3
		case "aws:kinesis":
			return Kinesis
		case "aws:dynamodb":
			return DynamoDBStreams
		}
		return Unknown
	case sh.array && sh.arrayAppSync:
		return AppSync
	case sh.array:
		return Pipes
	case sh.kafkaRecords && (sh.eventSource == "aws:kafka" || sh.eventSource == "SelfManagedKafka"):
		return Kafka
	case sh.mqMessages && (sh.eventSource == "aws:mq" || sh.eventSource == "aws:rmq"):
		return AmazonMQ
	case sh.arguments && sh.info:
		return AppSync
	case sh.triggerSource && sh.userPoolID:
		return Cognito
	case sh.rawPath && sh.reqContext:
		return APIGatewayHTTP
	case sh.httpMethod && sh.reqContext:
		return APIGatewayREST
	case sh.latticeV1:
		return VPCLatticeV1
	case sh.method && sh.version == "2.0":
		return VPCLatticeV2
	case sh.detailType && sh.source && sh.detail:
		return EventBridge
	case sh.reqContext:
		return APIGatewayWS // message/disconnect events carry no httpMethod
	}
	return Unknown
}
