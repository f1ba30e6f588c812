package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/policy/yamltree"
)

// DefaultPath is where the layer looks for a configuration first.
const DefaultPath = contract.ConfigPath

// MaxDocumentSize bounds a configuration document: it is read at start and
// on reload, and a runaway file must not exhaust the function's memory.
const MaxDocumentSize = 4 << 20

// Load reads, validates and compiles the configuration document at path.
func Load(path string) (*Policy, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, &Error{Source: path, Fields: []*FieldError{{Message: fmt.Sprintf("cannot read configuration: %v", err)}}}
	}
	return Parse(data, path)
}

func readBounded(path string) ([]byte, error) {
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

// Parse validates and compiles a configuration document (YAML or JSON).
// source names it in errors; relative paths inside it (openapi.path) are
// resolved against source's directory. Every problem found is reported in
// one *Error.
func Parse(data []byte, source string) (*Policy, error) {
	cfg, loc, err := parseDocument(data, source)
	if err != nil {
		return nil, err
	}
	return compile(cfg, compileEnv{loc: loc, source: source, dir: filepath.Dir(source)})
}

// ParseConfig validates a document and returns it as a Config, without
// compiling it.
func ParseConfig(data []byte, source string) (*Config, error) {
	cfg, _, err := parseDocument(data, source)
	return cfg, err
}

func parseDocument(data []byte, source string) (*Config, locator, error) {
	doc, syntaxErr := yamltree.Parse(data)
	if syntaxErr != nil {
		fe := &FieldError{Line: syntaxErr.Line, Message: syntaxErr.Message}
		return nil, locator{}, &Error{Source: source, Fields: []*FieldError{fe}}
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	loc := locator{root: root}
	p := &problems{loc: loc}
	if root == nil {
		// An empty document is the defaults.
		return &Config{}, loc, nil
	}
	tree := toTree(root, nil, p)
	if err := p.err(source); err != nil {
		return nil, loc, err
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		p.add(nil, "expected a mapping (the configuration object), got %s", yamltree.KindName(root))
		return nil, loc, p.err(source)
	}
	normalise(obj)
	validateSchema(obj, p)
	if err := p.err(source); err != nil {
		return nil, loc, err
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		p.add(nil, "cannot encode document: %v", err)
		return nil, loc, p.err(source)
	}
	var cfg Config
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		// The schema should have caught this; report it rather than panic.
		p.add(nil, "%v", err)
		return nil, loc, p.err(source)
	}
	return &cfg, loc, nil
}

func toTree(n *yaml.Node, path []string, p *problems) any {
	var b yamltree.Builder
	v := b.Tree(n, path)
	p.addTree(b.Problems())
	return v
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
