package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoOnce runs the demo as `make demo` does with -once: real builds of
// the orders API and the agent, the local endpoint, the probes and the
// report. Benign probes must succeed; each malicious probe must either be
// blocked with a decision record saying so, or (with an agent whose
// inspector records nothing) be reported as undecided — never be shown as
// blocked without a 403.
func TestDemoOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the orders API and the agent")
	}
	dir := t.TempDir()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	root, _ := filepath.Abs("../..")
	t.Chdir(root)
	err := run(ctx, options{
		addr: "127.0.0.1:0", function: "./tests/handlers/orders", agent: "./agent/cmd/lambdawaf-extension",
		mode: "block", logPath: filepath.Join(dir, "agent.log"), reportPath: filepath.Join(dir, "report.html"),
		traffic: 40, once: true, recordWait: 2 * time.Second,
	}, &out)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	row := regexp.MustCompile(`(?m)^(\d+)\s+(.+?):\s+(GET|POST)\s+\S+\s+(\d{3})\s+(\S+)`)
	rows := row.FindAllStringSubmatch(out.String(), -1)
	if len(rows) != len(probes) {
		t.Fatalf("%d table rows, want %d:\n%s", len(rows), len(probes), out.String())
	}
	for i, r := range rows {
		status, decision := r[4], r[5]
		benign := i < 4
		switch {
		case benign && !strings.HasPrefix(status, "2"):
			t.Errorf("benign probe %q got %s", r[2], status)
		case benign && decision == "block":
			t.Errorf("benign probe %q was blocked", r[2])
		case !benign && decision == "block" && status != "403":
			t.Errorf("probe %q recorded as blocked but the client got %s", r[2], status)
		case !benign && decision != "block" && decision != "—":
			t.Errorf("malicious probe %q: decision %s", r[2], decision)
		}
	}
	if !strings.Contains(out.String(), "sent 40 (0 transport errors)") {
		t.Errorf("traffic not sent:\n%s", out.String())
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil || !bytes.Contains(page, []byte("lambdawaf demo: orders API")) {
		t.Errorf("report not written: %v", err)
	}
}
