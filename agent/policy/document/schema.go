package document

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema/kind"
)

// SchemaJSON is the JSON Schema (draft 2020-12) of the configuration
// document, published so editors and CI can validate configurations.
//
//go:embed schema.json
var SchemaJSON []byte

const schemaURL = "https://lambdawaf.dev/schema/config-v1.json"

type compiledSchema struct {
	schema *jsonschema.Schema
	raw    any
}

// configSchema compiles the embedded schema once; it is immutable after.
var configSchema = sync.OnceValues(func() (*compiledSchema, error) {
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("parse embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, raw); err != nil {
		return nil, fmt.Errorf("add embedded schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded schema: %w", err)
	}
	return &compiledSchema{schema: s, raw: raw}, nil
})

var printer = &kind.Printer{}

// Describe says what a JSON Schema validation failure means, in English:
// the words of every message about schemas, this document's and those an
// OpenAPI document carries.
func Describe(k jsonschema.ErrorKind) string { return k.LocalizedString(printer) }

// schemaLeaf is one failing field: its location (JSON pointer tokens) and
// whether the failure is the key itself (an unknown or misspelt name)
// rather than its value.
type schemaLeaf struct {
	loc   []string
	msg   string
	isKey bool
}

// validateSchema checks the document tree against the schema and records
// one problem per failing field, in the document's terms. It returns the
// failing fields, so that the rest of the document can still be checked
// (salvage).
func validateSchema(doc map[string]any, p *Problems) []schemaLeaf {
	cs, err := configSchema()
	if err != nil {
		p.Add(nil, "internal error: %v", err)
		return nil
	}
	err = cs.schema.Validate(doc)
	var ve *jsonschema.ValidationError
	if err == nil || !errors.As(err, &ve) {
		if err != nil {
			p.Add(nil, "%v", err)
		}
		return nil
	}
	type leaf = schemaLeaf
	var leaves []leaf
	var walk func(e *jsonschema.ValidationError, override []string)
	walk = func(e *jsonschema.ValidationError, override []string) {
		if pn, ok := e.ErrorKind.(*kind.PropertyNames); ok {
			// The causes judge the name, not a value: locate them at the
			// offending key. The library's InstanceLocation of a
			// propertyNames error is not reliable (it can name a field
			// validated later, rules[1] for detection.classes), so the key
			// is found in the document from the schema's location.
			override = locateKey(doc, e.SchemaURL, pn.Property)
			if override == nil {
				override = At(e.InstanceLocation, pn.Property)
			}
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c, override)
			}
			return
		}
		loc := e.InstanceLocation
		if override != nil {
			loc = override
		}
		msg := e.ErrorKind.LocalizedString(printer)
		switch k := e.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			allowed := cs.allowedProperties(e.SchemaURL)
			for _, prop := range k.Properties {
				m := fmt.Sprintf("unknown field %q", prop)
				if len(allowed) > 0 {
					m += "; expected one of: " + strings.Join(allowed, ", ")
				}
				leaves = append(leaves, leaf{loc: At(loc, prop), msg: m, isKey: true})
			}
			return
		case *kind.Required:
			for _, prop := range k.Missing {
				leaves = append(leaves, leaf{loc: loc, msg: fmt.Sprintf("missing required field %q", prop)})
			}
			return
		case *kind.Type:
			msg = fmt.Sprintf("expected %s, got %s", strings.Join(k.Want, " or "), k.Got)
		case *kind.Enum:
			if strings.Contains(e.SchemaURL, "/$defs/detectorRule") {
				// a hundred ids are no help: name the one meant
				msg = unknownRuleMessage(fmt.Sprint(k.Got))
				break
			}
			want := make([]string, len(k.Want))
			for i, w := range k.Want {
				want[i] = fmt.Sprint(w)
			}
			msg = fmt.Sprintf("expected one of %s, got %v", strings.Join(want, ", "), k.Got)
		}
		leaves = append(leaves, leaf{loc: loc, msg: msg, isKey: override != nil})
	}
	walk(ve, nil)
	// A oneOf reports each failed branch at the same place: merge them.
	seen := map[string]int{}
	var merged []leaf
	for _, l := range leaves {
		key := strings.Join(l.loc, "\x00")
		if i, ok := seen[key]; ok {
			if !strings.Contains(merged[i].msg, l.msg) {
				merged[i].msg += "; or " + l.msg
			}
			continue
		}
		seen[key] = len(merged)
		merged = append(merged, l)
	}
	for _, l := range merged {
		p.Add(l.loc, "%s", l.msg)
	}
	return merged
}

// locateKey finds, in doc, the object that the schema node at schemaURL
// (…#/properties/detection/properties/classes/propertyNames) validates and
// that has the key name, and returns the key's location; nil when the
// schema path does not lead there by properties and items alone.
func locateKey(doc any, schemaURL, name string) []string {
	_, frag, _ := strings.Cut(schemaURL, "#")
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	if len(toks) == 0 || toks[len(toks)-1] != "propertyNames" {
		return nil
	}
	var find func(node any, toks, loc []string) []string
	find = func(node any, toks, loc []string) []string {
		if len(toks) == 1 { // "propertyNames"
			if m, ok := node.(map[string]any); ok {
				if _, has := m[name]; has {
					return At(loc, name)
				}
			}
			return nil
		}
		switch toks[0] {
		case "properties":
			m, ok := node.(map[string]any)
			if !ok || len(toks) < 2 {
				return nil
			}
			if v, ok := m[toks[1]]; ok {
				return find(v, toks[2:], At(loc, toks[1]))
			}
		case "items":
			a, ok := node.([]any)
			if !ok {
				return nil
			}
			for i, v := range a {
				if l := find(v, toks[1:], At(loc, i)); l != nil {
					return l
				}
			}
		}
		return nil
	}
	return find(doc, toks, nil)
}

// allowedProperties lists the properties the schema at url declares, to
// tell a user with a typo what was expected.
func (cs *compiledSchema) allowedProperties(url string) []string {
	_, frag, _ := strings.Cut(url, "#")
	node := cs.raw
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[tok]
	}
	m, _ := node.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
