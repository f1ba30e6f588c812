package policy

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
)

// DefaultPath is where the layer looks for a configuration first.
const DefaultPath = contract.ConfigPath

// Load reads, validates and compiles the configuration document at path.
func Load(path string) (*Policy, error) {
	data, err := document.Read(path)
	if err != nil {
		return nil, &document.Error{Source: path, Fields: []*document.FieldError{{Message: fmt.Sprintf("cannot read configuration: %v", err)}}}
	}
	return Parse(data, path)
}

// Parse validates and compiles a configuration document (YAML or JSON).
// source names it in errors; relative paths inside it (openapi.path) are
// resolved against source's directory. Every problem found, in the
// document or in compiling it, is reported in one *document.Error.
func Parse(data []byte, source string) (*Policy, error) {
	doc, err := document.Parse(data, source)
	if err != nil {
		var de *document.Error
		if errors.As(err, &de) && de.Salvaged != nil {
			de.Fields = append(de.Fields, salvageProblems(de.Salvaged)...)
			de.Salvaged = nil
			slices.SortStableFunc(de.Fields, func(a, b *document.FieldError) int {
				return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
			})
		}
		return nil, err
	}
	return compile(doc.Config, envOf(doc))
}

// envOf is what compiling needs of the document besides its Config.
func envOf(doc *document.Document) compileEnv {
	return compileEnv{loc: doc.Locator, source: doc.Source, dir: filepath.Dir(doc.Source)}
}

// salvageProblems compiles what the schema left of a document and returns
// the problems that are not consequences of the fields taken out, so that
// one pass reports them all.
func salvageProblems(s *document.Salvage) (out []*document.FieldError) {
	defer func() {
		if recover() != nil { // a salvaged document is odd by construction
			out = nil
		}
	}()
	_, err := compile(s.Document.Config, envOf(s.Document))
	var ce *document.Error
	if !errors.As(err, &ce) {
		return nil
	}
	for _, fe := range ce.Fields {
		if !s.Removed(fe.Path) {
			out = append(out, fe)
		}
	}
	return out
}
