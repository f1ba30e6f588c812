package openapi

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

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
