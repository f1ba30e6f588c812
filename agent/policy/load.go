package policy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

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
	env := compileEnv{loc: loc, source: source, dir: filepath.Dir(source)}
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.salvaged != nil {
			pe.Fields = append(pe.Fields, salvageProblems(pe.salvaged, env)...)
			pe.salvaged = nil
			slices.SortStableFunc(pe.Fields, func(a, b *FieldError) int {
				return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
			})
		}
		return nil, err
	}
	return compile(cfg, env)
}

// salvage is what is left of a document that failed the schema once the
// failing fields are taken out, so that compiling it reports the other
// problems in the same pass.
type salvage struct {
	cfg *Config
	// failed are the formatted paths of the fields taken out (or of their
	// objects): problems compiling reports under them are consequences of
	// the removal, not news.
	failed []string
}

// salvageConfig takes the failing fields out of obj (unknown keys
// deleted, bad values nulled) and decodes the rest; nil when the rest does
// not decode.
func salvageConfig(obj map[string]any, leaves []schemaLeaf, loc locator) *salvage {
	s := &salvage{}
	for _, l := range leaves {
		if len(l.loc) == 0 {
			return nil // the document itself failed
		}
		parent := l.loc[:len(l.loc)-1]
		_, _, p := loc.locate(parent)
		s.failed = append(s.failed, p)
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
	if dec.Decode(&s.cfg) != nil || s.cfg == nil {
		return nil
	}
	return s
}

// salvageProblems compiles a salvaged document and returns the problems
// that are not consequences of the fields taken out.
func salvageProblems(s *salvage, env compileEnv) (out []*FieldError) {
	defer func() {
		if recover() != nil { // a salvaged document is odd by construction
			out = nil
		}
	}()
	_, err := compile(s.cfg, env)
	var ce *Error
	if !errors.As(err, &ce) {
		return nil
	}
	for _, fe := range ce.Fields {
		if !underAny(fe.Path, s.failed) {
			out = append(out, fe)
		}
	}
	return out
}

// underAny reports whether path is one of prefixes or inside one.
func underAny(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if p == "" || path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

// ParseConfig validates a document and returns it as a Config, without
// compiling it.
func ParseConfig(data []byte, source string) (*Config, error) {
	cfg, _, err := parseDocument(data, source)
	if pe, ok := err.(*Error); ok {
		pe.salvaged = nil
	}
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
	leaves := validateSchema(obj, p)
	if err := p.err(source); err != nil {
		if pe, ok := err.(*Error); ok {
			pe.salvaged = salvageConfig(obj, leaves, loc)
		}
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
