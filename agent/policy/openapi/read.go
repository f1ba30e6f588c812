// Package openapi reads the part of an OpenAPI 3.0 or 3.1 document that
// lambdawaf's positive model needs: operations, their parameters and JSON
// request body schemas, each problem located by line and column.
//
// Not a stable API: it exists for package policy.
package openapi

import (
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

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

// Limits on what one document may make the reader do.
const (
	// maxRefChain bounds a chain of $refs to $refs (a parameter that
	// is a $ref to a $ref...), so a cycle of them ends with a problem.
	maxRefChain = 32
	// maxSchemaDepth bounds how deeply schemas nest inside one another
	// (not counting $refs, which are gathered, not inlined).
	maxSchemaDepth = 64
	// maxProblems bounds the problems reported for one document.
	maxProblems = 50
)

// Document is what the positive model takes from an OpenAPI document.
type Document struct {
	// Version is the openapi field as written ("3.0.3", "3.1.0").
	Version string
	// V30 is true for OpenAPI 3.0 (its schema dialect is translated).
	V30        bool
	Operations []*Operation
	// Schemas are the converted schema objects, by resource name
	// (d0.json): each a JSON Schema 2020-12 document whose $refs name
	// other resources. Read only: bodies share them.
	Schemas map[string]any
	// SchemaAt maps a resource name back to where the schema is in the
	// document: a JSON pointer (#/components/schemas/Order) or, for an
	// inline schema, its path.
	SchemaAt map[string]string
	nodes    map[string]*yaml.Node // resource name → its source node
}

// Operation is one method on one path.
type Operation struct {
	Method string // upper case: GET, POST...
	Path   string // the template as written: /items/{id}
	// Params are the path-level parameters overridden by the
	// operation's own, sorted by location.
	Params []*Param
	Body   *Body
}

// Param is a parameter with the constraints of its schema that a
// single text value can be checked against.
type Param struct {
	In, Name string
	Required bool
	Type     string // integer, number, boolean, string or ""
	Pattern  string
	// MinLength and MaxLength bound the length; MaxLength -1: none.
	MinLength, MaxLength int
	Minimum, Maximum     *float64
	// ExclusiveMinimum/Maximum make the bounds strict.
	ExclusiveMinimum, ExclusiveMaximum bool
	Enum                               []string
}

// Body is a request body.
type Body struct {
	Required bool
	// ContentTypes are the declared media types, lower case, without
	// parameters, sorted.
	ContentTypes []string
	// Schema names the resource in Document.Schemas that JSON bodies
	// must satisfy; "" when none is declared.
	Schema string
}

// Problem is one problem in an OpenAPI document.
type Problem struct {
	Line, Column int
	Path         string // paths./orders.post.parameters[0].in; "" for the document
	Message      string
}

// In formats the problem as found in the named file: "api.yaml:12:7: ...".
func (p Problem) In(file string) string {
	if p.Line > 0 {
		return file + ":" + p.String()
	}
	return file + ": " + p.String()
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, "%d:", p.Column)
		}
		b.WriteString(" ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Position locates a place inside a converted schema (tokens into the
// resource) in the source: the line and column of the deepest node the
// tokens reach there (a converted schema may have places the source does
// not, such as the anyOf a 3.0 nullable becomes), and its path.
func (d *Document) Position(name string, tokens []string) Problem {
	where := d.SchemaAt[name]
	sep := "."
	if strings.HasPrefix(where, "#") {
		sep = "/"
	}
	n := d.nodes[name]
	pb := Problem{Path: where}
	if n != nil {
		pb.Line, pb.Column = n.Line, n.Column
	}
	for _, tok := range tokens {
		pb.Path += sep + tok
		if n == nil {
			continue
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			next = field(n, tok)
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = deref(n.Content[i])
			}
		}
		n = next
		if n != nil {
			pb.Line, pb.Column = n.Line, n.Column
		}
	}
	return pb
}

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

// follow resolves a chain of $refs (to a parameter, a request body, a path
// item) and returns the object it ends at and its location, or nil.
func (r *reader) follow(n *yaml.Node, path string) (*yaml.Node, string) {
	n = deref(n)
	seen := map[*yaml.Node]bool{}
	for i := 0; ; i++ {
		ref := field(n, "$ref")
		if ref == nil {
			return n, path
		}
		if seen[n] || i == maxRefChain {
			r.addf(ref, joinPath(path, "$ref"), "$ref cycle: the chain of $refs never reaches an object")
			return nil, ""
		}
		seen[n] = true
		target, ptr := r.resolve(ref, joinPath(path, "$ref"))
		if target == nil {
			return nil, ""
		}
		n, path = target, ptr
	}
}

// resolve finds the node a $ref points to; only JSON pointers into this
// document are followed. It returns the node and the pointer.
func (r *reader) resolve(ref *yaml.Node, path string) (*yaml.Node, string) {
	s, ok := r.str(ref, path)
	if !ok {
		return nil, ""
	}
	n, err := r.pointer(s)
	if err != nil {
		r.addf(ref, path, "%v", err)
		return nil, ""
	}
	return n, s
}

// pointer finds the node a $ref names.
func (r *reader) pointer(ref string) (*yaml.Node, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("external $ref %q refused: the agent reads no other file or URL; bundle the document into one file first", ref)
	}
	frag, err := url.PathUnescape(ref[1:])
	if err != nil {
		return nil, fmt.Errorf("$ref %q: invalid escape in the JSON pointer", ref)
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("$ref %q: only JSON pointers (#/components/...) are supported, not anchors", ref)
	}
	n := deref(r.root)
	if frag == "" {
		return n, nil
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			next = field(n, tok)
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = deref(n.Content[i])
			}
		}
		if next == nil {
			return nil, fmt.Errorf("$ref %q: no such location in the document", ref)
		}
		n = next
	}
	return n, nil
}

// readOnly reports whether a property's schema, or a schema its $refs
// lead to, says readOnly: true. Such a property is sent in responses
// only: a request body need not carry it, whatever required says.
func (r *reader) readOnly(n *yaml.Node) bool {
	for i := 0; n != nil && i < maxRefChain; i++ {
		if ro := field(n, "readOnly"); ro != nil && ro.Tag == "!!bool" && ro.Value == "true" {
			return true
		}
		ref := field(n, "$ref")
		if ref == nil || ref.Kind != yaml.ScalarNode {
			return false
		}
		n, _ = r.pointer(ref.Value) // a bad $ref is reported where it is converted
	}
	return false
}

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

// checkLoops refuses a cycle of $refs that consumes nothing of the
// instance (A: {allOf: [$ref: B]}, B: {$ref: A}): validating against it
// would never end.
func (r *reader) checkLoops() {
	const (
		visiting = 1
		done     = 2
	)
	state := make(map[*schemaObject]int, len(r.order))
	var visit func(s *schemaObject)
	visit = func(s *schemaObject) {
		state[s] = visiting
		for _, e := range s.loops {
			switch state[e.to] {
			case visiting:
				r.problem = append(r.problem, Problem{Line: e.line, Column: e.col, Path: e.path,
					Message: fmt.Sprintf("$ref cycle: %s refers back to itself without descending into a property or item", e.to.where)})
			case 0:
				visit(e.to)
			}
		}
		state[s] = done
	}
	for _, s := range r.order {
		if state[s] == 0 {
			visit(s)
		}
	}
}

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
