package policy_test

import (
	"errors"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Every bad configuration names the field, the line and what was expected.
func TestBadConfigurationsArePrecise(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		path string // FieldError.Path
		line int
		msg  string // substring of the message
	}{
		{"syntax error", "mode: block\nrules: [\n", "", 2, "syntax error"},
		{"top level not a mapping", "- a\n- b\n", "", 1, "expected a mapping"},
		{"wrong enum", "mode: blocking\n", "mode", 1, "expected one of block, log, off"},
		{"bad onLimit", "onLimit: drop\n", "onLimit", 1, "expected one of block, log, allow"},
		{"wrong type", "version: 1\nblock:\n  status: forbidden\n", "block.status", 3, "expected integer, got string"},
		{"status out of range", "block:\n  status: 99\n", "block.status", 2, "minimum"},
		{"unknown top-level field", "mode: log\nrulez: []\n", "rulez", 2, `unknown field "rulez"; expected one of: block, blockedRecords, bots, detection, errorRatios, exclusions, flagging, lists, logins, mode, onLimit, openapi, rateLimits, responses, routes, rules, unknownTrigger, version`},
		{"unknown rule field", "rules:\n  - id: a\n    whn: {field: path, prefix: /x}\n    action: block\n", "rules[0].whn", 3, `unknown field "whn"`},
		{"missing action", "rules:\n  - id: a\n    when: {field: path, prefix: /x}\n", "rules[0]", 2, `missing required field "action"`},
		{"bad action word", "rules:\n  - id: a\n    when: {field: path, prefix: /x}\n    action: deny\n", "rules[0].action.type", 4, "expected one of allow, block, log, continue, got deny"},
		{"bad regex", "rules:\n  - id: a\n    when:\n      field: header.user-agent\n      regex: 'sqlmap(['\n    action: block\n", "rules[0].when.regex", 5, "invalid RE2 regular expression: missing closing ]"},
		{"lookahead is not RE2", "rules:\n  - id: a\n    when: {field: path, regex: '(?=x)'}\n    action: block\n", "rules[0].when.regex", 3, "invalid RE2"},
		{"duplicate rule ids", "rules:\n  - id: a\n    when: {field: path, prefix: /x}\n    action: block\n  - id: a\n    when: {field: path, prefix: /y}\n    action: log\n", "rules[1].id", 5, `duplicate rule id "a" (first used by rules[0])`},
		{"bad cidr in list", "lists:\n  - name: office\n    type: cidr\n    items: [10.0.0.0/8, 300.1.2.0/24]\n", "lists[0].items[1]", 4, `expected a CIDR such as 10.0.0.0/8 or an IP address, got "300.1.2.0/24"`},
		{"bad ip in list", "lists:\n  - name: bad\n    type: ip\n    items:\n      - 1.2.3.4\n      - nope\n", "lists[0].items[1]", 6, `expected an IP address, got "nope"`},
		{"bad inline cidr", "rules:\n  - id: a\n    when: {field: source-ip, cidr: 10.0.0.0/33}\n    action: block\n", "rules[0].when.cidr", 3, "expected a CIDR"},
		{"bad expiry", "rules:\n  - id: a\n    expires: next tuesday\n    when: {field: path, prefix: /x}\n    action: block\n", "rules[0].expires", 3, "expected an RFC 3339 time such as 2027-01-01T00:00:00Z"},
		{"expiry without zone", "rules:\n  - id: a\n    expires: 2027-01-01\n    when: {field: path, prefix: /x}\n    action: block\n", "rules[0].expires", 3, "RFC 3339"},
		{"unknown list", "rules:\n  - id: a\n    when: {field: source-ip, in: blocklist}\n    action: block\n", "rules[0].when.in", 3, `unknown list "blocklist"`},
		{"two operators", "rules:\n  - id: a\n    when: {field: path, prefix: /x, suffix: /y}\n    action: block\n", "rules[0].when", 3, "expected exactly one operator"},
		{"no operator", "rules:\n  - id: a\n    when: {field: path}\n    action: block\n", "rules[0].when", 3, "got 0"},
		{"group and field", "rules:\n  - id: a\n    when: {field: path, prefix: /x, any: [{field: method, equals: GET}]}\n    action: block\n", "rules[0].when", 3, "exactly one of all, any, not"},
		{"unknown field name", "rules:\n  - id: a\n    when: {field: bogus, equals: x}\n    action: block\n", "rules[0].when.field", 3, "unknown field; expected method, path"},
		{"nested bad regex", "rules:\n  - id: a\n    when:\n      all:\n        - {field: method, equals: POST}\n        - not: {field: 'body.items[*].sku', regex: '+'}\n    action: block\n", "rules[0].when.all[1].not.regex", 6, "invalid RE2"},
		{"status on allow", "rules:\n  - id: a\n    when: {field: path, prefix: /x}\n    action: {type: allow, status: 403}\n", "rules[0].action.status", 4, "block actions only"},
		{"duplicate yaml key", "mode: log\nmode: block\n", "mode", 2, "duplicate key"},
		{"paranoia out of range", "detection:\n  paranoia: 3\n", "detection.paranoia", 2, "maximum"},
		{"bad class", "detection:\n  classes:\n    sqlinjection: log\n", "detection.classes.sqlinjection", 3, "expected one of sqli, xss"},
		{"bad route", "routes:\n  - route: users/{id}\n", "routes[0].route", 2, "path starting with /"},
		{"path param not in route", "routes:\n  - route: /users/{id}\n    parameters:\n      path.uid: {type: integer}\n", "routes[0].parameters.path.uid", 4, "no path parameter {uid}"},
		{"bad param pattern", "routes:\n  - route: /users\n    parameters:\n      query.q: {pattern: '(?P<'}\n", "routes[0].parameters.query.q.pattern", 4, "invalid RE2"},
		{"bad body schema", "routes:\n  - route: /users\n    body:\n      schema: {type: objekt}\n", "routes[0].body.schema", 4, "invalid JSON Schema"},
		{"external schema ref", "routes:\n  - route: /users\n    body:\n      schema: {$ref: 'file:///dev/zero'}\n", "routes[0].body.schema", 4, "external $ref \"file:///dev/zero\" refused"},
		{"two deep wildcards", "rules:\n  - id: a\n    when: {field: 'body.**.x.**', exists: true}\n    action: block\n", "rules[0].when.field", 3, "at most one **"},
		{"bad rate period", "rateLimits:\n  - id: ip\n    key: source-ip\n    limit: 10\n    period: 1 minute\n", "rateLimits[0].period", 5, "does not match pattern"},
		{"bad rate key", "rateLimits:\n  - id: ip\n    key: address\n    limit: 10\n    period: 1m\n", "rateLimits[0].key", 3, "does not match pattern"},
		{"missing openapi file", "openapi:\n  path: nowhere.yaml\n", "openapi.path", 2, "cannot read OpenAPI document"},
		{"empty exclusion", "exclusions:\n  - id: all\n", "exclusions[0]", 2, "needs at least one of"},
		{"misspelt detector rule", "detection:\n  rules:\n    sqli-libinjecton: off\n", "detection.rules.sqli-libinjecton", 3, `unknown detector rule "sqli-libinjecton"; did you mean "sqli-libinjection"?`},
		{"unknown detector rule", "detection:\n  rules:\n    frobnicate: log\n", "detection.rules.frobnicate", 3, `unknown detector rule "frobnicate"`},
		{"misspelt excluded rule", "exclusions:\n  - id: fp\n    rules: [libinjection-sqli]\n", "exclusions[0].rules[0]", 3, `did you mean "sqli-libinjection"?`},
		{"JSON document", "{\n  \"mode\": \"block\",\n  \"rules\": [\n    {\"id\": \"a\", \"when\": {\"field\": \"path\", \"regex\": \"[\"}, \"action\": \"block\"}\n  ]\n}\n", "rules[0].when.regex", 4, "invalid RE2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tt.doc), filepath.Join(t.TempDir(), "lambdawaf.yaml"))
			var ce *document.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *document.Error", err)
			}
			for _, fe := range ce.Fields {
				if fe.Path == tt.path && fe.Line == tt.line && strings.Contains(fe.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem at %s line %d containing %q; got:\n%v", tt.path, tt.line, tt.msg, err)
		})
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	doc := "mode: loud\nrules:\n  - id: a\n    when: {field: path, regex: '('}\n    action: block\n  - id: a\n    when: {field: path, prefix: /}\n    action: block\n"
	_, err := policy.Parse([]byte(doc), "c.yaml")
	var ce *document.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	// The schema problem (mode) stops before compilation; fix it and both
	// compile problems appear together.
	if len(ce.Fields) != 1 || ce.Fields[0].Path != "mode" {
		t.Fatalf("got %v", err)
	}
	_, err = policy.Parse([]byte(strings.Replace(doc, "loud", "log", 1)), "c.yaml")
	if !errors.As(err, &ce) || len(ce.Fields) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "c.yaml (2 problems)") || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("error text = %s", err)
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := policy.Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), "cannot read configuration") {
		t.Fatalf("err = %v", err)
	}
	dir := t.TempDir()
	if _, err := policy.Load(dir); err == nil {
		t.Fatal("loading a directory succeeded")
	}
}

func TestDefaultsAndEmptyDocument(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "{}", "version: 1\n"} {
		p, err := policy.Parse([]byte(doc), "c.yaml")
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if p.Mode() != policy.ModeBlock {
			t.Errorf("%q: mode = %s, want block", doc, p.Mode())
		}
	}
	if policy.Default().Source() != "<defaults>" {
		t.Error("defaults not named")
	}
}

func TestSchemaIsPublishedAndValid(t *testing.T) {
	if !strings.Contains(string(document.SchemaJSON), `"$schema": "https://json-schema.org/draft/2020-12/schema"`) {
		t.Fatal("schema.json not embedded")
	}
	// The example in README.md must be valid.
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	_, ex, ok := strings.Cut(string(readme), "```yaml\n")
	if !ok {
		t.Fatal("README.md has no yaml example")
	}
	ex, _, _ = strings.Cut(ex, "```")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "openapi.yaml"), mustRead(t, "testdata/openapi.yaml"), 0o644)
	if _, err := policy.Parse([]byte(ex), filepath.Join(dir, "lambdawaf.yaml")); err != nil {
		t.Fatalf("README example: %v", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Aliases are expanded with a budget: a cycle or a "billion laughs"
// document is refused quickly, with a problem, not a crash.
func TestHostileYAML(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&laughs, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests := []struct{ name, doc, msg string }{
		{"alias cycle", "rules: &x [*x]\n", "alias refers to itself"},
		{"billion laughs", laughs.String(), "document too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := policy.Parse([]byte(tt.doc), "c.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %s", el)
			}
		})
	}
}
