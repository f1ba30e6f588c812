package openapi

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

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
