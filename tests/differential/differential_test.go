package differential

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// caseCount is how many generated requests each run compares; the seed is
// fixed so a failure reproduces.
const (
	caseCount = 400
	seed      = 20261206
)

// missing lists, per case, the values a parser extracted that the agent
// did not judge.
func missing(t *testing.T, cases []Case, extracted []map[string][]string) (n int, report []string) {
	t.Helper()
	for i := range cases {
		judged, de, err := Judged(&cases[i])
		if err != nil {
			t.Fatalf("%s: event.Parse: %v", cases[i].Name, err)
		}
		if de != nil && de.Limited() {
			t.Errorf("%s: a generated request reached a limit: %v", cases[i].Name, de)
			continue
		}
		for parser, vals := range extracted[i] {
			for _, v := range vals {
				if !Comparable(v) || judged[Normalize(v)] || judged[Normalize(Latin1Bytes(v))] {
					continue
				}
				n++
				if len(report) < 40 {
					report = append(report, fmt.Sprintf("%s: %s extracted %q; request %s", cases[i].Name, parser, v, describe(&cases[i])))
				}
			}
		}
	}
	return n, report
}

func describe(c *Case) string {
	b, _ := json.Marshal(struct {
		Path, Query string
		Headers     [][2]string
		Body        string
	}{c.Path, c.Query, c.Headers, string(c.Body)})
	return string(b)
}

// TestAgentJudgesWhatGoExtracts: net/url, net/http, mime/multipart,
// encoding/json and encoding/base64 extract nothing the agent does not
// judge.
func TestAgentJudgesWhatGoExtracts(t *testing.T) {
	cases := Generate(seed, caseCount)
	extracted := make([]map[string][]string, len(cases))
	for i := range cases {
		extracted[i] = map[string][]string{"go-stdlib": StdlibValues(&cases[i])}
	}
	if n, report := missing(t, cases, extracted); n > 0 {
		t.Errorf("%d values Go's standard library extracts were not judged:\n%s", n, strings.Join(report, "\n"))
	}
}

// runScript feeds the cases to a parser script and returns its answer.
func runScript(t *testing.T, cases []Case, name string, args ...string) []map[string][]string {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	var res []map[string][]string
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(res) != len(cases) {
		t.Fatalf("%s answered %d cases of %d", name, len(res), len(cases))
	}
	return res
}

// python returns the interpreter that has the Debian packages the suite
// needs, or skips with the install command when there is none.
func python(t *testing.T) string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import multipart, werkzeug").Run() == nil {
			return p
		}
	}
	requireInstalled(t, "python3 with python3-multipart and python3-werkzeug")
	return ""
}

// requireInstalled fails (in CI, where tests/differential/install.sh has
// run) or skips (on a developer machine without the parsers).
func requireInstalled(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" || os.Getenv("LAMBDAWAF_DIFFERENTIAL_REQUIRED") != "" {
		t.Fatalf("%s not installed: run tests/differential/install.sh", what)
	}
	t.Skipf("%s not installed: run tests/differential/install.sh", what)
}

// TestAgentJudgesWhatPythonExtracts: urllib.parse, http.cookies, email,
// python-multipart, werkzeug, json, gzip and base64 extract nothing the
// agent does not judge.
func TestAgentJudgesWhatPythonExtracts(t *testing.T) {
	py := python(t)
	cases := Generate(seed, caseCount)
	if n, report := missing(t, cases, runScript(t, cases, py, "parsers.py")); n > 0 {
		t.Errorf("%d values Python's parsers extract were not judged:\n%s", n, strings.Join(report, "\n"))
	}
}

// TestAgentJudgesWhatNodeExtracts: querystring, URLSearchParams,
// decodeURIComponent, JSON.parse, zlib, busboy and Buffer extract nothing
// the agent does not judge.
func TestAgentJudgesWhatNodeExtracts(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		requireInstalled(t, "node")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "busboy", "package.json")); err != nil {
		requireInstalled(t, "busboy")
	}
	cases := Generate(seed, caseCount)
	if n, report := missing(t, cases, runScript(t, cases, "node", "parsers.js")); n > 0 {
		t.Errorf("%d values Node's parsers extract were not judged:\n%s", n, strings.Join(report, "\n"))
	}
}

// TestParsersSeeTheGeneratedAmbiguity keeps the suite honest: the parsers
// do disagree on the generated requests (else the comparison proves
// little), and every parser extracts something.
func TestParsersSeeTheGeneratedAmbiguity(t *testing.T) {
	cases := Generate(seed, caseCount)
	counts := map[string]int{}
	for i := range cases {
		for _, v := range StdlibValues(&cases[i]) {
			if Comparable(v) {
				counts["go-stdlib"]++
			}
		}
	}
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("%s: %d values over %d requests", k, counts[k], len(cases))
	}
	if counts["go-stdlib"] < caseCount {
		t.Errorf("Go's standard library extracted only %d values from %d requests", counts["go-stdlib"], caseCount)
	}
}
