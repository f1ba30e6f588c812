package main

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Package initialisation runs before main, so before the agent binds and
// registers: all of it is cold start, and what it allocates stays live for
// the garbage collector to scan on every cycle. Work that can wait for the
// first use must wait for it. The test reads the Go runtime's own account
// (GODEBUG=inittrace=1) of the real binary: allocations are deterministic,
// unlike times on a shared machine.
func TestPackageInitWaitsForFirstUse(t *testing.T) {
	cmd := exec.Command(agentBinary(t))
	// No AWS_LAMBDA_RUNTIME_API: main exits at once, after the inits.
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1", "AWS_LAMBDA_RUNTIME_API=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	_ = cmd.Run() // exit status 1 is expected
	inits := map[string]int64{}
	var total int64
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		b, err := strconv.ParseInt(f[7], 10, 64)
		if err != nil {
			t.Fatalf("inittrace line %q: %v", sc.Text(), err)
		}
		inits[f[1]] += b
		total += b
	}
	if len(inits) == 0 {
		t.Fatalf("no inittrace output:\n%s", stderr.String())
	}
	// Each package, at most: what it allocates at init that a lazy
	// version would not. The JSON Schema library compiles its drafts'
	// meta-schemas only when a schema is compiled (the copy in
	// agent/internal/thirdparty/jsonschema); the agent compiles one only
	// once it has a configuration document to check.
	for _, c := range []struct {
		pkg   string
		limit int64
	}{
		{"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema", 64 << 10},
		{"github.com/lambdawaf/lambdawaf/agent/detect", 64 << 10},
		{"github.com/lambdawaf/lambdawaf/agent/bundle", 128 << 10},
		{"github.com/lambdawaf/lambdawaf/agent/policy", 128 << 10},
		// its keyword tables are literals (sqli_tables.go); what is left
		// is two maps of HTML names
		{"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection", 32 << 10},
	} {
		if got := inits[c.pkg]; got > c.limit {
			t.Errorf("%s allocates %d bytes at package init, more than %d: make the work lazy (sync.OnceValue) or generate it at build time", c.pkg, got, c.limit)
		}
	}
	// The detectors' packages together: about 60 KB since their keyword
	// lists (lex.WordList, lex.FirstIndex) build their tables on first
	// use;
	// 240 KB before.
	var tree int64
	for pkg, b := range inits {
		if strings.HasPrefix(pkg, "github.com/lambdawaf/lambdawaf/agent/detect") {
			tree += b
		}
	}
	if tree > 128<<10 {
		t.Errorf("agent/detect/... allocates %d bytes at package init, more than 128 KiB: build keyword tables on first use", tree)
	}
	// The whole binary: today about 235 KB (570 KB before the keyword
	// lists were made lazy and libinjection's tables literals; 2.2 MB
	// while the AWS SDK's configuration loader and service clients were
	// linked; deps_test.go keeps them out).
	if total > 384<<10 {
		t.Errorf("package init allocates %d bytes in all, more than 384 KiB; biggest: %s", total, biggest(inits, 5))
	}
}

// biggest lists the n packages that allocate most at init.
func biggest(inits map[string]int64, n int) string {
	pkgs := slices.SortedFunc(maps.Keys(inits), func(a, b string) int { return cmp.Compare(inits[b], inits[a]) })
	var b strings.Builder
	for i, p := range pkgs[:min(n, len(pkgs))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", p, inits[p])
	}
	return b.String()
}
