package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// openapiModel holds what the OpenAPI import adds besides routes.
type openapiModel struct {
	unknownRoutes Outcome
	operations    int
}

// loadOpenAPI reads an OpenAPI 3 document with kin-openapi and turns every
// operation into a route of the positive model: method, path template,
// parameters (query, header, cookie, path) with their type, pattern,
// lengths, bounds and enums, and the application/json request body schema,
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
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		pr.add(at(path, "path"), "invalid OpenAPI document %s: %v", spec.Path, err)
		return nil, nil
	}
	if err := doc.Validate(context.Background()); err != nil {
		pr.add(at(path, "path"), "invalid OpenAPI document %s: %v", spec.Path, err)
		return nil, nil
	}
	// The raw document, for compiling body schemas by JSON pointer (so
	// $refs into components resolve exactly as written).
	var rawNode yaml.Node
	if err := yaml.Unmarshal(data, &rawNode); err != nil {
		pr.add(at(path, "path"), "invalid OpenAPI document %s: %v", spec.Path, err)
		return nil, nil
	}
	raw := toTree(&rawNode, nil, &problems{})
	rawJSON, err := json.Marshal(raw)
	if err != nil {
		pr.add(at(path, "path"), "cannot encode OpenAPI document: %v", err)
		return nil, nil
	}
	rawDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(rawJSON))
	if err != nil {
		pr.add(at(path, "path"), "cannot encode OpenAPI document: %v", err)
		return nil, nil
	}
	comp := newSchemaCompiler()
	if strings.HasPrefix(doc.OpenAPI, "3.0") {
		comp.DefaultDraft(jsonschema.Draft4)
	} else {
		comp.DefaultDraft(jsonschema.Draft2020)
	}
	const docURL = "mem:///openapi.json"
	if err := comp.AddResource(docURL, rawDoc); err != nil {
		pr.add(at(path, "path"), "cannot load OpenAPI schemas: %v", err)
		return nil, nil
	}

	m := &openapiModel{unknownRoutes: outcomeOf(spec.UnknownRoutes, Log)}
	unknown := outcomeOf(spec.UnknownParameters, Log)
	action := outcomeOf(spec.Action, Block)
	var routes []*route
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	// Literal segments before templated ones, so /users/me wins over
	// /users/{id}, as OpenAPI requires.
	sort.Slice(keys, func(i, j int) bool {
		ci, cj := strings.Count(keys[i], "{"), strings.Count(keys[j], "{")
		if ci != cj {
			return ci < cj
		}
		return keys[i] < keys[j]
	})
	for _, p := range keys {
		item := paths[p]
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for meth := range ops {
			methods = append(methods, meth)
		}
		sort.Strings(methods)
		for _, meth := range methods {
			op := ops[meth]
			rp, err := compileRoute(meth + " " + p)
			if err != nil {
				pr.add(at(path, "path"), "OpenAPI path %q: %v", p, err)
				continue
			}
			r := &route{id: meth + " " + p, pat: rp, known: map[string]bool{}, unknown: unknown, action: action}
			r.methods = map[string]bool{strings.ToUpper(meth): true}
			params := map[string]*openapi3.Parameter{}
			for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, ref := range ps {
					if ref == nil || ref.Value == nil {
						continue
					}
					params[ref.Value.In+"."+ref.Value.Name] = ref.Value
				}
			}
			names := make([]string, 0, len(params))
			for k := range params {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				prm := paramFromOpenAPI(params[k])
				if prm == nil {
					continue
				}
				r.params = append(r.params, prm)
				if prm.where == "query" {
					r.known[prm.name] = true
				}
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				bm := &bodyModel{required: rb.Value.Required}
				for ct := range rb.Value.Content {
					bm.ctypes = append(bm.ctypes, ct)
				}
				sort.Strings(bm.ctypes)
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					base := "#/paths/" + pointerEscape(p) + "/" + strings.ToLower(meth) + "/requestBody"
					if rb.Ref != "" && strings.HasPrefix(rb.Ref, "#/") {
						base = rb.Ref
					}
					ptr := base + "/content/" + pointerEscape("application/json") + "/schema"
					s, err := comp.Compile(docURL + ptr)
					if err != nil {
						pr.add(at(path, "path"), "OpenAPI %s %s: request body schema: %v", meth, p, err)
					} else {
						bm.schema = s
					}
				}
				r.body = bm
			}
			routes = append(routes, r)
			m.operations++
		}
	}
	return m, routes
}

func pointerEscape(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	s = strings.ReplaceAll(s, "/", "~1")
	return url.PathEscape(s)
}

// paramFromOpenAPI converts a parameter; unsupported locations are skipped.
func paramFromOpenAPI(op *openapi3.Parameter) *param {
	where := op.In
	name := op.Name
	switch where {
	case "query", "cookie", "path":
	case "header":
		name = strings.ToLower(name)
	default:
		return nil
	}
	p := &param{where: where, name: name, loc: where + "." + name, required: op.Required || where == "path", maxLen: -1}
	if op.Schema == nil || op.Schema.Value == nil {
		return p
	}
	s := op.Schema.Value
	if s.Type != nil {
		for _, t := range []string{"integer", "number", "boolean", "string"} {
			if s.Type.Is(t) {
				p.typ = t
				break
			}
		}
	}
	if s.Pattern != "" {
		if re, err := regexp.Compile(s.Pattern); err == nil {
			p.re = re
		}
	}
	p.minLen = int(s.MinLength)
	if s.MaxLength != nil {
		p.maxLen = int(*s.MaxLength)
	}
	if s.Min != nil {
		p.min, p.hasMin = *s.Min, true
	}
	if s.Max != nil {
		p.max, p.hasMax = *s.Max, true
	}
	if len(s.Enum) > 0 {
		p.enum = map[string]bool{}
		for _, e := range s.Enum {
			p.enum[fmt.Sprint(e)] = true
		}
	}
	return p
}
