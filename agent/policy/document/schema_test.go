package document

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The published schema and the Go types must describe the same document:
// every field of every type is a property of the matching schema object,
// and the other way round.
func TestSchemaMatchesTypes(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(SchemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	pairs := []struct {
		typ reflect.Type
		ptr string
	}{
		{reflect.TypeOf(Config{}), ""},
		{reflect.TypeOf(BlockSpec{}), "/$defs/blockResponse"},
		{reflect.TypeOf(Detection{}), "/properties/detection"},
		{reflect.TypeOf(List{}), "/properties/lists/items"},
		{reflect.TypeOf(Rule{}), "/properties/rules/items"},
		{reflect.TypeOf(Condition{}), "/$defs/condition"},
		{reflect.TypeOf(Compare{}), "/$defs/compare"},
		{reflect.TypeOf(SigMatch{}), "/$defs/signalMatch"},
		{reflect.TypeOf(Action{}), "/$defs/action"},
		{reflect.TypeOf(SignalSpec{}), "/$defs/action/properties/addSignal"},
		{reflect.TypeOf(Exclusion{}), "/properties/exclusions/items"},
		{reflect.TypeOf(RouteSpec{}), "/properties/routes/items"},
		{reflect.TypeOf(ParamSpec{}), "/$defs/parameter"},
		{reflect.TypeOf(BodySpec{}), "/properties/routes/items/properties/body"},
		{reflect.TypeOf(OpenAPISpec{}), "/properties/openapi"},
		{reflect.TypeOf(RateLimitSpec{}), "/properties/rateLimits/items"},
		{reflect.TypeOf(ResponseCounterSpec{}), "/properties/responses/items"},
		{reflect.TypeOf(ErrorRatioSpec{}), "/properties/errorRatios/items"},
	}
	for _, p := range pairs {
		node := any(schema)
		for _, tok := range strings.Split(strings.TrimPrefix(p.ptr, "/"), "/") {
			if tok == "" {
				continue
			}
			node = node.(map[string]any)[tok]
		}
		obj, ok := node.(map[string]any)
		if !ok {
			t.Errorf("%s: no schema object at %q", p.typ.Name(), p.ptr)
			continue
		}
		props, _ := obj["properties"].(map[string]any)
		var fromSchema, fromType []string
		for k := range props {
			fromSchema = append(fromSchema, k)
		}
		for i := 0; i < p.typ.NumField(); i++ {
			name, _, _ := strings.Cut(p.typ.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fromType = append(fromType, name)
			}
		}
		slices.Sort(fromSchema)
		slices.Sort(fromType)
		if !slices.Equal(fromSchema, fromType) {
			t.Errorf("%s: schema %s has %v, type has %v", p.typ.Name(), p.ptr, fromSchema, fromType)
		}
		if obj["additionalProperties"] != false {
			t.Errorf("%s: schema %s must refuse unknown fields", p.typ.Name(), p.ptr)
		}
	}
}
