package document

import (
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/detect"
)

// unknownRuleMessage explains a detector rule id that the rule table (and
// so the schema's detectorRule enum) does not define, suggesting the id
// that was probably meant: a misspelt id would otherwise switch nothing
// off.
func unknownRuleMessage(id string) string {
	if s := detect.SuggestRule(id); s != "" {
		return fmt.Sprintf("unknown detector rule %q; did you mean %q? (rule ids: agent/detect/RULES.md)", id, s)
	}
	return fmt.Sprintf("unknown detector rule %q (rule ids: agent/detect/RULES.md)", id)
}
