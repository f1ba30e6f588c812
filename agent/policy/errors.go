package policy

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

// FieldError is one problem in a configuration document: which field, where
// in the file, and what was expected.
type FieldError struct {
	// Path is the field, e.g. "rules[2].when.regex"; "" for the document.
	Path string
	// Line and Column locate the field in the source, 1-based; 0 when the
	// configuration was not parsed from a document.
	Line, Column int
	// Message says what is wrong and what was expected.
	Message string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Error reports every problem found in one configuration document. Loading
// does not stop at the first problem, so a user fixes them all in one go.
type Error struct {
	// Source names the document (its path, or "<input>").
	Source string
	Fields []*FieldError

	salvaged *salvage // set between schema validation and compilation
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration %s", e.Source)
	if len(e.Fields) == 1 {
		b.WriteString(": ")
		b.WriteString(e.Fields[0].Error())
		return b.String()
	}
	fmt.Fprintf(&b, " (%d problems)", len(e.Fields))
	for _, f := range e.Fields {
		b.WriteString("\n  ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// locator maps a field path (JSON pointer tokens) to its position in the
// YAML document, and formats the path the way users write it.
type locator struct {
	root *yaml.Node // document content node; nil for programmatic configs
}

// find walks the tokens through the node tree and returns the deepest node
// reached, the key node of the last mapping step (if the walk ended on a
// mapping value) and the formatted path.
func (l locator) locate(tokens []string) (line, col int, path string) {
	var b strings.Builder
	n := l.root
	var key *yaml.Node
	for i, tok := range tokens {
		var next *yaml.Node
		isIndex := false
		if n != nil {
			switch n.Kind {
			case yaml.SequenceNode:
				isIndex = true
				if idx, err := strconv.Atoi(tok); err == nil && idx >= 0 && idx < len(n.Content) {
					next = n.Content[idx]
					key = nil
				}
			case yaml.MappingNode:
				for j := 0; j+1 < len(n.Content); j += 2 {
					if n.Content[j].Value == tok {
						key = n.Content[j]
						next = n.Content[j+1]
						break
					}
				}
			}
		} else if _, err := strconv.Atoi(tok); err == nil {
			isIndex = true
		}
		if isIndex {
			b.WriteString("[")
			b.WriteString(tok)
			b.WriteString("]")
		} else {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
		}
		if n != nil {
			if next == nil {
				// The field is absent (a missing required field, say): the
				// closest position is its parent's.
				line, col = n.Line, n.Column
				n = nil
				continue
			}
			n = next
			if key != nil {
				line, col = key.Line, key.Column
			} else {
				line, col = n.Line, n.Column
			}
		}
	}
	if len(tokens) == 0 && l.root != nil {
		line, col = l.root.Line, l.root.Column
	}
	return line, col, b.String()
}

// problems collects FieldErrors while a document is checked and compiled.
type problems struct {
	loc    locator
	fields []*FieldError
}

func (p *problems) add(tokens []string, format string, args ...any) {
	line, col, path := p.loc.locate(tokens)
	p.fields = append(p.fields, &FieldError{Path: path, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

// addTree adds the structural problems the YAML tree builder found,
// their paths formatted as the user writes them.
func (p *problems) addTree(found []yamltree.Problem) {
	for _, f := range found {
		fe := &FieldError{Line: f.Line, Column: f.Column, Message: f.Message}
		if f.Path != nil {
			_, _, fe.Path = p.loc.locate(f.Path)
		}
		p.fields = append(p.fields, fe)
	}
}

func (p *problems) err(source string) error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Source: source, Fields: p.fields}
}

// at builds a token path: at(base, "rules", 2, "when") with ints formatted.
func at(base []string, more ...any) []string {
	out := make([]string, len(base), len(base)+len(more))
	copy(out, base)
	for _, m := range more {
		switch v := m.(type) {
		case string:
			out = append(out, v)
		case int:
			out = append(out, strconv.Itoa(v))
		default:
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}
