package policy_test

import (
	"encoding/json"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect"
)

// TestSchemaRuleEnumIsTheRuleTable keeps the schema's detectorRule enum
// equal to detect's rule table: editors and CI linters that read the
// schema reject the same ids validate rejects.
func TestSchemaRuleEnumIsTheRuleTable(t *testing.T) {
	var schema struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(document.SchemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	got := schema.Defs["detectorRule"].Enum
	want := detect.RuleIDs()
	if !slices.Equal(got, want) {
		b, _ := json.Marshal(want)
		t.Errorf("schema.json $defs.detectorRule.enum differs from the rule table; set it to\n%s", b)
	}
}

func TestValidRuleIDsPass(t *testing.T) {
	doc := "detection:\n  rules:\n    sqli-libinjection: log\n    limit-byte-limit: off\n    decode-malformed-json: log\nexclusions:\n  - id: fp\n    rules: [xss-tag, 'rule:my-rule']\n    locations: [body.html]\n"
	compileDoc(t, doc) // fails the test on any problem
}
