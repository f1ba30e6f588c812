package detect

import (
	"fmt"
	"strconv"
	"strings"
)

// RulesMarkdown renders the rule table as the Markdown of RULES.md: one
// row per rule id with its class, paranoia level, score, meaning and
// examples. A test keeps RULES.md equal to it.
func RulesMarkdown() string {
	var b strings.Builder
	b.WriteString("# Detection rules\n\n")
	b.WriteString("Generated from `agent/detect/rules.go` by\n")
	b.WriteString("`go test ./agent/detect -run TestRulesDocIsGenerated -update-rules-doc`; do not edit.\n")
	b.WriteString("Rule ids are what `detection.rules` in the policy, exclusions and custom\n")
	b.WriteString("rules refer to; `validate` rejects an id not listed here. *Paranoia* is the\n")
	b.WriteString("lowest `detection.paranoia` at which the rule fires; *score* is what it\n")
	b.WriteString("reports on its strongest reading (1 weak … 10 certain).\n\n")
	b.WriteString("| id | class | paranoia | score | meaning | attack example | passes |\n|---|---|---:|---:|---|---|---|\n")
	for _, r := range Rules {
		fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %s | %s | %s |\n", r.ID, r.Class, r.Paranoia, r.Score, cell(r.Meaning), exampleCell(r.Attack, r.ID), exampleCell(r.Benign, ""))
	}
	b.WriteString("\nDecoder anomalies, added by the firewall as protocol signals:\n\n")
	b.WriteString("| id | score | meaning |\n|---|---:|---|\n")
	for _, r := range DecoderRules {
		fmt.Fprintf(&b, "| `%s` | %d | %s |\n", r.ID, r.Score, cell(r.Meaning))
	}
	return b.String()
}

// cell escapes a table cell's pipes.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// exampleCell renders an example as "part key: value" in a code span,
// control bytes quoted.
func exampleCell(x Example, rule string) string {
	if rule == "value-too-long" {
		return "a value over `Options.MaxValueBytes`"
	}
	text := x.Text
	if q := strconv.Quote(text); strings.ContainsAny(text, "\r\n\t\x00") {
		text = q
	}
	where := x.Part
	if x.Key != "" {
		where += " " + x.Key
	}
	span := "`` " + text + " ``"
	return cell(where + ": " + span)
}
