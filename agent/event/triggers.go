package event

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file reads the triggers whose payloads are not HTTP requests nor
// the classic Records lists: EventBridge Pipes, Kafka, Amazon MQ, AppSync,
// Cognito user-pool triggers, and anything unrecognised. Where a field is
// known to carry the payload (a message body, base64 data) it becomes the
// record's Body, decoded; everything else the event carries as text is
// judged too, as Record attributes or Fields, located by its JSON path.

// decodeData base64-decodes a payload the way Lambda's consumers do
// (standard alphabet, padded); data that does not decode is judged as it
// came, never skipped.
func decodeData(s string) []byte {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b
	}
	if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err == nil {
		return b
	}
	return []byte(s)
}

// members reads a record object's members by their exact names, as
// handlers index them (record["body"]); a repeated name keeps its last
// value, as Python's and JavaScript's parsers do. (encoding/json matches
// struct fields case-insensitively, so a record with both "body" and
// "Body" would be read differently from the handler.)
func members(raw []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// str returns the string member name of m, or nil when it is absent or
// not a string.
func str(m map[string]json.RawMessage, name string) *string {
	raw, ok := m[name]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil
	}
	return &s
}

// leafAttributes adds every string leaf of the members of a record object
// to r's attributes, except the members in skip (read as the Body).
func (r *Record) leafAttributes(m map[string]json.RawMessage, skip ...string) error {
	for name, v := range m {
		if slices.Contains(skip, name) {
			continue
		}
		fs, ok := leafFields(nil, PartRecord, name, v)
		if !ok {
			return fmt.Errorf("member %q is not valid JSON", name)
		}
		for _, f := range fs {
			if f.IsKey {
				continue // names are part of the attribute's name
			}
			r.addAttr(f.Location, f.Text)
		}
	}
	return nil
}

// addAttr is setAttr for names that may repeat (array elements): later
// values get their own name rather than replacing earlier ones.
func (r *Record) addAttr(name, value string) {
	if value == "" {
		return
	}
	if _, taken := r.Attributes[name]; taken {
		for i := 2; ; i++ {
			n := name + "#" + strconv.Itoa(i)
			if _, taken := r.Attributes[n]; !taken {
				name = n
				break
			}
		}
	}
	r.setAttr(name, value)
}

// eachRecord parses the records of a batch event of trigger t (see
// recordArrays) one by one: read fills the Record from the record
// object's members and returns the members it read as the Body; every
// other string of the record becomes an attribute. A record that is not
// an object is judged whole, as its Body, when lenient (Pipes: an
// enrichment step or input transformer can produce anything), else it
// makes the event malformed.
func eachRecord(payload []byte, req *Request, t Trigger, lenient bool, read func(m map[string]json.RawMessage, r *Record) (skip []string)) error {
	elems, err := recordElements(payload, t)
	if err != nil {
		return err
	}
	req.Records = make([]Record, len(elems))
	for i, raw := range elems {
		r := &req.Records[i]
		r.Index = i
		m, err := members(raw)
		if err != nil {
			if !lenient {
				return fmt.Errorf("record %d: %w", i, err)
			}
			r.Body = raw
			continue
		}
		if err := r.leafAttributes(m, read(m, r)...); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	return nil
}

// parsePipes reads an EventBridge Pipes batch: a JSON array of the
// source's records, each as the source describes it. Known shapes give
// their payload as Body (SQS body, Kinesis/MQ data and Kafka values
// base64-decoded, DynamoDB images); every other string of the record is an
// attribute. Partial batch responses name SQS records by messageId,
// Kinesis records by sequenceNumber, DynamoDB records by
// dynamodb.SequenceNumber.
func parsePipes(payload []byte, req *Request) error {
	return eachRecord(payload, req, Pipes, true, func(m map[string]json.RawMessage, r *Record) (skip []string) {
		for _, name := range []string{"body", "data", "value"} {
			if v := str(m, name); v != nil {
				r.Body, skip = []byte(*v), []string{name}
				if name != "body" {
					r.Body = decodeData(*v)
				}
				break
			}
		}
		var ddb struct {
			SequenceNumber string          `json:"SequenceNumber"`
			NewImage       json.RawMessage `json:"NewImage"`
			OldImage       json.RawMessage `json:"OldImage"`
		}
		if raw, ok := m["dynamodb"]; ok && json.Unmarshal(raw, &ddb) == nil && skip == nil {
			r.Body = image(ddb.NewImage, ddb.OldImage)
		}
		for _, id := range []*string{str(m, "messageId"), str(m, "sequenceNumber"), &ddb.SequenceNumber} {
			if id != nil && *id != "" {
				r.ID, r.FailureID = *id, *id
				break
			}
		}
		return skip
	})
}

// image picks a DynamoDB stream record's NewImage, else its OldImage, as
// attribute-value JSON text, or nil.
func image(newImage, oldImage json.RawMessage) []byte {
	img := newImage
	if len(img) == 0 || string(img) == "null" {
		img = oldImage
	}
	if string(img) == "null" {
		return nil
	}
	return img
}

// parseKafka reads an MSK or self-managed Kafka event: records grouped by
// "topic-partition", each with a base64 key and value and headers as
// arrays of byte values. A partial batch response names a record
// "topic-partition-offset".
func parseKafka(payload []byte, req *Request) error {
	return eachRecord(payload, req, Kafka, false, func(m map[string]json.RawMessage, r *Record) []string {
		if topic := str(m, "topic"); topic != nil {
			r.ID = *topic + "-" + string(m["partition"]) + "-" + string(m["offset"])
			r.FailureID = r.ID
		}
		if v := str(m, "value"); v != nil {
			r.Body = decodeData(*v)
		}
		if k := str(m, "key"); k != nil {
			r.setAttr("key", string(decodeData(*k)))
		}
		return []string{"key", "value"}
	})
}

// parseMQ reads an Amazon MQ event: ActiveMQ "messages" or RabbitMQ
// "rmqMessagesByQueue", each message's base64 data as Body and every other
// string (properties, RabbitMQ basicProperties and headers) as
// attributes. Amazon MQ has no partial batch response.
func parseMQ(payload []byte, req *Request) error {
	return eachRecord(payload, req, AmazonMQ, false, func(m map[string]json.RawMessage, r *Record) []string {
		if id := str(m, "messageID"); id != nil {
			r.ID = *id
		}
		if v := str(m, "data"); v != nil {
			r.Body = decodeData(*v)
		}
		return []string{"data"}
	})
}

// appSyncEvent is what parseAppSync reads of a direct Lambda resolver
// event; the rest is judged generically.
type appSyncEvent struct {
	Arguments json.RawMessage `json:"arguments"`
	Request   struct {
		Headers headerMap `json:"headers"`
	} `json:"request"`
}

// parseAppSync reads an AppSync resolver event: the GraphQL arguments as
// a JSON body, the request headers as headers (cookies from them), and
// every other string (source, identity claims, info.variables, stash,
// prev) as Fields. A batch (BatchInvoke) is a JSON array of such events:
// each is one Record, judged whole, and a block fails the whole
// invocation.
func parseAppSync(payload []byte, req *Request) error {
	if len(payload) > 0 && firstByte(payload) == '[' {
		var batch []json.RawMessage
		if err := json.Unmarshal(payload, &batch); err != nil {
			return err
		}
		req.Records = make([]Record, len(batch))
		for i, raw := range batch {
			req.Records[i] = Record{Index: i, Body: raw}
		}
		return nil
	}
	var ev appSyncEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	req.Headers = ev.Request.Headers
	req.Cookies = cookiesFromHeaders(req.Headers, nil)
	if v := req.Headers["x-forwarded-for"]; len(v) > 0 {
		hops := req.ForwardedFor()
		req.SourceIP = hops[len(hops)-1]
	}
	req.ContentType = "application/json"
	if len(ev.Arguments) > 0 && string(ev.Arguments) != "null" {
		req.Body = []byte(ev.Arguments)
	}
	return topLevelFields(payload, req, "arguments", "request")
}

// parseCognito reads a Cognito user-pool trigger event: the user name and
// everything under "request" (user attributes, validation data, client
// metadata, the code parameter of custom messages) are the user's input.
func parseCognito(payload []byte, req *Request) error {
	var ev struct {
		UserName string          `json:"userName"`
		Request  json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	if ev.UserName != "" {
		req.Fields = append(req.Fields, Field{Part: PartBody, Location: "userName", Key: "userName", Text: ev.UserName})
	}
	var ok bool
	req.Fields, ok = leafFields(req.Fields, PartBody, "request", ev.Request)
	if !ok {
		return fmt.Errorf("request is not valid JSON")
	}
	return nil
}

// parseUnknown judges an event of no recognised trigger generically: every
// string leaf and every key, located by its JSON path under "event", and
// the top-level keys for the decision record.
func parseUnknown(payload []byte, req *Request, sh shape) error {
	req.TopKeys = sh.topKeys()
	var ok bool
	req.Fields, ok = leafFields(req.Fields, PartBody, "event", payload)
	if !ok {
		return fmt.Errorf("event is not valid JSON")
	}
	return nil
}

// topLevelFields adds the string leaves of every top-level member of an
// object payload except those in skip, as Fields located by their path.
func topLevelFields(payload []byte, req *Request, skip ...string) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(payload, &members); err != nil {
		return err
	}
	for name, v := range members {
		if slices.Contains(skip, name) {
			continue
		}
		var ok bool
		req.Fields, ok = leafFields(req.Fields, PartBody, name, v)
		if !ok {
			return fmt.Errorf("member %q is not valid JSON", name)
		}
	}
	return nil
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// ParseGeneric reads payload as an event of an unknown trigger, for an
// event Parse refused as malformed: every string leaf and key read before
// the first syntax error, as Fields, and the top-level keys. Handlers
// parse leniently (Python accepts NaN, a typed field of the wrong type
// fails only the handler that reads it), so a malformed event is judged,
// never passed unseen; the caller adds the verdict on the malformation.
func ParseGeneric(payload []byte) *Request {
	req := &Request{Trigger: Unknown}
	sh, _ := sniff(payload, nil)
	req.TopKeys = sh.topKeys()
	req.Fields, _ = leafFields(nil, PartBody, "event", payload)
	return req
}
