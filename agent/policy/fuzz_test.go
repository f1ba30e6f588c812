package policy

import (
	"errors"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy/openapi"
)

// FuzzParse: any document either compiles or yields an *Error whose every
// problem says something; nothing panics.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"mode: log\n",
		"rules:\n  - id: a\n    when: {field: path, regex: '(['}\n    action: block\n",
		"rules:\n  - id: a\n    when: {all: [{field: 'body.items[*].sku', in: [a, b]}, {not: {field: source-ip, cidr: 10.0.0.0/8}}]}\n    action: {type: block, status: 451}\n",
		"lists:\n  - {name: x, type: cidr, items: ['::1/128', 1.2.3.4]}\nexclusions:\n  - {classes: [xss], routes: ['POST /a/{b+}']}\n",
		"routes:\n  - route: /a/{id}\n    parameters: {path.id: {type: integer}}\n    body: {schema: {type: object}}\n",
		"rateLimits:\n  - {id: a, key: header.x, limit: 1, period: 1s}\n",
		"{\"mode\": \"block\", \"rules\": [{\"id\": \"a\", \"when\": {\"signal\": {\"class\": \"sqli\"}}, \"action\": \"log\"}]}",
		"a: &x [*x]\n",
		"- [1, 2]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var p *Policy
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			p, err = Parse([]byte(doc), "fuzz.yaml")
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse took more than 2s on %q", doc)
		}
		if err == nil {
			if p == nil {
				t.Fatal("nil policy without error")
			}
			return
		}
		var ce *document.Error
		if !errors.As(err, &ce) || len(ce.Fields) == 0 {
			t.Fatalf("error %v is not a *document.Error with problems", err)
		}
		for _, fe := range ce.Fields {
			if fe.Message == "" {
				t.Fatalf("problem without message: %+v", fe)
			}
		}
	})
}

// FuzzLocPattern: compiling and matching never panic, and a literal
// location matches itself.
func FuzzLocPattern(f *testing.F) {
	for _, s := range []string{"body.items[2].sku", "records[0].body", "query.q", "a.**.b", "[*]", "x-*.y", "a[", "..", "body.a[1][2].c"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pat, loc string) {
		p, err := compileLocPattern(pat)
		if err != nil {
			return
		}
		p.match(loc)
		if !strings.ContainsAny(pat, "*") && !p.match(pat) && wellFormed(pat) {
			t.Fatalf("literal pattern %q does not match itself", pat)
		}
	})
}

// wellFormed reports whether a location has no empty segments, so that it
// reads back as itself.
func wellFormed(s string) bool {
	return !strings.Contains(s, "..") && !strings.HasSuffix(s, ".") && !strings.HasPrefix(s, ".") && !strings.Contains(s, ".[") && !strings.Contains(s, "]]")
}

// FuzzReadOpenAPI: any OpenAPI document is either read, its body schemas
// compiling or failing with an error, or refused with problems that each
// say something; nothing panics or runs away.
func FuzzReadOpenAPI(f *testing.F) {
	shop, err := os.ReadFile("testdata/openapi.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(shop),
		oasHead31 + "paths:\n  /a/{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: [integer, 'null'], exclusiveMinimum: 0}}]\n    put:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/T'}}}}\ncomponents:\n  schemas:\n    T: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/T'}}}}\n",
		oasHead30 + "paths:\n  /o:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {nullable: true, allOf: [{$ref: '#/components/schemas/B'}]}\n    B: {$ref: '#/components/schemas/A'}\n",
		oasHead30 + "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'x.yaml#/p'\n        - {<<: *nope}\n",
		"{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {\"$ref\": \"#/paths/~1a\"}}}",
		"swagger: '2.0'\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			doc, probs := openapi.Read([]byte(data))
			if doc == nil {
				if len(probs) == 0 {
					t.Error("no document and no problems")
				}
				for _, p := range probs {
					if p.Message == "" {
						t.Errorf("empty problem %+v", p)
					}
				}
				return
			}
			if len(probs) > 0 {
				t.Errorf("a document and problems %v", probs)
			}
			schemas, err := compileOpenAPISchemas(doc)
			if err != nil {
				return
			}
			for _, op := range doc.Operations {
				if op.Body != nil && op.Body.Schema != "" {
					_, _ = schemas.compile(op.Body.Schema)
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("reading took more than 2s on %q", data)
		}
	})
}
