package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openapiModel holds what the OpenAPI import adds besides routes.
type openapiModel struct {
	unknownRoutes Outcome
	operations    int
}

// loadOpenAPI reads an OpenAPI 3.0 or 3.1 document (readOpenAPI) and turns
// every operation into a route of the positive model: method, path
// template, parameters (query, header, cookie, path) with their type,
// pattern, lengths, bounds and enums, and the JSON request body schema,
// compiled with the same JSON Schema validator as hand-written routes.
// External $refs are refused: the agent reads no other file or URL.
func loadOpenAPI(pr *problems, path []string, spec *OpenAPISpec, dir string) (*openapiModel, []*route) {
	file := spec.Path
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	data, err := readBounded(file)
	if err != nil {
		pr.add(at(path, "path"), "cannot read OpenAPI document: %v", err)
		return nil, nil
	}
	doc, bad := readOpenAPI(data)
	for _, pb := range bad {
		sep := ": "
		if pb.Line > 0 {
			sep = ":" // file:line:column: ...
		}
		pr.add(at(path, "path"), "invalid OpenAPI document %s%s%s", spec.Path, sep, pb)
	}
	if doc == nil {
		return nil, nil
	}

	m := &openapiModel{unknownRoutes: outcomeOf(spec.UnknownRoutes, Log)}
	unknown := outcomeOf(spec.UnknownParameters, Log)
	action := outcomeOf(spec.Action, Block)
	ops := doc.Operations
	// Literal segments before templated ones, so /users/me wins over
	// /users/{id}, as OpenAPI requires; then by path and method.
	sort.SliceStable(ops, func(i, j int) bool {
		ci, cj := strings.Count(ops[i].Path, "{"), strings.Count(ops[j].Path, "{")
		if ci != cj {
			return ci < cj
		}
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	var routes []*route
	for _, op := range ops {
		id := op.Method + " " + op.Path
		rp, err := compileRoute(id)
		if err != nil {
			pr.add(at(path, "path"), "OpenAPI path %q: %v", op.Path, err)
			continue
		}
		r := &route{id: id, pat: rp, known: map[string]bool{}, unknown: unknown, action: action}
		r.methods = map[string]bool{op.Method: true}
		for _, op := range op.Params {
			prm := paramFromOpenAPI(op)
			r.params = append(r.params, prm)
			if prm.where == "query" {
				r.known[prm.name] = true
			}
		}
		if b := op.Body; b != nil {
			bm := &bodyModel{required: b.Required}
			for _, ct := range b.ContentTypes {
				if ct == "*/*" {
					// Any content type: do not restrict it.
					bm.ctypes = nil
					break
				}
				bm.ctypes = append(bm.ctypes, ct)
			}
			if b.Schema != nil {
				s, err := compileOpenAPISchema(b, doc.V30)
				if err != nil {
					pr.add(at(path, "path"), "OpenAPI %s: request body schema %s: %v", id, b.SchemaAt, err)
				} else {
					bm.schema = s
				}
			}
			r.body = bm
		}
		routes = append(routes, r)
		m.operations++
	}
	return m, routes
}

// compileOpenAPISchema compiles a body schema read by readOpenAPI. Formats
// are asserted for OpenAPI 3.0, as its draft-04-based dialect does;
// 3.1's 2020-12 treats them as annotations.
func compileOpenAPISchema(b *oasBody, v30 bool) (*jsonschema.Schema, error) {
	raw, err := json.Marshal(b.Schema)
	if err != nil {
		return nil, err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := newSchemaCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if v30 {
		c.AssertFormat()
	}
	const url = "mem:///openapi.json"
	if err := c.AddResource(url, v); err != nil {
		return nil, b.locate(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, b.locate(err)
	}
	return s, nil
}

var defsKey = regexp.MustCompile(`/\$defs/(d[0-9]+)`)

// locate rewrites the $defs keys in a compilation error into the places
// in the OpenAPI document the schemas came from.
func (b *oasBody) locate(err error) error {
	msg := defsKey.ReplaceAllStringFunc(err.Error(), func(m string) string {
		if w, ok := b.where[strings.TrimPrefix(m, "/$defs/")]; ok {
			return " " + w + " "
		}
		return m
	})
	return fmt.Errorf("%s", msg)
}

// paramFromOpenAPI converts a parameter read from the document.
func paramFromOpenAPI(op *oasParam) *param {
	p := &param{
		where:    op.In,
		name:     op.Name,
		loc:      op.In + "." + op.Name,
		typ:      op.Type,
		required: op.Required || op.In == "path",
		minLen:   op.MinLength,
		maxLen:   op.MaxLength,
	}
	if op.Pattern != "" {
		// readOpenAPI compiled it already.
		p.re = regexp.MustCompile(op.Pattern)
	}
	if op.Minimum != nil {
		p.min, p.hasMin, p.minExcl = *op.Minimum, true, op.ExclusiveMinimum
	}
	if op.Maximum != nil {
		p.max, p.hasMax, p.maxExcl = *op.Maximum, true, op.ExclusiveMaximum
	}
	if op.Enum != nil {
		p.enum = make(map[string]bool, len(op.Enum))
		for _, e := range op.Enum {
			p.enum[e] = true
		}
	}
	return p
}
