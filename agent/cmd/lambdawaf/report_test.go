package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "agent.log")
	lines := `START RequestId: 1
{"level":"warn","message":"lambdawaf decision","kind":"decision","schema_version":1,"time":"2026-11-21T10:00:00Z","request_id":"r1","function_name":"orders","trigger":"apigateway-http","method":"GET","route":"$default","decision":"block","mode":"block","status_code":403,"signals":[{"class":"sqli","location":"query.id","rule":"libinjection-sqli","excerpt":"1' OR '1'='1","score":9}],"inspection_us":55,"source":"ip_00000000000000aa","sample_rate":1}
{"level":"info","message":"lambdawaf decision","kind":"decision","schema_version":1,"time":"2026-11-21T10:00:05Z","request_id":"r2","function_name":"orders","trigger":"apigateway-http","method":"GET","route":"$default","decision":"allow","mode":"block","inspection_us":20,"sample_rate":1}`
	if err := os.WriteFile(log, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.html")
	code, stdout, stderr := runCLI(t, "report", "-o", out, log)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "2 decisions (1 blocked, 0 logged only), 1 lines skipped") {
		t.Errorf("summary line: %q", stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "libinjection-sqli", "1&#39; OR &#39;1&#39;=&#39;1", "agent.log"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}

	code, stdout, _ = runCLI(t, "report", log, log)
	if code != 0 || !strings.Contains(stdout, "<!DOCTYPE html>") {
		t.Errorf("to stdout: exit %d, %d bytes", code, len(stdout))
	}
	if code, _, stderr = runCLI(t, "report", filepath.Join(dir, "missing.log")); code != 2 || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: exit %d stderr %q", code, stderr)
	}
	if code, _, _ = runCLI(t, "report", "-top", "0", log); code != 2 {
		t.Errorf("-top 0: exit %d", code)
	}
}
