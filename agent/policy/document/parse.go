package document

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

// MaxDocumentSize bounds a configuration document: it is read at start and
// on reload, and a runaway file must not exhaust the function's memory.
const MaxDocumentSize = 4 << 20

// Document is a configuration document read and checked against the
// schema: its Config, and where each field stands in the source, so that
// later checks (patterns, references, OpenAPI files) report problems at the
// right line.
type Document struct {
	Config *Config
	// Source names the document (its path, or "<input>").
	Source  string
	Locator Locator
}

// Read reads the document at path, refusing one larger than
// MaxDocumentSize.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxDocumentSize)
	}
	return data, nil
}

// salvage is what is left of a document that failed the schema once the
// failing fields are taken out, so that compiling it reports the other
// problems in the same pass.
type Salvage struct {
	// Document is the rest of the document, its Locator the original's.
	Document *Document
	// removed are the formatted paths of the fields taken out (or of their
	// objects): problems compiling reports under them are consequences of
	// the removal, not news.
	removed []string
}

// Removed reports whether path is one of the fields taken out or inside
// one: a problem reported there is a consequence of the removal.
func (s *Salvage) Removed(path string) bool {
	for _, p := range s.removed {
		if p == "" || path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

// salvageConfig takes the failing fields out of obj (unknown keys
// deleted, bad values nulled) and decodes the rest; nil when the rest does
// not decode.
func salvageConfig(obj map[string]any, leaves []schemaLeaf, doc *Document) *Salvage {
	s := &Salvage{Document: &Document{Source: doc.Source, Locator: doc.Locator}}
	for _, l := range leaves {
		if len(l.loc) == 0 {
			return nil // the document itself failed
		}
		parent := l.loc[:len(l.loc)-1]
		_, _, p := doc.Locator.Locate(parent)
		s.removed = append(s.removed, p)
		var node any = obj
		for _, tok := range parent {
			switch n := node.(type) {
			case map[string]any:
				node = n[tok]
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(n) {
					node = nil
				} else {
					node = n[i]
				}
			default:
				node = nil
			}
		}
		last := l.loc[len(l.loc)-1]
		switch n := node.(type) {
		case map[string]any:
			if l.isKey {
				delete(n, last)
			} else if _, ok := n[last]; ok {
				n[last] = nil
			}
		case []any:
			if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(n) {
				n[i] = nil
			}
		}
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if dec.Decode(&s.Document.Config) != nil || s.Document.Config == nil {
		return nil
	}
	return s
}

// Parse reads a configuration document (YAML or JSON) and checks it
// against the schema. source names it in errors. Every problem found is
// reported in one *Error; when only some fields failed the schema, that
// error's Salvaged holds the rest, for the compiler's own checks.
func Parse(data []byte, source string) (*Document, error) {
	node, syntaxErr := yamltree.Parse(data)
	if syntaxErr != nil {
		fe := &FieldError{Line: syntaxErr.Line, Message: syntaxErr.Message}
		return nil, &Error{Source: source, Fields: []*FieldError{fe}}
	}
	var root *yaml.Node
	if node.Kind == yaml.DocumentNode && len(node.Content) > 0 {
		root = node.Content[0]
	}
	doc := &Document{Source: source, Locator: Locator{root: root}}
	p := &Problems{Locator: doc.Locator}
	if root == nil {
		// An empty document is the defaults.
		doc.Config = &Config{}
		return doc, nil
	}
	var b yamltree.Builder
	tree := b.Tree(root, nil)
	p.AddTree(b.Problems())
	if err := p.Err(source); err != nil {
		return nil, err
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		p.Add(nil, "expected a mapping (the configuration object), got %s", yamltree.KindName(root))
		return nil, p.Err(source)
	}
	normalise(obj)
	leaves := validateSchema(obj, p)
	if err := p.Err(source); err != nil {
		if pe, ok := err.(*Error); ok {
			pe.Salvaged = salvageConfig(obj, leaves, doc)
		}
		return nil, err
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		p.Add(nil, "cannot encode document: %v", err)
		return nil, p.Err(source)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc.Config); err != nil {
		// The schema should have caught this; report it rather than panic.
		p.Add(nil, "%v", err)
		return nil, p.Err(source)
	}
	return doc, nil
}

// normalise rewrites the short forms the document allows into the long
// forms the schema describes: "action: block" becomes {type: block}.
func normalise(obj map[string]any) {
	rules, _ := obj["rules"].([]any)
	for _, r := range rules {
		rm, ok := r.(map[string]any)
		if !ok {
			continue
		}
		if s, ok := rm["action"].(string); ok {
			rm["action"] = map[string]any{"type": s}
		}
	}
}
