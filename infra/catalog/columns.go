// Package catalog derives what the shared infra stack needs to know about
// the agent's output — the Glue columns of the decision-record table and the
// CloudWatch dashboard and alarm queries over its metrics — from the agent's
// own types and constants, so that the two cannot drift apart: rename a
// field of contract.Record or a metric constant and the table and the
// dashboard follow (and the tests in this package check that they do).
package catalog

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Column is one column of a Glue (Hive) table.
type Column struct {
	Name    string
	Type    string
	Comment string
}

// DecisionColumns are the columns of the decision-record table: one per
// JSON field of contract.Record, typed for the OpenX JSON SerDe.
func DecisionColumns() []Column {
	cols, err := Columns(reflect.TypeOf(contract.Record{}))
	if err != nil {
		// contract.Record is a fixed type; an error here is a programming
		// error that every test of this package reports.
		panic(err)
	}
	return cols
}

// PartitionKeys are the table's partitions: the UTC day, the first folder
// the Firehose stream writes (dt=<yyyy-MM-dd>/function=<name>/). The
// function folder below it is not a partition: Athena reads every
// function's objects under a day, and queries filter on the function_name
// column. A projected function partition would need either every
// function's name up front (enum) or an equality on it in every query
// (injected, which fails cross-function queries with CONSTRAINT_VIOLATION).
var PartitionKeys = []Column{
	{Name: "dt", Type: "string", Comment: "UTC day the records were delivered, yyyy-MM-dd"},
}

// Columns lists the Glue columns for the JSON fields of struct type t.
func Columns(t reflect.Type) ([]Column, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("columns of %v: not a struct", t)
	}
	var cols []Column
	for _, f := range fields(t) {
		typ, err := hiveType(f.typ)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.name, err)
		}
		cols = append(cols, Column{Name: f.name, Type: typ, Comment: "contract.Record." + f.goName})
	}
	return cols, nil
}

type jsonField struct {
	name, goName string
	typ          reflect.Type
}

// fields lists the exported fields of t under their JSON names, as
// encoding/json would marshal them.
func fields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, goName: f.Name, typ: f.Type})
	}
	return out
}

var timeType = reflect.TypeOf(time.Time{})

// hiveType maps a Go type to the Hive type the OpenX JSON SerDe reads its
// JSON encoding as. Times are RFC 3339 strings in the records, so they stay
// strings (Athena parses them with from_iso8601_timestamp).
func hiveType(t reflect.Type) (string, error) {
	if t == timeType {
		return "string", nil
	}
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint64:
		return "bigint", nil
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16:
		return "int", nil
	case reflect.Float32, reflect.Float64:
		return "double", nil
	case reflect.Pointer:
		return hiveType(t.Elem())
	case reflect.Slice, reflect.Array:
		elem, err := hiveType(t.Elem())
		if err != nil {
			return "", err
		}
		return "array<" + elem + ">", nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", fmt.Errorf("map key %v: JSON object keys are strings", t.Key())
		}
		elem, err := hiveType(t.Elem())
		if err != nil {
			return "", err
		}
		return "map<string," + elem + ">", nil
	case reflect.Struct:
		parts := make([]string, 0, t.NumField())
		for _, f := range fields(t) {
			typ, err := hiveType(f.typ)
			if err != nil {
				return "", fmt.Errorf("%s: %w", f.name, err)
			}
			parts = append(parts, f.name+":"+typ)
		}
		return "struct<" + strings.Join(parts, ",") + ">", nil
	}
	return "", fmt.Errorf("no Hive type for %v", t)
}
