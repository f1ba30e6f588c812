// Package openapi reads the part of an OpenAPI 3.0 or 3.1 document that
// lambdawaf's positive model needs: operations, their parameters and JSON
// request body schemas, each problem located by line and column.
//
// Not a stable API: it exists for package policy.
package openapi

import (
	"gopkg.in/yaml.v3"
)

// Limits on what one document may make the reader do.
const (
	// maxRefChain bounds a chain of $refs to $refs (a parameter that
	// is a $ref to a $ref...), so a cycle of them ends with a problem.
	maxRefChain = 32
	// maxSchemaDepth bounds how deeply schemas nest inside one another
	// (not counting $refs, which are gathered, not inlined).
	maxSchemaDepth = 64
	// maxProblems bounds the problems reported for one document.
	maxProblems = 50
)

// Document is what the positive model takes from an OpenAPI document.
type Document struct {
	// Version is the openapi field as written ("3.0.3", "3.1.0").
	Version string
	// V30 is true for OpenAPI 3.0 (its schema dialect is translated).
	V30        bool
	Operations []*Operation
	// Schemas are the converted schema objects, by resource name
	// (d0.json): each a JSON Schema 2020-12 document whose $refs name
	// other resources. Read only: bodies share them.
	Schemas map[string]any
	// SchemaAt maps a resource name back to where the schema is in the
	// document: a JSON pointer (#/components/schemas/Order) or, for an
	// inline schema, its path.
	SchemaAt map[string]string
	nodes    map[string]*yaml.Node // resource name → its source node
}

// Operation is one method on one path.
type Operation struct {
	Method string // upper case: GET, POST...
	Path   string // the template as written: /items/{id}
	// Params are the path-level parameters overridden by the
	// operation's own, sorted by location.
	Params []*Param
	Body   *Body
}

// Param is a parameter with the constraints of its schema that a
// single text value can be checked against.
type Param struct {
	In, Name string
	Required bool
	Type     string // integer, number, boolean, string or ""
	Pattern  string
	// MinLength and MaxLength bound the length; MaxLength -1: none.
	MinLength, MaxLength int
	Minimum, Maximum     *float64
	// ExclusiveMinimum/Maximum make the bounds strict.
	ExclusiveMinimum, ExclusiveMaximum bool
	Enum                               []string
}

// Body is a request body.
type Body struct {
	Required bool
	// ContentTypes are the declared media types, lower case, without
	// parameters, sorted.
	ContentTypes []string
	// Schema names the resource in Document.Schemas that JSON bodies
	// must satisfy; "" when none is declared.
	Schema string
}
