package openapi

import (
	"mime"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

var jsonTypes = []string{"string", "number", "integer", "boolean", "array", "object", "null"}

var paramLocations = []string{"query", "header", "path", "cookie"}

// parameters reads a list of parameters, once however many path items
// share it (by a YAML alias).
func (r *reader) parameters(n *yaml.Node, path string) []*Param {
	n = deref(n)
	if n == nil {
		return nil
	}
	if ps, ok := r.params[n]; ok {
		return ps
	}
	r.params[n] = nil // a list that contains itself reads as empty
	if n.Kind != yaml.SequenceNode {
		r.addf(n, path, "expected a list of parameters, got %s", yamltree.KindName(n))
		return nil
	}
	var out []*Param
	seen := map[string]bool{}
	for i, c := range n.Content {
		prm := r.parameter(c, indexPath(path, i))
		if prm == nil {
			continue
		}
		key := prm.In + "." + prm.Name
		if seen[key] {
			r.addf(c, indexPath(path, i), "duplicate parameter %q in %s", prm.Name, prm.In)
			continue
		}
		seen[key] = true
		out = append(out, prm)
	}
	r.params[n] = out
	return out
}

func (r *reader) parameter(n *yaml.Node, path string) *Param {
	if r.exhausted(n) {
		return nil
	}
	n, path = r.follow(n, path)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.addf(n, path, "expected a parameter (a mapping), got %s", yamltree.KindName(n))
		return nil
	}
	name, ok1 := r.str(field(n, "name"), joinPath(path, "name"))
	in, ok2 := r.str(field(n, "in"), joinPath(path, "in"))
	if field(n, "name") == nil {
		r.addf(n, path, "missing required field \"name\"")
	}
	if field(n, "in") == nil {
		r.addf(n, path, "missing required field \"in\"")
	}
	if !ok1 || !ok2 {
		return nil
	}
	if name == "" {
		r.addf(field(n, "name"), joinPath(path, "name"), "a parameter needs a name")
		return nil
	}
	if !slices.Contains(paramLocations, in) {
		r.addf(field(n, "in"), joinPath(path, "in"), "expected one of %s, got %q", strings.Join(paramLocations, ", "), in)
		return nil
	}
	if in == "header" {
		name = strings.ToLower(name)
	}
	prm := &Param{In: in, Name: name, MaxLength: -1, Required: r.boolean(field(n, "required"), joinPath(path, "required"))}
	if in == "path" && !prm.Required {
		r.addf(n, path, "path parameter %q must be required: true", name)
	}
	if s := field(n, "schema"); s != nil {
		r.paramSchema(prm, s, joinPath(path, "schema"))
	}
	return prm
}

// paramSchema takes from a parameter's schema what a text value can be
// checked against: its type, pattern, lengths, bounds and enum.
// Composite schemas (allOf...) are not followed: their parts are not
// checked.
func (r *reader) paramSchema(prm *Param, n *yaml.Node, path string) {
	n, path = r.follow(n, path)
	if n == nil || n.Kind != yaml.MappingNode {
		if n != nil && !(n.Kind == yaml.ScalarNode && n.Tag == "!!bool") {
			r.addf(n, path, "expected a schema (a mapping), got %s", yamltree.KindName(n))
		}
		return
	}
	if t := field(n, "type"); t != nil {
		var types []string
		switch t.Kind {
		case yaml.ScalarNode:
			types = []string{t.Value}
		case yaml.SequenceNode:
			for _, c := range t.Content {
				types = append(types, deref(c).Value)
			}
		}
		for _, typ := range types {
			if !slices.Contains(jsonTypes, typ) {
				r.addf(t, joinPath(path, "type"), "expected one of %s, got %q", strings.Join(jsonTypes, ", "), typ)
			}
		}
		for _, want := range []string{"integer", "number", "boolean", "string"} {
			if slices.Contains(types, want) {
				prm.Type = want
				break
			}
		}
	}
	if p := field(n, "pattern"); p != nil {
		if s, ok := r.str(p, joinPath(path, "pattern")); ok {
			if _, err := regexp.Compile(s); err != nil {
				r.addf(p, joinPath(path, "pattern"), "invalid RE2 regular expression: %v", regexpProblem(err))
			} else {
				prm.Pattern = s
			}
		}
	}
	if v := field(n, "minLength"); v != nil {
		prm.MinLength, _ = r.integer(v, joinPath(path, "minLength"))
	}
	if v := field(n, "maxLength"); v != nil {
		if i, ok := r.integer(v, joinPath(path, "maxLength")); ok {
			prm.MaxLength = i
		}
	}
	bound := func(key, exclKey string, val **float64, excl *bool) {
		if v := field(n, key); v != nil {
			if f, ok := r.number(v, joinPath(path, key)); ok {
				*val = &f
			}
		}
		v := field(n, exclKey)
		if v == nil {
			return
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			// OpenAPI 3.0: a flag on minimum/maximum.
			*excl = r.boolean(v, joinPath(path, exclKey)) && *val != nil
			return
		}
		// OpenAPI 3.1 (JSON Schema 2020-12): the bound itself.
		if f, ok := r.number(v, joinPath(path, exclKey)); ok {
			if *val == nil || (key == "minimum" && f >= **val) || (key == "maximum" && f <= **val) {
				*val, *excl = &f, true
			}
		}
	}
	bound("minimum", "exclusiveMinimum", &prm.Minimum, &prm.ExclusiveMinimum)
	bound("maximum", "exclusiveMaximum", &prm.Maximum, &prm.ExclusiveMaximum)
	if e := field(n, "enum"); e != nil {
		if e.Kind != yaml.SequenceNode {
			r.addf(e, joinPath(path, "enum"), "expected a list, got %s", yamltree.KindName(e))
		} else {
			for _, c := range e.Content {
				c = deref(c)
				if c.Kind == yaml.ScalarNode && c.Tag != "!!null" {
					prm.Enum = append(prm.Enum, c.Value)
				}
			}
			if prm.Enum == nil {
				prm.Enum = []string{}
			}
		}
	}
}

func (r *reader) requestBody(n *yaml.Node, path string) *Body {
	n, path = r.follow(n, path)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.addf(n, path, "expected a request body (a mapping), got %s", yamltree.KindName(n))
		return nil
	}
	b := &Body{Required: r.boolean(field(n, "required"), joinPath(path, "required"))}
	content := field(n, "content")
	if content == nil {
		r.addf(n, path, "missing required field \"content\"")
		return b
	}
	cpath := joinPath(path, "content")
	schemas := map[string][2]*yaml.Node{} // media type → key, schema
	for _, kv := range r.entries(content, cpath) {
		mt, _, err := mime.ParseMediaType(kv[0].Value)
		if err != nil {
			r.addf(kv[0], joinPath(cpath, kv[0].Value), "invalid media type: %v", err)
			continue
		}
		b.ContentTypes = append(b.ContentTypes, mt)
		if s := field(kv[1], "schema"); s != nil {
			schemas[mt] = [2]*yaml.Node{kv[0], s}
		}
	}
	sort.Strings(b.ContentTypes)
	// The schema JSON bodies are validated against: application/json's,
	// else a +json type's. A range's (*/*) is not: it may well describe
	// bytes of any type (format: binary), not a JSON document.
	pick := ""
	for _, mt := range b.ContentTypes {
		if schemas[mt][1] == nil {
			continue
		}
		if mt == "application/json" {
			pick = mt
			break
		}
		if pick == "" && strings.HasSuffix(mt, "+json") {
			pick = mt
		}
	}
	if pick != "" {
		spath := joinPath(joinPath(cpath, schemas[pick][0].Value), "schema")
		if s := r.schema(schemas[pick][1], spath, spath); s != nil {
			b.Schema = s.name
		}
	}
	return b
}
