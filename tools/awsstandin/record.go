package awsstandin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
)

// RecordEnv names the environment variable that holds the path of the
// JSON Lines file the plugin appends its records to. The engine starts the
// plugin with its own environment, so the test that runs the engine sets it.
const RecordEnv = "LAMBDAWAF_AWS_STANDIN_RECORD"

// Op is what the engine asked the plugin to do.
type Op string

// The operations recorded.
const (
	OpCheck  Op = "check"
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
	OpRead   Op = "read"
	OpInvoke Op = "invoke"
)

// Redacted replaces every secret value in a record: records land in files
// and test logs, and the agent key is a secret input.
const Redacted = "[secret]"

// Record is one operation on one resource (or one function invocation).
type Record struct {
	Op Op `json:"op"`
	// DryRun is true for a Create or Update the engine asked for during
	// a preview, where it only plans.
	DryRun bool `json:"dryRun,omitempty"`
	// Type is the resource type token ("aws:lambda/function:Function"),
	// or the function token for an invoke.
	Type string `json:"type"`
	// Name and URN are empty for an invoke.
	Name string `json:"name,omitempty"`
	URN  string `json:"urn,omitempty"`
	// Inputs are the resource's inputs (or the invoke's arguments) in
	// Pulumi's wire encoding, so that secrets (redacted) and unknowns
	// survive the round trip.
	Inputs *structpb.Struct `json:"-"`
}

// wireRecord is a Record on disk: the inputs as protobuf JSON.
type wireRecord struct {
	Op     Op              `json:"op"`
	DryRun bool            `json:"dryRun,omitempty"`
	Type   string          `json:"type"`
	Name   string          `json:"name,omitempty"`
	URN    string          `json:"urn,omitempty"`
	Inputs json.RawMessage `json:"inputs"`
}

// marshalOptions keep what a test asserts on: secrets (as markers),
// unknowns, assets and archives by path, resource references.
var marshalOptions = plugin.MarshalOptions{
	KeepUnknowns:       true,
	KeepSecrets:        true,
	KeepResources:      true,
	KeepOutputValues:   false,
	ComputeAssetHashes: false,
}

// NewRecord builds the record of op on a resource, redacting its secrets.
func NewRecord(op Op, dryRun bool, typ, name, urn string, inputs resource.PropertyMap) (Record, error) {
	s, err := plugin.MarshalProperties(redact(inputs), marshalOptions)
	if err != nil {
		return Record{}, fmt.Errorf("encoding the inputs of %s %s: %w", typ, name, err)
	}
	return Record{Op: op, DryRun: dryRun, Type: typ, Name: name, URN: urn, Inputs: s}, nil
}

// Properties are the record's inputs decoded, secrets (redacted) still
// marked secret and unknowns still unknown.
func (r Record) Properties() (resource.PropertyMap, error) {
	if r.Inputs == nil {
		return resource.PropertyMap{}, nil
	}
	pm, err := plugin.UnmarshalProperties(r.Inputs, marshalOptions)
	if err != nil {
		return nil, fmt.Errorf("decoding the inputs of %s %s: %w", r.Type, r.Name, err)
	}
	return pm, nil
}

// redact returns a copy of pm with every secret's value replaced by
// Redacted (the secret marker kept).
func redact(pm resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(pm))
	for k, v := range pm {
		out[k] = redactValue(v)
	}
	return out
}

func redactValue(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return resource.MakeSecret(resource.NewStringProperty(Redacted))
	case v.IsObject():
		return resource.NewObjectProperty(redact(v.ObjectValue()))
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]resource.PropertyValue, len(arr))
		for i, e := range arr {
			out[i] = redactValue(e)
		}
		return resource.NewArrayProperty(out)
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return resource.MakeSecret(resource.NewStringProperty(Redacted))
		}
		o.Element = redactValue(o.Element)
		return resource.NewOutputProperty(o)
	}
	return v
}

// Recorder appends records to a JSON Lines file, one line per record,
// safe for the engine's concurrent calls.
type Recorder struct {
	mu sync.Mutex
	w  io.Writer
}

// NewRecorder records to w.
func NewRecorder(w io.Writer) *Recorder { return &Recorder{w: w} }

// OpenRecorder appends to the file at path (created if absent): the
// engine may start the plugin more than once in a run.
func OpenRecorder(path string) (*Recorder, io.Closer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the record file: %w", err)
	}
	return NewRecorder(f), f, nil
}

// Record writes one record as a single line.
func (r *Recorder) Record(rec Record) error {
	inputs, err := protojson.Marshal(orEmpty(rec.Inputs))
	if err != nil {
		return fmt.Errorf("encoding the inputs of %s %s: %w", rec.Type, rec.Name, err)
	}
	line, err := json.Marshal(wireRecord{Op: rec.Op, DryRun: rec.DryRun, Type: rec.Type, Name: rec.Name, URN: rec.URN, Inputs: inputs})
	if err != nil {
		return fmt.Errorf("encoding the record of %s %s: %w", rec.Type, rec.Name, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("writing the record of %s %s: %w", rec.Type, rec.Name, err)
	}
	return nil
}

// ReadRecords reads every record of a JSON Lines file written by a
// Recorder, in the order they were written.
func ReadRecords(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var w wireRecord
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			return nil, fmt.Errorf("record %d: %w", n, err)
		}
		inputs := &structpb.Struct{}
		if err := protojson.Unmarshal(w.Inputs, inputs); err != nil {
			return nil, fmt.Errorf("record %d (%s %s): inputs: %w", n, w.Type, w.Name, err)
		}
		out = append(out, Record{Op: w.Op, DryRun: w.DryRun, Type: w.Type, Name: w.Name, URN: w.URN, Inputs: inputs})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading records: %w", err)
	}
	return out, nil
}

func orEmpty(s *structpb.Struct) *structpb.Struct {
	if s == nil {
		return &structpb.Struct{}
	}
	return s
}
