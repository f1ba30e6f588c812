package openapi

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

// schemaObject is one schema object converted, with the schemas it refers to.
type schemaObject struct {
	name  string // its resource name: d0.json, d1.json...
	where string // a JSON pointer (#/components/schemas/Order) or a path
	node  *yaml.Node
	value any
	// loops are the $refs followed without consuming any of the instance
	// (through allOf, anyOf, oneOf, not, if/then/else, dependentSchemas):
	// a cycle of them would never end, so it is refused.
	loops []edge
}

type edge struct {
	to   *schemaObject
	line int
	col  int
	path string
}

type reader struct {
	root    *yaml.Node
	v30     bool
	problem []Problem
	b       *yamltree.Builder // JSON values, and the node budget for the document
	schemas map[*yaml.Node]*schemaObject
	order   []*schemaObject // schemas in the order they were converted
	params  map[*yaml.Node][]*Param
}

// Read takes the part of an OpenAPI 3.0 or 3.1 document the positive
// model needs — operations, their parameters and JSON request body schemas
// — straight from the YAML node tree, so every problem carries the line it
// is on. A general OpenAPI library would do more, but it costs the agent
// milliseconds of package initialisation at every cold start and reads
// much the positive model never looks at.
//
// $refs are resolved here, by JSON pointer into the same document; a $ref
// to another file or a URL is refused, because the agent reads nothing but
// the document it was given. Every schema object a body uses comes out as
// one JSON Schema 2020-12 resource (d0.json, d1.json...), converted once
// however many $refs lead to it, its $refs rewritten to the resources'
// names, and OpenAPI 3.0's dialect translated: nullable, the boolean forms
// of exclusiveMinimum/exclusiveMaximum, and $ref siblings, which 3.0
// ignores.
//
// Read reads an OpenAPI 3.0 or 3.1 document (YAML or JSON). It
// returns the document when there were no problems, else every problem
// found (up to maxProblems).
func Read(data []byte) (*Document, []Problem) {
	doc, syntaxErr := yamltree.Parse(data)
	if syntaxErr != nil {
		return nil, []Problem{{Line: syntaxErr.Line, Message: syntaxErr.Message}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, []Problem{{Message: "empty document"}}
	}
	r := &reader{
		root:    doc.Content[0],
		b:       &yamltree.Builder{},
		schemas: map[*yaml.Node]*schemaObject{},
		params:  map[*yaml.Node][]*Param{},
	}
	out := r.document()
	r.checkLoops()
	if out != nil {
		out.Schemas = make(map[string]any, len(r.order))
		out.SchemaAt = make(map[string]string, len(r.order))
		out.nodes = make(map[string]*yaml.Node, len(r.order))
		for _, s := range r.order {
			out.Schemas[s.name] = s.value
			out.SchemaAt[s.name] = s.where
			out.nodes[s.name] = s.node
		}
	}
	r.takeScratch()
	if len(r.problem) > 0 {
		if len(r.problem) > maxProblems {
			r.problem = append(r.problem[:maxProblems], Problem{Message: "too many problems; the rest are not shown"})
		}
		return nil, r.problem
	}
	return out, nil
}

func (r *reader) addf(n *yaml.Node, path, format string, args ...any) {
	pb := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		pb.Line, pb.Column = n.Line, n.Column
	}
	r.problem = append(r.problem, pb)
}

// takeScratch moves the tree builder's problems (duplicate keys, aliases,
// the node budget) into the reader's.
func (r *reader) takeScratch() {
	for _, f := range r.b.Problems() {
		path := ""
		for _, tok := range f.Path {
			if _, err := strconv.Atoi(tok); err == nil {
				path += "[" + tok + "]"
			} else {
				path = joinPath(path, tok)
			}
		}
		r.problem = append(r.problem, Problem{Line: f.Line, Column: f.Column, Path: path, Message: f.Message})
	}
}

// exhausted reports whether the node budget is spent (a hostile document:
// aliases expanding without end); the tree builder reports it once.
func (r *reader) exhausted(n *yaml.Node) bool {
	return r.spend(n, 1)
}

// spend counts k nodes against the budget at once.
func (r *reader) spend(n *yaml.Node, k int) bool {
	crossed, spent := r.b.Count(k)
	if crossed {
		r.addf(n, "", "document too large: more than %d values once aliases are expanded", yamltree.DefaultMaxNodes)
	}
	return spent
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// maxMerge bounds how deeply YAML merge keys (<<) may nest.
const maxMerge = 8

// entries returns a mapping's key/value pairs, with the pairs of merge
// keys (<<: *base) that are not set explicitly, reporting a node that is
// not a mapping and duplicate keys.
func (r *reader) entries(n *yaml.Node, path string) [][2]*yaml.Node {
	return r.mergedEntries(n, path, 0)
}

func (r *reader) mergedEntries(n *yaml.Node, path string, depth int) [][2]*yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" && depth == 0 {
			return nil
		}
		r.addf(n, path, "expected a mapping, got %s", yamltree.KindName(n))
		return nil
	}
	if depth > maxMerge {
		r.addf(n, path, "merge keys (<<) nested more than %d deep", maxMerge)
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(n.Content)/2)
	seen := make(map[string]bool, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.addf(k, path, "mapping keys must be strings")
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if seen[k.Value] {
			r.addf(k, joinPath(path, k.Value), "duplicate key")
			continue
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, v})
	}
	// Explicit keys win over merged ones; earlier merged mappings over
	// later ones.
	for _, m := range merges {
		m = deref(m)
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			for _, kv := range r.mergedEntries(src, path, depth+1) {
				if !seen[kv[0].Value] {
					seen[kv[0].Value] = true
					out = append(out, kv)
				}
			}
		}
	}
	return out
}

// field returns the value of key in mapping n (merge keys included),
// or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	return lookup(n, key, 0)
}

func lookup(n *yaml.Node, key string, depth int) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxMerge {
		return nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Tag == "!!merge" {
			merges = append(merges, n.Content[i+1])
		} else if k.Kind == yaml.ScalarNode && k.Value == key {
			return deref(n.Content[i+1])
		}
	}
	for _, m := range merges {
		m = deref(m)
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			if v := lookup(src, key, depth+1); v != nil {
				return v
			}
		}
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func (r *reader) str(n *yaml.Node, path string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.addf(n, path, "expected a string, got %s", yamltree.KindName(n))
		return "", false
	}
	return n.Value, true
}

func (r *reader) boolean(n *yaml.Node, path string) bool {
	if n == nil {
		return false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		r.addf(n, path, "expected true or false, got %s", yamltree.KindName(n))
	}
	return b
}

func (r *reader) integer(n *yaml.Node, path string) (int, bool) {
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil || i < 0 {
		r.addf(n, path, "expected a non-negative integer, got %s", yamltree.KindName(n))
		return 0, false
	}
	return i, true
}

func (r *reader) number(n *yaml.Node, path string) (float64, bool) {
	var f float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&f) != nil {
		r.addf(n, path, "expected a number, got %s", yamltree.KindName(n))
		return 0, false
	}
	return f, true
}

// document reads the top level: the version and the paths.
func (r *reader) document() *Document {
	root := deref(r.root)
	if root.Kind != yaml.MappingNode {
		r.addf(root, "", "expected a mapping (the OpenAPI object), got %s", yamltree.KindName(root))
		return nil
	}
	if field(root, "swagger") != nil && field(root, "openapi") == nil {
		r.addf(root, "swagger", "Swagger 2.0 documents are not supported: convert the document to OpenAPI 3")
		return nil
	}
	vn := field(root, "openapi")
	if vn == nil {
		r.addf(root, "", "missing required field \"openapi\" (the OpenAPI version, 3.0.x or 3.1.x)")
		return nil
	}
	doc := &Document{Version: vn.Value}
	switch {
	case vn.Kind == yaml.ScalarNode && (vn.Value == "3.0" || strings.HasPrefix(vn.Value, "3.0.")):
		doc.V30 = true
	case vn.Kind == yaml.ScalarNode && (vn.Value == "3.1" || strings.HasPrefix(vn.Value, "3.1.")):
	default:
		r.addf(vn, "openapi", "unsupported OpenAPI version %q: expected 3.0.x or 3.1.x", vn.Value)
		return nil
	}
	r.v30 = doc.V30
	paths := field(root, "paths")
	if paths == nil {
		if doc.V30 {
			r.addf(root, "", "missing required field \"paths\"")
		}
		return doc
	}
	for _, kv := range r.entries(paths, "paths") {
		p := kv[0].Value
		if strings.HasPrefix(p, "x-") {
			continue
		}
		ppath := joinPath("paths", p)
		if !strings.HasPrefix(p, "/") {
			r.addf(kv[0], ppath, "a path must start with /")
			continue
		}
		doc.Operations = append(doc.Operations, r.pathItem(p, kv[1], ppath)...)
	}
	return doc
}

// methods are the operations a path item may hold, in OpenAPI's order.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

var templateParam = regexp.MustCompile(`\{([^{}/]+)\}`)

func (r *reader) pathItem(p string, n *yaml.Node, path string) []*Operation {
	n, path = r.follow(n, path)
	if n == nil {
		return nil
	}
	common := r.parameters(field(n, "parameters"), joinPath(path, "parameters"))
	var ops []*Operation
	for _, kv := range r.entries(n, path) {
		meth := kv[0].Value
		if !slices.Contains(methods, meth) {
			continue
		}
		opath := joinPath(path, meth)
		on := deref(kv[1])
		if on.Kind != yaml.MappingNode {
			r.addf(on, opath, "expected an operation (a mapping), got %s", yamltree.KindName(on))
			continue
		}
		op := &Operation{Method: strings.ToUpper(meth), Path: p}
		// The operation's parameters override the path's, by location
		// and name.
		byLoc := map[string]*Param{}
		for _, prm := range common {
			byLoc[prm.In+"."+prm.Name] = prm
		}
		own := r.parameters(field(on, "parameters"), joinPath(opath, "parameters"))
		for _, prm := range own {
			byLoc[prm.In+"."+prm.Name] = prm
		}
		// Operations sharing parameter lists by YAML aliases are cheap to
		// write and dear to read: count their parameters.
		if r.spend(on, 1+len(common)+len(own)) {
			break
		}
		for _, prm := range byLoc {
			op.Params = append(op.Params, prm)
		}
		sort.Slice(op.Params, func(i, j int) bool {
			return op.Params[i].In+"."+op.Params[i].Name < op.Params[j].In+"."+op.Params[j].Name
		})
		// Every {param} of the template is a declared path parameter and
		// the other way round, as OpenAPI requires.
		inTemplate := map[string]bool{}
		for _, m := range templateParam.FindAllStringSubmatch(p, -1) {
			inTemplate[m[1]] = true
			if byLoc["path."+m[1]] == nil {
				r.addf(kv[0], opath, "path parameter {%s} is not declared in the parameters of the path or the operation", m[1])
			}
		}
		for _, prm := range op.Params {
			if prm.In == "path" && !inTemplate[prm.Name] {
				r.addf(kv[0], opath, "path parameter %q is declared but %s has no {%s}", prm.Name, p, prm.Name)
			}
		}
		if rb := field(on, "requestBody"); rb != nil {
			op.Body = r.requestBody(rb, joinPath(opath, "requestBody"))
		}
		ops = append(ops, op)
	}
	return ops
}
