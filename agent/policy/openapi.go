package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema"

	"github.com/lambdawaf/lambdawaf/agent/policy/openapi"
)

// openapiModel holds what the OpenAPI import adds besides routes.
type openapiModel struct {
	unknownRoutes Outcome
	operations    int
}

// loadOpenAPI reads an OpenAPI 3.0 or 3.1 document (openapi.Read) and turns
// every operation into a route of the positive model: method, path
// template, parameters (query, header, cookie, path) with their type,
// pattern, lengths, bounds and enums, and the JSON request body schema,
// compiled with the same JSON Schema validator as hand-written routes.
// External $refs are refused: the agent reads no other file or URL.
func loadOpenAPI(pr *document.Problems, path []string, spec *document.OpenAPISpec, dir string) (*openapiModel, []*route) {
	file := spec.Path
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	data, err := document.Read(file)
	if err != nil {
		pr.Add(document.At(path, "path"), "cannot read OpenAPI document: %v", err)
		return nil, nil
	}
	doc, bad := openapi.Read(data)
	for _, pb := range bad {
		pr.Add(document.At(path, "path"), "invalid OpenAPI document %s", pb.In(spec.Path))
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
	var schemas *openapiSchemas
	if len(doc.Schemas) > 0 {
		if schemas, err = compileOpenAPISchemas(doc); err != nil {
			pr.Add(document.At(path, "path"), "cannot load OpenAPI schemas: %v", err)
			return nil, nil
		}
	}
	var routes []*route
	reported := map[string]bool{} // a bad schema is reported once, whoever uses it
	for _, op := range ops {
		id := op.Method + " " + op.Path
		rp, err := compileRoute(id)
		if err != nil {
			pr.Add(document.At(path, "path"), "OpenAPI path %q: %v", op.Path, err)
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
			if b.Schema != "" {
				s, err := schemas.compile(b.Schema)
				var se *schemaError
				switch {
				case errors.As(err, &se):
					if msg := se.In(spec.Path); !reported[msg] {
						reported[msg] = true
						pr.Add(document.At(path, "path"), "invalid OpenAPI document %s (the request body schema of %s)", msg, id)
					}
				case err != nil:
					pr.Add(document.At(path, "path"), "OpenAPI %s: request body schema %s: %v", id, doc.SchemaAt[b.Schema], err)
				default:
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

// openapiSchemas compiles the body schemas of one document. One compiler
// holds every schema object as a resource, so a schema several bodies
// refer to is compiled once, and an invalid one fails only the bodies
// that use it.
type openapiSchemas struct {
	c   *jsonschema.Compiler
	doc *openapi.Document
}

const openapiSchemaBase = "mem:///openapi/"

// compileOpenAPISchemas prepares the compiler. Formats are asserted for
// OpenAPI 3.0, as its draft-04-based dialect does; 3.1's 2020-12 treats
// them as annotations.
func compileOpenAPISchemas(doc *openapi.Document) (*openapiSchemas, error) {
	c := newSchemaCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if doc.V30 {
		c.AssertFormat()
	}
	for name, s := range doc.Schemas {
		// Round-trip through encoding/json so numbers have the types
		// the compiler expects.
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(openapiSchemaBase+name, v); err != nil {
			return nil, fmt.Errorf("%s: %w", doc.SchemaAt[name], err)
		}
	}
	return &openapiSchemas{c: c, doc: doc}, nil
}

// compile returns the compiled schema of a resource (openapi.Body.Schema).
func (o *openapiSchemas) compile(name string) (*jsonschema.Schema, error) {
	s, err := o.c.Compile(openapiSchemaBase + name)
	if err != nil {
		return nil, o.locate(err)
	}
	return s, nil
}

// schemaError is an invalid schema, located in the OpenAPI document.
type schemaError struct{ openapi.Problem }

func (e *schemaError) Error() string { return e.String() }

var schemaResource = regexp.MustCompile(regexp.QuoteMeta(openapiSchemaBase) + `(d[0-9]+\.json)#?`)

// locate turns a compilation error into a *schemaError at the place in the
// OpenAPI document where the first problem is; other errors have the
// resource names in their text replaced by where the schemas came from.
func (o *openapiSchemas) locate(err error) error {
	var sve *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if errors.As(err, &sve) && errors.As(sve.Err, &ve) {
		for len(ve.Causes) > 0 {
			ve = ve.Causes[0]
		}
		res, frag, _ := strings.Cut(strings.TrimPrefix(sve.URL, openapiSchemaBase), "#")
		if _, ok := o.doc.Schemas[res]; ok {
			var tokens []string
			for _, t := range strings.Split(frag, "/") {
				if t != "" {
					tokens = append(tokens, strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~"))
				}
			}
			pb := o.doc.Position(res, append(tokens, ve.InstanceLocation...))
			pb.Message = "invalid schema: " + document.Describe(ve.ErrorKind)
			return &schemaError{pb}
		}
	}
	msg := schemaResource.ReplaceAllStringFunc(err.Error(), func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m, openapiSchemaBase), "#")
		if w, ok := o.doc.SchemaAt[name]; ok {
			return w
		}
		return m
	})
	return errors.New(msg)
}

// paramFromOpenAPI converts a parameter read from the document.
func paramFromOpenAPI(op *openapi.Param) *param {
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
		// openapi.Read compiled it already.
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
