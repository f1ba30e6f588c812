package telemetry

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// fullRecord sets every field, so that the parity test covers them all.
func fullRecord() Record {
	return Record{
		Level: "warn", Message: "lambdawaf decision", Kind: KindDecision, SchemaVersion: SchemaVersion,
		Time:      time.Date(2026, 11, 21, 23, 45, 0, 123456789, time.UTC),
		RequestID: "req-1", FunctionName: "orders", FunctionVersion: "$LATEST", AgentVersion: "v0.1.0",
		Trigger: "apigateway-http", Method: "POST", Route: "POST /orders", Decision: DecisionBlock, Mode: "block",
		StatusCode:     403,
		Signals:        []Signal{{Class: "sqli", Location: "body.q", Rule: "libinjection-sqli", Excerpt: "1' or '1'='1", Score: 9}},
		OmittedSignals: 4, OmittedReasons: 2, OmittedIssues: 36,
		RuleIDs: []string{"r1"}, Labels: []string{"attack"}, Reasons: []string{"signal:libinjection-sqli:block:sqli@body.q"},
		Shadow: []string{"rule:r2:block"}, InspectionMicros: 42, Source: "ip_0123456789abcdef", User: "usr_0123456789abcdef",
		PseudonymKey: KeySecret, Headers: map[string]string{"user-agent": "curl/8", "content-type": "application/json"},
		Query: map[string]string{"id": "[3 bytes]"}, Records: 3, BlockedRecords: []int{1, 2}, RecordsAction: "fail", EventKeys: []string{"detail"}, SampleRate: 0.5,
		Error: "boom", Skipped: "malformed", Config: "cfg-1",
		Bundle: "v7", ShadowBundle: "v8", ShadowDecision: "block", ShadowDiff: []string{"decision allow -> block"},
		Leaks: []Leak{{Kind: "card", Count: 2, Where: "body"}}, Action: "mask",
	}
}

// TestRecordMarshalParity checks that the zerolog encoding of a Record is
// exactly its encoding/json encoding: the JSON tags are the schema, and the
// fast path must not drift from them.
func TestRecordMarshalParity(t *testing.T) {
	rec := fullRecord()
	// Every field must be set, or the test covers less than it claims.
	v := reflect.ValueOf(rec)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Fatalf("fullRecord leaves %s unset", v.Type().Field(i).Name)
		}
	}
	var buf bytes.Buffer
	zl := zerolog.New(&buf)
	zl.Log().EmbedObject(RecordObject(&rec)).Send()
	var fromZerolog, fromJSON map[string]any
	if err := json.Unmarshal(buf.Bytes(), &fromZerolog); err != nil {
		t.Fatalf("zerolog line is not JSON: %v\n%s", err, buf.String())
	}
	b, _ := json.Marshal(rec)
	json.Unmarshal(b, &fromJSON)
	if !reflect.DeepEqual(fromZerolog, fromJSON) {
		t.Errorf("zerolog and encoding/json disagree:\nzerolog: %s\njson:    %s", buf.String(), b)
	}
	// Omitted-when-empty fields must be omitted by both.
	var empty Record
	buf.Reset()
	zl = zerolog.New(&buf)
	zl.Log().EmbedObject(RecordObject(&empty)).Send()
	fromZerolog, fromJSON = nil, nil
	json.Unmarshal(buf.Bytes(), &fromZerolog)
	b, _ = json.Marshal(empty)
	json.Unmarshal(b, &fromJSON)
	fromJSON["time"] = fromZerolog["time"] // zero time formats differ only in zone spelling
	if !reflect.DeepEqual(fromZerolog, fromJSON) {
		t.Errorf("empty record:\nzerolog: %s\njson:    %s", buf.String(), b)
	}
}

// TestSchemaDocumented checks that SCHEMA.md documents every JSON field.
func TestSchemaDocumented(t *testing.T) {
	doc := readSchemaDoc(t)
	for _, typ := range []reflect.Type{reflect.TypeOf(Record{}), reflect.TypeOf(Signal{}), reflect.TypeOf(Leak{})} {
		for i := 0; i < typ.NumField(); i++ {
			name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
			if !strings.Contains(doc, "`"+name+"`") {
				t.Errorf("SCHEMA.md does not document %s.%s (`%s`)", typ.Name(), typ.Field(i).Name, name)
			}
		}
	}
}
