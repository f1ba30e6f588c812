package openapi

import (
	"fmt"
	"regexp/syntax"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

// schema returns the converted schema object at n, converting it once
// however many $refs lead to it.
func (r *reader) schema(n *yaml.Node, where, path string) *schemaObject {
	n = deref(n)
	if s, ok := r.schemas[n]; ok {
		return s
	}
	s := &schemaObject{name: "d" + strconv.Itoa(len(r.order)) + ".json", where: where, node: n}
	r.schemas[n] = s // before converting: recursive schemas refer to it
	r.order = append(r.order, s)
	s.value = r.convert(s, n, path, 0, true)
	return s
}

// JSON Schema keywords, by what their values are. Keywords not listed are
// annotations or OpenAPI extensions with no effect on validation; they
// are left out of the converted schema.
var (
	schemaOne = map[string]bool{
		"not": true, "if": true, "then": true, "else": true, "items": true, "contains": true,
		"additionalProperties": true, "propertyNames": true, "unevaluatedItems": true,
		"unevaluatedProperties": true, "contentSchema": true,
	}
	schemaList = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true}
	schemaMap  = map[string]bool{"properties": true, "patternProperties": true, "dependentSchemas": true}
	// sameInstance keywords apply their subschemas to the instance itself.
	sameInstance = map[string]bool{
		"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true,
		"else": true, "dependentSchemas": true,
	}
	valueKeywords = map[string]bool{
		"type": true, "enum": true, "const": true, "required": true, "pattern": true, "format": true,
		"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
		"multipleOf": true, "minLength": true, "maxLength": true, "minItems": true, "maxItems": true,
		"uniqueItems": true, "minProperties": true, "maxProperties": true, "minContains": true,
		"maxContains": true, "dependentRequired": true,
	}
	unsupportedKeywords = map[string]bool{"$dynamicRef": true, "$recursiveRef": true}
)

// convert turns one schema node into the JSON data model, rewriting $refs
// to $defs keys and translating OpenAPI 3.0's dialect. same is true while
// the walk has not descended into a property or item of the instance.
func (r *reader) convert(s *schemaObject, n *yaml.Node, path string, depth int, same bool) any {
	n = deref(n)
	if r.exhausted(n) {
		return nil
	}
	if depth > maxSchemaDepth {
		r.addf(n, path, "schema nested more than %d levels deep", maxSchemaDepth)
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return n.Value == "true"
	}
	if n.Kind != yaml.MappingNode {
		r.addf(n, path, "expected a schema (a mapping), got %s", yamltree.KindName(n))
		return nil
	}
	out := map[string]any{}
	if ref := field(n, "$ref"); ref != nil {
		rpath := joinPath(path, "$ref")
		target, ptr := r.resolve(ref, rpath)
		if target != nil {
			t := r.schema(target, ptr, ptr)
			if same {
				s.loops = append(s.loops, edge{to: t, line: ref.Line, col: ref.Column, path: rpath})
			}
			out["$ref"] = t.name
		}
		if r.v30 {
			// OpenAPI 3.0: "properties added [next to $ref] SHALL be
			// ignored".
			return out
		}
	}
	nullable := false
	for _, kv := range r.entries(n, path) {
		k, v := kv[0].Value, kv[1]
		kpath := joinPath(path, k)
		switch {
		case k == "$ref":
		case k == "nullable" && r.v30:
			nullable = r.boolean(deref(v), kpath)
		case schemaOne[k]:
			if dv := deref(v); dv.Kind == yaml.SequenceNode {
				r.addf(dv, kpath, "expected a schema, got a list")
				continue
			}
			out[k] = r.convert(s, v, kpath, depth+1, same && sameInstance[k])
		case schemaList[k]:
			dv := deref(v)
			if dv.Kind != yaml.SequenceNode {
				r.addf(dv, kpath, "expected a list of schemas, got %s", yamltree.KindName(dv))
				continue
			}
			list := make([]any, len(dv.Content))
			for i, c := range dv.Content {
				list[i] = r.convert(s, c, indexPath(kpath, i), depth+1, same && sameInstance[k])
			}
			out[k] = list
		case schemaMap[k]:
			m := map[string]any{}
			for _, pkv := range r.entries(v, kpath) {
				m[pkv[0].Value] = r.convert(s, pkv[1], joinPath(kpath, pkv[0].Value), depth+1, same && sameInstance[k])
			}
			out[k] = m
		case valueKeywords[k]:
			out[k] = r.b.Tree(v, nil)
		case unsupportedKeywords[k]:
			r.addf(kv[0], kpath, "%s is not supported", k)
		}
	}
	// Request bodies need not carry readOnly properties (OpenAPI 3.0 and
	// 3.1 alike): they are not required here.
	if req, ok := out["required"].([]any); ok {
		if props := field(n, "properties"); props != nil {
			kept := make([]any, 0, len(req))
			for _, name := range req {
				if s, ok := name.(string); ok && r.readOnly(field(props, s)) {
					continue
				}
				kept = append(kept, name)
			}
			out["required"] = kept
		}
	}
	if r.v30 {
		return convert30(out, nullable)
	}
	return out
}

// convert30 translates what OpenAPI 3.0's schema dialect says differently
// from JSON Schema 2020-12.
func convert30(out map[string]any, nullable bool) any {
	for _, b := range [][2]string{{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}} {
		// 3.0: a flag making minimum/maximum strict; 2020-12: the bound.
		flag, isFlag := out[b[0]].(bool)
		if !isFlag {
			continue
		}
		delete(out, b[0])
		if bound, ok := out[b[1]]; ok && flag {
			out[b[0]] = bound
			delete(out, b[1])
		}
	}
	if !nullable {
		return out
	}
	// nullable: true adds null to the allowed values.
	_, composite := out["allOf"]
	for _, k := range []string{"anyOf", "oneOf", "not", "const"} {
		if _, ok := out[k]; ok {
			composite = true
		}
	}
	switch t := out["type"].(type) {
	case string:
		if !composite {
			out["type"] = []any{t, "null"}
			if e, ok := out["enum"].([]any); ok && !containsNil(e) {
				out["enum"] = append(e, nil)
			}
			return out
		}
	case []any:
		if !composite {
			if !containsAny(t, "null") {
				out["type"] = append(t, "null")
			}
			if e, ok := out["enum"].([]any); ok && !containsNil(e) {
				out["enum"] = append(e, nil)
			}
			return out
		}
	}
	// The schema first, so a failure is located inside it.
	return map[string]any{"anyOf": []any{out, map[string]any{"type": "null"}}}
}

func containsNil(s []any) bool {
	for _, v := range s {
		if v == nil {
			return true
		}
	}
	return false
}

func containsAny(s []any, v any) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// regexpProblem says what is wrong with a pattern the way RE2 does, without
// repeating the pattern's prefix that regexp.Compile adds.
func regexpProblem(err error) string {
	if se, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("%s in %q", se.Code, se.Expr)
	}
	return err.Error()
}
