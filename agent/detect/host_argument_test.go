package detect

import "testing"

// TestHostArgumentReadsOptionsAndVariables: where a host name or address
// is expected, an option, a lone shell variable or a command substitution
// is what the tool or the shell reads; names and addresses, also with
// dashes inside, are not.
func TestHostArgumentReadsOptionsAndVariables(t *testing.T) {
	e := New(Options{})
	for _, c := range []struct {
		key, value, rule string
	}{
		{"host", "-oProxyCommand=id", "cmdi-option-injection"},
		{"target", "--version", "cmdi-option-injection"},
		{"hostname", "--upload-pack=touch /tmp/x", "cmdi-option-injection"},
		{"host", "$USER", "cmdi-expansion"},
		{"server", "${HOME}", "cmdi-expansion"},
		{"host", "db-1.example.com", ""},
		{"host", "-1", ""},
		{"host", "2001:db8::1", ""},
		{"comment", "--version", ""}, // not a host: an option is text
		{"host", "$5 fee", ""},
		{"header host", "-oProxyCommand=id", ""}, // a header's name is the protocol's
		// a substitution runs what it names, however harmless the name
		{"host", "$(echo hi)", "cmdi-separator"},
		{"host", "x$(printf '\\x69\\x64')", "cmdi-separator"},
		{"cmd", "$(printf id)", "cmdi-separator"},
		{"host", "; printf 'id'|sh", "cmdi-separator"},
		{"comment", "$(echo hi) prints hi", ""},
		{"target", "Then run `npm test`:", ""}, // prose quotes code in backticks
	} {
		v := q(c.key, c.value)
		if c.key == "header host" {
			v = hdr("host", c.value)
		}
		sigs := e.Inspect(v, nil)
		if c.rule == "" {
			for _, s := range sigs {
				if s.Class.IsAttack() {
					t.Errorf("%s=%q: %s", c.key, c.value, s.Rule)
				}
			}
			continue
		}
		if !hasRule(sigs, c.rule) {
			t.Errorf("%s=%q: no %s in %v", c.key, c.value, c.rule, sigs)
		}
	}
}
