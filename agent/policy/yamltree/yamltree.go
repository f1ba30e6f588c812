// Package yamltree turns a YAML node tree into the JSON data model
// (map[string]any, []any, string, int64, float64, bool, nil) while keeping
// what a user needs to fix the document: every duplicate key, non-string
// key and self-referencing alias is reported with its line and column, and
// a node budget stops a "billion laughs" document before it exhausts
// memory. The configuration loader (package policy) and the OpenAPI reader
// (package openapi) both read documents through it.
//
// Not a stable API: it exists for lambdawaf's own packages.
package yamltree

import (
	"fmt"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// DefaultMaxNodes bounds the nodes built from one document, aliases
// expanded.
const DefaultMaxNodes = 200_000

// Problem is one thing wrong with a document's structure.
type Problem struct {
	// Line and Column locate it in the source, 1-based.
	Line, Column int
	// Path holds the tokens of the field it concerns (mapping keys, and
	// sequence indexes as decimal strings); nil for the document or when
	// the position is all there is.
	Path    []string
	Message string
}

// Builder converts node trees, counting nodes against one budget for the
// whole document however many trees are built from it. The zero value is
// ready to use, with DefaultMaxNodes. A Builder is not safe for concurrent
// use.
type Builder struct {
	// MaxNodes is the budget; 0 means DefaultMaxNodes.
	MaxNodes int

	nodes    int
	active   map[*yaml.Node]bool
	problems []Problem
}

func (b *Builder) max() int {
	if b.MaxNodes > 0 {
		return b.MaxNodes
	}
	return DefaultMaxNodes
}

// Count spends k nodes of the budget. crossed is true for the one call that
// reaches the budget (so the caller reports it once); spent is true from
// then on.
func (b *Builder) Count(k int) (crossed, spent bool) {
	max := b.max()
	before := b.nodes
	b.nodes += k
	return before < max && b.nodes >= max, b.nodes >= max
}

// Problems returns the problems found so far and forgets them.
func (b *Builder) Problems() []Problem {
	p := b.problems
	b.problems = nil
	return p
}

func (b *Builder) report(n *yaml.Node, path []string, format string, args ...any) {
	b.problems = append(b.problems, Problem{Line: n.Line, Column: n.Column, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Tree converts n to the JSON data model; path is where n is in the
// document, for the problems it reports. Merge keys (<<) are applied, keys
// already present winning; timestamps stay text.
func (b *Builder) Tree(n *yaml.Node, path []string) any {
	crossed, spent := b.Count(1)
	if crossed {
		b.report(n, nil, "document too large: more than %d values once aliases are expanded", b.max())
	}
	if spent {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		if b.active == nil {
			b.active = map[*yaml.Node]bool{}
		}
		if b.active[n.Alias] {
			b.report(n, nil, "alias refers to itself")
			return nil
		}
		b.active[n.Alias] = true
		v := b.Tree(n.Alias, path)
		delete(b.active, n.Alias)
		return v
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		// Keys a merge (<<) brought in; the mapping's own keys override
		// them wherever they stand, as YAML's merge key type says.
		var merged map[string]bool
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				b.report(k, nil, "mapping keys must be strings")
				continue
			}
			if k.Tag == "!!merge" {
				if mm, ok := b.Tree(v, path).(map[string]any); ok {
					for mk, mv := range mm {
						if _, dup := m[mk]; !dup {
							m[mk] = mv
							if merged == nil {
								merged = map[string]bool{}
							}
							merged[mk] = true
						}
					}
				}
				continue
			}
			if _, dup := m[k.Value]; dup && !merged[k.Value] {
				b.report(k, join(path, k.Value), "duplicate key")
				continue
			}
			delete(merged, k.Value)
			m[k.Value] = b.Tree(v, join(path, k.Value))
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = b.Tree(c, join(path, strconv.Itoa(i)))
		}
		return s
	case yaml.ScalarNode:
		return scalar(n)
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return b.Tree(n.Content[0], path)
		}
	}
	return nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses a YAML (or JSON) document. A syntax error comes back as a
// Problem with the line the parser names.
func Parse(data []byte) (*yaml.Node, *Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		pb := &Problem{Message: err.Error()}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			pb.Line, _ = strconv.Atoi(m[1])
			pb.Message = "syntax error: " + m[2]
		}
		return nil, pb
	}
	return &doc, nil
}

// scalar decodes a scalar by its resolved tag.
func scalar(n *yaml.Node) any {
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		var v bool
		if n.Decode(&v) == nil {
			return v
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	case "!!timestamp":
		// Keep the text: expiries are parsed (strictly) as RFC 3339.
		return n.Value
	}
	return n.Value
}

// join appends tok to a copy of path.
func join(path []string, tok string) []string {
	out := make([]string, len(path), len(path)+1)
	copy(out, path)
	return append(out, tok)
}

// KindName describes what a node is, for messages such as "expected a
// mapping, got a list".
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a scalar " + strconv.Quote(n.Value)
	}
	return "an alias"
}
