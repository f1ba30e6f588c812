package openapi

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

const oasHead30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
const oasHead31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"

// Documents the reader refuses, each with the line of the problem and what
// it says.
func TestReadOpenAPIProblems(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString(oasHead30 + "paths: {}\ncomponents:\n  schemas:\n    l0: &l0 {enum: [a, b, c, d, e, f, g, h, i, j]}\n")
	for i := 1; i < 8; i++ {
		laughs.WriteString("    l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " {allOf: [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				laughs.WriteString(", ")
			}
			laughs.WriteString("*l" + string(rune('0'+i-1)))
		}
		laughs.WriteString("]}\n")
	}
	laughs.WriteString("    bomb: {$ref: '#/components/schemas/l7'}\n")
	bomb := strings.Replace(laughs.String(), "paths: {}", "paths:\n  /b:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/bomb'}}}}\n      responses: {}", 1)

	var deep strings.Builder
	deep.WriteString(oasHead31 + "paths:\n  /d:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: ")
	for i := 0; i < maxSchemaDepth+2; i++ {
		deep.WriteString("{items: ")
	}
	deep.WriteString("{}")
	deep.WriteString(strings.Repeat("}", maxSchemaDepth+2) + "\n")

	var ops strings.Builder
	ops.WriteString(oasHead30 + "components:\n  parameters:\n    list: &list\n")
	for i := 0; i < 1000; i++ {
		ops.WriteString("      - {name: q" + strconv.Itoa(i) + ", in: query}\n")
	}
	ops.WriteString("  pathItems:\n    item: &item {parameters: *list, get: {}, put: {}, post: {}, delete: {}, patch: {}, head: {}, options: {}, trace: {}}\npaths:\n")
	for i := 0; i < 300; i++ {
		ops.WriteString("  /p" + strconv.Itoa(i) + ": *item\n")
	}

	body := func(schema string) string {
		return "paths:\n  /o:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: " + schema + "\n      responses: {}\n"
	}
	tests := []struct {
		name string
		doc  string
		line int
		path string
		msg  string
	}{
		{"yaml syntax", oasHead30 + "paths:\n  /a: [\n", 4, "", "syntax error"},
		{"not a mapping", "- openapi\n", 1, "", "expected a mapping (the OpenAPI object)"},
		{"swagger 2", "swagger: '2.0'\npaths: {}\n", 1, "swagger", "Swagger 2.0 documents are not supported"},
		{"no version", "info: {title: t}\npaths: {}\n", 1, "", `missing required field "openapi"`},
		{"version 2", "openapi: 2.0.0\npaths: {}\n", 1, "openapi", `unsupported OpenAPI version "2.0.0"`},
		{"version 4", "openapi: '4.0'\npaths: {}\n", 1, "openapi", "expected 3.0.x or 3.1.x"},
		{"3.0 needs paths", oasHead30, 1, "", `missing required field "paths"`},
		{"paths not a mapping", oasHead30 + "paths: [a]\n", 3, "paths", "expected a mapping, got a list"},
		{"path without slash", oasHead30 + "paths:\n  items: {}\n", 4, "paths.items", "a path must start with /"},
		{"duplicate path", oasHead30 + "paths:\n  /a: {}\n  /a: {}\n", 5, "paths./a", "duplicate key"},
		{"operation not a mapping", oasHead30 + "paths:\n  /a:\n    get: yes\n", 5, "paths./a.get", "expected an operation"},
		{"parameters not a list", oasHead30 + "paths:\n  /a:\n    get:\n      parameters: {name: q}\n", 6, "paths./a.get.parameters", "expected a list of parameters"},
		{"parameter without name", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - in: query\n", 7, "paths./a.get.parameters[0]", `missing required field "name"`},
		{"parameter without in", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n", 7, "paths./a.get.parameters[0]", `missing required field "in"`},
		{"bad parameter location", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: body}\n", 7, "paths./a.get.parameters[0].in", `expected one of query, header, path, cookie, got "body"`},
		{"duplicate parameter", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query}\n        - {name: q, in: query}\n", 8, "paths./a.get.parameters[1]", `duplicate parameter "q" in query`},
		{"path parameter optional", oasHead30 + "paths:\n  /a/{id}:\n    get:\n      parameters:\n        - {name: id, in: path}\n", 7, "paths./a/{id}.get.parameters[0]", "must be required: true"},
		{"template parameter undeclared", oasHead30 + "paths:\n  /a/{id}:\n    get: {responses: {}}\n", 5, "paths./a/{id}.get", "path parameter {id} is not declared"},
		{"path parameter not in template", oasHead30 + "paths:\n  /a:\n    parameters:\n      - {name: id, in: path, required: true}\n    get: {responses: {}}\n", 7, "paths./a.get", `path parameter "id" is declared but /a has no {id}`},
		{"parameter pattern not RE2", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {pattern: '(?=x)'}\n", 9, "paths./a.get.parameters[0].schema.pattern", "invalid RE2 regular expression"},
		{"parameter maxLength not a number", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {maxLength: ten}\n", 9, "paths./a.get.parameters[0].schema.maxLength", "expected a non-negative integer"},
		{"parameter type unknown", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {type: int}\n", 9, "paths./a.get.parameters[0].schema.type", `expected one of string, number, integer, boolean, array, object, null, got "int"`},
		{"required not a boolean", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: 'yes'}\n", 7, "paths./a.get.parameters[0].required", "expected true or false"},
		{"body without content", oasHead30 + "paths:\n  /a:\n    post:\n      requestBody: {required: true}\n", 6, "paths./a.post.requestBody", `missing required field "content"`},
		{"bad media type", oasHead30 + "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          'application/json; =': {}\n", 8, "paths./a.post.requestBody.content.application/json; =", "invalid media type"},

		// $refs.
		{"external schema ref", oasHead30 + body("{$ref: 'schemas.yaml#/Order'}"), 9, "paths./o.post.requestBody.content.application/json.schema.$ref", `external $ref "schemas.yaml#/Order" refused`},
		{"URL parameter ref", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'https://example.com/p.yaml#/q'\n", 7, "paths./a.get.parameters[0].$ref", `external $ref "https://example.com/p.yaml#/q" refused`},
		{"external request body ref", oasHead30 + "paths:\n  /a:\n    post:\n      requestBody: {$ref: 'bodies.json'}\n", 6, "paths./a.post.requestBody.$ref", "external $ref"},
		{"nested external ref", oasHead31 + body("{$ref: '#/components/schemas/A'}") + "components:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '/etc/passwd'}\n", 15, "#/components/schemas/A.properties.b.$ref", `external $ref "/etc/passwd" refused`},
		{"anchor ref", oasHead31 + body("{$ref: '#order'}"), 9, "", "only JSON pointers"},
		{"dangling ref", oasHead30 + body("{$ref: '#/components/schemas/Nope'}"), 9, "", `$ref "#/components/schemas/Nope": no such location`},
		{"parameter ref cycle", oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/A'\ncomponents:\n  parameters:\n    A: {$ref: '#/components/parameters/B'}\n    B: {$ref: '#/components/parameters/A'}\n", 10, "", "$ref cycle"},
		{"schema ref cycle", oasHead30 + body("{$ref: '#/components/schemas/A'}") + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n", 14, "#/components/schemas/B.$ref", "$ref cycle: #/components/schemas/A refers back to itself"},
		{"allOf cycle", oasHead31 + body("{$ref: '#/components/schemas/A'}") + "components:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n", 13, "#/components/schemas/A.allOf[0].$ref", "$ref cycle"},
		{"dynamic ref", oasHead31 + body("{$dynamicRef: '#node'}"), 9, "", "$dynamicRef is not supported"},

		// Schemas.
		{"schema not a mapping", oasHead30 + body("object"), 9, "paths./o.post.requestBody.content.application/json.schema", "expected a schema"},
		{"items as a list", oasHead30 + body("{type: array, items: [{type: string}]}"), 9, "paths./o.post.requestBody.content.application/json.schema.items", "expected a schema, got a list"},
		{"allOf not a list", oasHead30 + body("{allOf: {type: string}}"), 9, "paths./o.post.requestBody.content.application/json.schema.allOf", "expected a list of schemas"},
		{"too deep", deep.String(), 9, "", "schema nested more than 64 levels deep"},
		{"alias bomb", bomb, 0, "", "document too large"},
		{"operations bomb", ops.String(), 0, "", "document too large"},
		{"merge cycle", oasHead30 + body("&s {<<: *s}"), 9, "", "merge keys (<<) nested more than 8 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			doc, probs := Read([]byte(tt.doc))
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("took %v", el)
			}
			if doc != nil || len(probs) == 0 {
				t.Fatalf("read succeeded, want a problem %q", tt.msg)
			}
			for _, p := range probs {
				if (tt.line == 0 || p.Line == tt.line) && (tt.path == "" || p.Path == tt.path) && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at line %d path %q containing %q; got:\n%v", tt.line, tt.path, tt.msg, probs)
		})
	}
}

// What the reader takes from well-formed documents.
func TestReadOpenAPIOperations(t *testing.T) {
	doc := oasHead30 + `paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
      - {name: q, in: query, schema: {type: string, maxLength: 5}}
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
        - $ref: '#/components/parameters/Key'
      responses: {}
    delete:
      responses: {}
    x-internal: true
  /orders:
    post:
      requestBody:
        $ref: '#/components/requestBodies/Order'
      responses: {}
  x-extension: {}
components:
  schemas:
    Id: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 99}
  parameters:
    Key:
      name: X-Api-Key
      in: header
      schema: {type: string, enum: [a, b, 3]}
  requestBodies:
    Order:
      required: true
      content:
        application/json; charset=utf-8: {schema: {type: object}}
        text/plain: {}
`
	got, probs := Read([]byte(doc))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if !got.V30 || got.Version != "3.0.3" {
		t.Errorf("version = %q (3.0: %v)", got.Version, got.V30)
	}
	ops := map[string]*Operation{}
	for _, op := range got.Operations {
		ops[op.Method+" "+op.Path] = op
	}
	if len(ops) != 3 || ops["GET /items/{id}"] == nil || ops["DELETE /items/{id}"] == nil || ops["POST /orders"] == nil {
		t.Fatalf("operations = %v", ops)
	}
	get := ops["GET /items/{id}"]
	var locs []string
	for _, p := range get.Params {
		locs = append(locs, p.In+"."+p.Name)
	}
	if strings.Join(locs, " ") != "header.x-api-key path.id query.q" {
		t.Fatalf("GET params = %v", locs)
	}
	key, id, q := get.Params[0], get.Params[1], get.Params[2]
	if key.Type != "string" || strings.Join(key.Enum, ",") != "a,b,3" {
		t.Errorf("header param from components: %+v", key)
	}
	if id.Type != "integer" || !id.Required || id.Minimum == nil || *id.Minimum != 0 || !id.ExclusiveMinimum || id.Maximum == nil || *id.Maximum != 99 || id.ExclusiveMaximum {
		t.Errorf("path param with $ref schema: %+v", id)
	}
	if !q.Required || q.MinLength != 2 || q.MaxLength != -1 {
		t.Errorf("operation parameter must override the path's: %+v", q)
	}
	if del := ops["DELETE /items/{id}"]; len(del.Params) != 2 || del.Params[1].MaxLength != 5 {
		t.Errorf("DELETE inherits the path's parameters: %+v", del.Params)
	}
	b := ops["POST /orders"].Body
	if b == nil || !b.Required || strings.Join(b.ContentTypes, ",") != "application/json,text/plain" || b.Schema == "" {
		t.Fatalf("body from components: %+v", b)
	}
	if at := got.SchemaAt[b.Schema]; at != "#/components/requestBodies/Order.content.application/json; charset=utf-8.schema" {
		t.Errorf("schema at %q", at)
	}
}

// YAML merge keys work as they do in the configuration.
func TestReadOpenAPIMergeKeys(t *testing.T) {
	doc := oasHead30 + `components:
  parameters:
    base: &base {in: query, schema: {type: integer, maximum: 9}}
paths:
  /m:
    get:
      parameters:
        - {<<: *base, name: page}
        - <<: [*base]
          name: size
          schema: {type: string}
      responses: {}
`
	got, probs := Read([]byte(doc))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	ps := got.Operations[0].Params
	if len(ps) != 2 || ps[0].Name != "page" || ps[0].Type != "integer" || ps[0].Maximum == nil || ps[1].Name != "size" || ps[1].Type != "string" || ps[1].Maximum != nil {
		t.Fatalf("params = %+v %+v", ps[0], ps[1])
	}
}

// The JSON schema of a body is application/json's, else a +json type's,
// never a range's.
func TestReadOpenAPIBodySchemaChoice(t *testing.T) {
	tests := []struct {
		content string
		want    string // where the chosen schema is; "" none
	}{
		{"{application/xml: {schema: {type: object}}, application/json: {schema: {type: object}}}", "paths./o.post.requestBody.content.application/json.schema"},
		{"{application/problem+json: {schema: {type: object}}, text/plain: {schema: {type: string}}}", "paths./o.post.requestBody.content.application/problem+json.schema"},
		{"{'*/*': {schema: {type: string, format: binary}}}", ""},
		{"{application/json: {}}", ""},
	}
	for _, tt := range tests {
		doc, probs := Read([]byte(oasHead31 + "paths:\n  /o:\n    post:\n      requestBody:\n        content: " + tt.content + "\n"))
		if len(probs) > 0 {
			t.Fatalf("%s: %v", tt.content, probs)
		}
		b := doc.Operations[0].Body
		if got := doc.SchemaAt[b.Schema]; got != tt.want {
			t.Errorf("%s: schema at %q, want %q", tt.content, got, tt.want)
		}
	}
}

// The same document as JSON, and OpenAPI 3.1's path item $refs.
func TestReadOpenAPIJSONAnd31(t *testing.T) {
	doc := `{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {"/a/{id}": {"$ref": "#/components/pathItems/A"}},
  "components": {"pathItems": {"A": {
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["integer", "null"], "exclusiveMinimum": 5}}],
    "put": {"responses": {}}
  }}}
}`
	got, probs := Read([]byte(doc))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if got.V30 || len(got.Operations) != 1 || got.Operations[0].Method != "PUT" || got.Operations[0].Path != "/a/{id}" {
		t.Fatalf("document = %+v", got)
	}
	id := got.Operations[0].Params[0]
	if id.Type != "integer" || id.Minimum == nil || *id.Minimum != 5 || !id.ExclusiveMinimum {
		t.Errorf("3.1 numeric exclusiveMinimum: %+v", id)
	}
	// 3.1 may omit paths.
	if _, probs := Read([]byte(oasHead31 + "webhooks: {}\n")); len(probs) > 0 {
		t.Errorf("3.1 without paths: %v", probs)
	}
}
