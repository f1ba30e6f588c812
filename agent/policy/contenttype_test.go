package policy_test

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Declared content types may be OpenAPI media type ranges.
func TestBodyContentTypeRanges(t *testing.T) {
	tests := []struct {
		types   string
		ctype   string
		outcome policy.Outcome
	}{
		{"[application/json]", "application/json", policy.Allow},
		{"[application/json]", "Application/JSON; charset=utf-8", policy.Allow},
		{"[application/json]", "text/plain", policy.Block},
		{"[application/*]", "application/json", policy.Allow},
		{"[application/*]", "text/plain", policy.Block},
		{"[application/*]", "application", policy.Block},
		{"['text/*', application/xml]", "application/json", policy.Block},
	}
	for _, tt := range tests {
		t.Run(tt.types+" "+tt.ctype, func(t *testing.T) {
			p := compileDoc(t, "routes:\n  - route: POST /orders\n    unknownParameters: allow\n    body:\n      contentTypes: "+tt.types+"\n")
			ev := loadEvent(t, "apigw-v1.json", map[string]any{"headers.Content-Type": tt.ctype, "multiValueHeaders.Content-Type": []any{tt.ctype}})
			if d := judge(t, p, ev, now); d.Outcome != tt.outcome {
				t.Fatalf("outcome = %s, want %s (%+v)", d.Outcome, tt.outcome, d.Reasons)
			}
		})
	}
}
