package document

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

	// Salvaged is what is left of the document once the fields that failed
	// the schema are taken out, so that a compiler can report the rest of
	// its problems in the same pass; nil when nothing could be kept or the
	// document did not fail the schema. Reporting Fields can ignore it.
	Salvaged *Salvage
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

// Locator maps a field path (JSON pointer tokens) to its position in the
// YAML document, and formats the path the way users write it. The zero
// Locator, for configurations built in code, formats paths only.
type Locator struct {
	root *yaml.Node // document content node; nil for programmatic configs
}

// Locate walks the tokens through the document and returns the position of
// the field (its key, when it is a mapping value; its parent's, when it is
// absent) and its path as users write it ("rules[2].when").
func (l Locator) Locate(tokens []string) (line, col int, path string) {
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

// Problems collects FieldErrors while a document is checked and compiled,
// each placed by the Locator.
type Problems struct {
	Locator Locator
	fields  []*FieldError
}

// Add records a problem with the field at tokens.
func (p *Problems) Add(tokens []string, format string, args ...any) {
	line, col, path := p.Locator.Locate(tokens)
	p.fields = append(p.fields, &FieldError{Path: path, Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

// AddTree adds the structural problems the YAML tree builder found,
// their paths formatted as the user writes them.
func (p *Problems) AddTree(found []yamltree.Problem) {
	for _, f := range found {
		fe := &FieldError{Line: f.Line, Column: f.Column, Message: f.Message}
		if f.Path != nil {
			_, _, fe.Path = p.Locator.Locate(f.Path)
		}
		p.fields = append(p.fields, fe)
	}
}

// Len is the number of problems recorded so far: a compiler compares it
// before and after a section to know whether the section failed.
func (p *Problems) Len() int { return len(p.fields) }

// Err returns the problems as one *Error naming source, or nil if there
// are none.
func (p *Problems) Err(source string) error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Source: source, Fields: p.fields}
}

// At builds a token path: At(base, "rules", 2, "when"), ints formatted.
func At(base []string, more ...any) []string {
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
