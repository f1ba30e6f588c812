package policy

import (
	"bytes"
	"errors"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema"

	"github.com/lambdawaf/lambdawaf/agent/policy/openapi"
)

const oasHead30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
const oasHead31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"

// Body schemas behave as the OpenAPI version says: 3.0's dialect is
// translated, 3.1 is JSON Schema 2020-12, $refs resolve, recursion works.
func TestOpenAPIBodySchemas(t *testing.T) {
	const components = `components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Money: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: false}
    Money31: {type: number, exclusiveMinimum: 0, maximum: 100}
    Note: {type: string, nullable: true, maxLength: 3}
    Color: {type: string, nullable: true, enum: [red, blue]}
    Maybe: {nullable: true, allOf: [{$ref: '#/components/schemas/Node'}]}
    Short: {$ref: '#/components/schemas/Str', maxLength: 2}
    Str: {type: string}
    Day: {type: string, format: date}
    Account:
      type: object
      required: [id, name]
      properties:
        id: {$ref: '#/components/schemas/Id'}
        name: {type: string}
        created: {type: string, readOnly: true}
    Id: {type: integer, readOnly: true}
`
	body := func(head, schema string) string {
		return head + "paths:\n  /o:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: " + schema + "\n      responses: {}\n" + components
	}
	tests := []struct {
		name, doc, instance string
		valid               bool
	}{
		{"recursive ok", body(oasHead30, "{$ref: '#/components/schemas/Node'}"), `{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}`, true},
		{"recursive deep violation", body(oasHead30, "{$ref: '#/components/schemas/Node'}"), `{"name":"a","children":[{"name":"b","children":[{}]}]}`, false},
		{"3.0 exclusiveMinimum true", body(oasHead30, "{$ref: '#/components/schemas/Money'}"), `0`, false},
		{"3.0 exclusiveMinimum above", body(oasHead30, "{$ref: '#/components/schemas/Money'}"), `0.01`, true},
		{"3.0 exclusiveMaximum false", body(oasHead30, "{$ref: '#/components/schemas/Money'}"), `100`, true},
		{"3.1 exclusiveMinimum number", body(oasHead31, "{$ref: '#/components/schemas/Money31'}"), `0`, false},
		{"3.1 exclusiveMinimum above", body(oasHead31, "{$ref: '#/components/schemas/Money31'}"), `1`, true},
		{"3.0 nullable null", body(oasHead30, "{$ref: '#/components/schemas/Note'}"), `null`, true},
		{"3.0 nullable still bounded", body(oasHead30, "{$ref: '#/components/schemas/Note'}"), `"abcd"`, false},
		{"3.0 nullable enum null", body(oasHead30, "{$ref: '#/components/schemas/Color'}"), `null`, true},
		{"3.0 nullable enum other", body(oasHead30, "{$ref: '#/components/schemas/Color'}"), `"green"`, false},
		{"3.0 nullable allOf null", body(oasHead30, "{$ref: '#/components/schemas/Maybe'}"), `null`, true},
		{"3.0 nullable allOf bad", body(oasHead30, "{$ref: '#/components/schemas/Maybe'}"), `{}`, false},
		{"3.1 nullable is not a keyword", body(oasHead31, "{$ref: '#/components/schemas/Note'}"), `null`, false},
		{"3.0 ignores $ref siblings", body(oasHead30, "{$ref: '#/components/schemas/Short'}"), `"abc"`, true},
		{"3.1 applies $ref siblings", body(oasHead31, "{$ref: '#/components/schemas/Short'}"), `"abc"`, false},
		{"3.0 asserts formats", body(oasHead30, "{$ref: '#/components/schemas/Day'}"), `"tuesday"`, false},
		{"3.1 format is an annotation", body(oasHead31, "{$ref: '#/components/schemas/Day'}"), `"tuesday"`, true},
		{"inline with annotations", body(oasHead31, "{type: object, description: x, example: {a: 1}, x-extra: 1, properties: {a: {type: integer, default: 7}}}"), `{"a":"x"}`, false},
		{"readOnly required property not needed", body(oasHead30, "{$ref: '#/components/schemas/Account'}"), `{"name":"a"}`, true},
		{"other required properties are", body(oasHead31, "{$ref: '#/components/schemas/Account'}"), `{"id":1}`, false},
		{"data is not a $ref", body(oasHead31, "{const: {$ref: '#/nowhere'}}"), `{"$ref":"#/nowhere"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, probs := openapi.Read([]byte(tt.doc))
			if len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			schemas, err := compileOpenAPISchemas(doc)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			s, err := schemas.compile(doc.Operations[0].Body.Schema)
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(tt.instance)))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(v); (err == nil) != tt.valid {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tt.valid, err)
			}
		})
	}
}

// An invalid schema is reported where it is in the OpenAPI document, not
// where the reader put it; once, however many operations use it.
func TestOpenAPISchemaErrorLocated(t *testing.T) {
	dir := t.TempDir()
	api := oasHead31 + `paths:
  /o:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Bad'}}}}
    put:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Bad'}}}}
  /p:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                a: {type: string, pattern: '(?=x)'}
components:
  schemas:
    Bad:
      type: object
      properties:
        n: {type: integer, minimum: one}
`
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(api), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Parse([]byte("openapi:\n  path: api.yaml\n"), filepath.Join(dir, "lambdawaf.yaml"))
	var ce *document.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"invalid OpenAPI document api.yaml:23:37: #/components/schemas/Bad/properties/n/minimum: invalid schema: got string, want number (the request body schema of POST /o)",
		"invalid OpenAPI document api.yaml:17:44: paths./p.post.requestBody.content.application/json.schema.properties.a.pattern: invalid schema: '(?=x)' is not valid regex",
	}
	if len(ce.Fields) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(ce.Fields), len(want), err)
	}
	for i, fe := range ce.Fields {
		if fe.Path != "openapi.path" || !strings.HasPrefix(fe.Message, want[i]) {
			t.Errorf("problem %d = %s %q, want %q", i, fe.Path, fe.Message, want[i])
		}
	}
}

// Through Parse: every problem of the OpenAPI document is reported at
// openapi.path, with the document's name, line and column.
func TestOpenAPIProblemsInConfiguration(t *testing.T) {
	dir := t.TempDir()
	api := oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: body}\n        - $ref: 'common.yaml#/q'\n"
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(api), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Parse([]byte("mode: block\nopenapi:\n  path: api.yaml\n"), filepath.Join(dir, "lambdawaf.yaml"))
	var ce *document.Error
	if !errors.As(err, &ce) || len(ce.Fields) != 2 {
		t.Fatalf("err = %v, want two problems", err)
	}
	want := []string{
		`invalid OpenAPI document api.yaml:7:25: paths./a.get.parameters[0].in: expected one of query, header, path, cookie, got "body"`,
		`invalid OpenAPI document api.yaml:8:17: paths./a.get.parameters[1].$ref: external $ref "common.yaml#/q" refused`,
	}
	for i, fe := range ce.Fields {
		if fe.Path != "openapi.path" || fe.Line != 3 || !strings.HasPrefix(fe.Message, want[i]) {
			t.Errorf("problem %d = %s:%d %q, want openapi.path:3 %q", i, fe.Path, fe.Line, fe.Message, want[i])
		}
	}
}

// Parameters keep OpenAPI's strict bounds.
func TestOpenAPIParamBounds(t *testing.T) {
	lo, hi := 1.0, 10.0
	p := paramFromOpenAPI(&openapi.Param{In: "query", Name: "n", Type: "number", MaxLength: -1, Minimum: &lo, ExclusiveMinimum: true, Maximum: &hi, ExclusiveMaximum: true})
	for v, want := range map[string]string{"1": "expected more than 1", "1.5": "", "10": "expected less than 10", "9.99": "", "x": "expected a number"} {
		if got := p.check(v); got != want {
			t.Errorf("check(%q) = %q, want %q", v, got, want)
		}
	}
}
