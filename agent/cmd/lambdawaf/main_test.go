package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		noStderr bool
	}{
		{"valid", []string{"validate", "testdata/good.yaml"}, 0, []string{"testdata/good.yaml: valid (mode block, 1 rule,"}, nil, true},
		{"invalid names file, line, column, field, expectation", []string{"validate", "testdata/bad.yaml"}, 1, nil, []string{
			`testdata/bad.yaml:5:25: rules[0].when.regex: invalid RE2 regular expression`,
			`testdata/bad.yaml:7:5: rules[1].id: duplicate rule id "no-admin" (first used by rules[0])`,
			`testdata/bad.yaml:8:5: rules[1].expires: expected an RFC 3339 time such as 2027-01-01T00:00:00Z, got "soon"`,
			`testdata/bad.yaml:9:30: rules[1].when.cidr: expected a CIDR`,
			`testdata/bad.yaml: invalid (4 problems)`,
		}, false},
		{"misspelt names and bad values in one pass, each at its place", []string{"validate", "testdata/misspelt.yaml"}, 1, nil, []string{
			`testdata/misspelt.yaml:5:5: detection.classes.sqlinjection: expected one of sqli, xss,`,
			`testdata/misspelt.yaml:8:20: exclusions[0].classes[1]: expected one of sqli, xss,`,
			`testdata/misspelt.yaml:11:12: rules[0].when.feild: unknown field "feild"`,
			`testdata/misspelt.yaml:14:25: rules[1].when.regex: invalid RE2 regular expression`,
			`testdata/misspelt.yaml: invalid (4 problems)`,
		}, false},
		{"unreadable", []string{"validate", "testdata/missing.yaml"}, 1, nil, []string{"testdata/missing.yaml: cannot read configuration"}, false},
		{"several files, one bad", []string{"validate", "testdata/good.yaml", "testdata/bad.yaml"}, 1, []string{"good.yaml: valid"}, []string{"bad.yaml: invalid"}, false},
		{"schema", []string{"validate", "-schema"}, 0, []string{`"title": "lambdawaf configuration"`}, nil, true},
		{"usage", []string{"validate"}, 2, nil, []string{"usage: lambdawaf validate"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
			if tt.noStderr && errs != "" {
				t.Errorf("unexpected stderr: %s", errs)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	code, out, errs := runCLI(t, "check", "-config", "testdata/good.yaml", "testdata/events")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"testdata/events/admin-v2.json: BLOCK 404",
		"reason: block rule no-admin",
		"testdata/events/benign-v1.json: ALLOW  trigger=apigateway-rest POST",
		"testdata/events/sqli-v2.json: BLOCK 403",
		"reason: block signal sqli",
		"at query.q",
		"testdata/events/sqs-one-bad.json: BLOCK records [1]  trigger=sqs",
		"malformed-event",
		"6 events: 4 blocked, 0 logged, 2 allowed (0 not inspected)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Log mode, one file, JSON output.
	code, out, _ = runCLI(t, "check", "-mode", "log", "-json", "testdata/events/sqli-v2.json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var d struct {
		File       string `json:"file"`
		Outcome    string `json:"outcome"`
		WouldBlock bool   `json:"wouldBlock"`
		Reasons    []struct{ Kind, Class string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not one JSON decision: %v\n%s", err, out)
	}
	if d.Outcome != "log" || !d.WouldBlock || d.File != "testdata/events/sqli-v2.json" || len(d.Reasons) == 0 || d.Reasons[0].Class != "sqli" {
		t.Errorf("decision = %+v", d)
	}

	if code, _, _ := runCLI(t, "check", "-fail-on-block", "testdata/events"); code != 1 {
		t.Errorf("-fail-on-block with blocked events: exit %d, want 1", code)
	}
	if code, _, errs := runCLI(t, "check", "-config", "testdata/bad.yaml", "testdata/events"); code != 2 || !strings.Contains(errs, "line 5") {
		t.Errorf("bad config: exit %d, stderr %s", code, errs)
	}
	if code, _, _ := runCLI(t, "check", "testdata/nothing-here"); code != 2 {
		t.Errorf("missing corpus: exit %d, want 2", code)
	}
	// Expiry is judged at -at.
	code, out, _ = runCLI(t, "check", "-config", "testdata/expiring.yaml", "-at", "2030-01-01T00:00:00Z", "testdata/events/admin-v2.json")
	if code != 0 || !strings.Contains(out, "ALLOW") {
		t.Errorf("after expiry: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "check", "-config", "testdata/expiring.yaml", "-at", "2026-01-01T00:00:00Z", "testdata/events/admin-v2.json")
	if code != 0 || !strings.Contains(out, "BLOCK") {
		t.Errorf("before expiry: exit %d\n%s", code, out)
	}
}

func TestDiff(t *testing.T) {
	code, out, errs := runCLI(t, "diff", "-old", "testdata/good.yaml", "-new", "testdata/candidate.yaml", "testdata/events")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"testdata/events/benign-v2.json: newly blocked (allow -> block)",
		"    + block rule internal-only",
		"testdata/events/admin-v2.json: changed reasons (block -> block)",
		"    - block rule no-admin",
		"    + log rule no-admin",
		"testdata/events/sqli-v2.json: changed reasons",
		"    - block signal sqli",
		"6 events: 1 newly blocked, 0 newly allowed, 2 changed reasons, 3 unchanged",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "benign-v1.json") {
		t.Errorf("unchanged events listed without -v:\n%s", out)
	}
	// From the candidate back to the defaults: the search exclusion goes,
	// the admin rule goes.
	code, out, _ = runCLI(t, "diff", "-old", "testdata/candidate.yaml", "-new", "testdata/good.yaml", "-exit-code", "-v", "testdata/events")
	if code != 1 {
		t.Errorf("-exit-code with changes: exit %d, want 1", code)
	}
	if !strings.Contains(out, "newly allowed (block -> allow)") || !strings.Contains(out, "benign-v1.json: unchanged") {
		t.Errorf("output:\n%s", out)
	}
	if code, _, _ := runCLI(t, "diff", "-new", "testdata/good.yaml", "-exit-code", "testdata/events/benign-v1.json"); code != 0 {
		t.Errorf("no change: exit %d, want 0", code)
	}
	if code, _, errs := runCLI(t, "diff", "-old", "testdata/good.yaml", "testdata/events"); code != 2 || !strings.Contains(errs, "usage") {
		t.Errorf("missing -new: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "diff", "-new", "testdata/bad.yaml", "testdata/events"); code != 2 || !strings.Contains(errs, "-new: invalid configuration") {
		t.Errorf("bad -new: exit %d %s", code, errs)
	}
}

func TestUsage(t *testing.T) {
	code, _, errs := runCLI(t)
	if code != 2 || !strings.Contains(errs, "validate") || !strings.Contains(errs, "check") || !strings.Contains(errs, "diff") {
		t.Errorf("exit %d, usage:\n%s", code, errs)
	}
	if code, _, errs := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d %s", code, errs)
	}
}
