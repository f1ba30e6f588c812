package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func init() {
	register(command{
		name:    "diff",
		summary: "compare two configurations over an event corpus: newly blocked, newly allowed, changed reasons",
		run:     runDiff,
	})
}

// change classifies what a new configuration does to one event.
type change string

const (
	newlyBlocked   change = "newly blocked"
	newlyAllowed   change = "newly allowed"
	changedReasons change = "changed reasons"
	unchanged      change = "unchanged"
)

func classify(old, nw *firewall.Decision) change {
	ob, nb := old.Outcome == policy.Block, nw.Outcome == policy.Block
	switch {
	case !ob && nb:
		return newlyBlocked
	case ob && !nb:
		return newlyAllowed
	case old.Outcome != nw.Outcome || !equalStrings(reasonsText(old), reasonsText(nw)) ||
		!equalInts(old.DropRecords, nw.DropRecords) || old.Status != nw.Status:
		return changedReasons
	}
	return unchanged
}

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	oldCfg := fs.String("old", "", "the configuration running now (default: the built-in defaults)")
	newCfg := fs.String("new", "", "the candidate configuration (required)")
	mode := fs.String("mode", "", "override both configurations' mode: block, log or off")
	at := fs.String("at", "", "judge as of this RFC 3339 time (rule expiry); default now")
	exitCode := fs.Bool("exit-code", false, "exit 1 when any event's decision changes")
	all := fs.Bool("v", false, "also list unchanged events")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf diff [-old a.yaml] -new b.yaml [-mode m] [-at time] [-exit-code] [-v] <event.json|dir>...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *newCfg == "" || fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	t, err := parseAt(*at)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	oldFW, err := openFirewall(*oldCfg, *mode, t)
	if err != nil {
		fmt.Fprintf(stderr, "-old: %v\n", err)
		return 2
	}
	newFW, err := openFirewall(*newCfg, *mode, t)
	if err != nil {
		fmt.Fprintf(stderr, "-new: %v\n", err)
		return 2
	}
	files, err := eventFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	counts := map[change]int{}
	for _, f := range files {
		if ctx.Err() != nil {
			return 2
		}
		od, err := judgeFile(ctx, oldFW, f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		nd, err := judgeFile(ctx, newFW, f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		c := classify(od, nd)
		counts[c]++
		if c == unchanged && !*all {
			continue
		}
		fmt.Fprintf(stdout, "%s: %s (%s -> %s)\n", f, c, outcomeText(od), outcomeText(nd))
		if c == unchanged {
			continue
		}
		oldR, newR := reasonsText(od), reasonsText(nd)
		for _, r := range minus(oldR, newR) {
			fmt.Fprintf(stdout, "    - %s\n", r)
		}
		for _, r := range minus(newR, oldR) {
			fmt.Fprintf(stdout, "    + %s\n", r)
		}
	}
	fmt.Fprintf(stdout, "\n%d event%s: %d newly blocked, %d newly allowed, %d changed reasons, %d unchanged\n",
		len(files), plural(len(files)), counts[newlyBlocked], counts[newlyAllowed], counts[changedReasons], counts[unchanged])
	if *exitCode && counts[unchanged] != len(files) {
		return 1
	}
	return 0
}

func outcomeText(d *firewall.Decision) string {
	s := string(d.Outcome)
	if d.Outcome == policy.Block && len(d.DropRecords) > 0 {
		s = fmt.Sprintf("block records %v", d.DropRecords)
	}
	if d.Skipped != "" {
		s += ", not inspected: " + d.Skipped
	}
	return s
}

// minus returns the elements of a not in b (multiset difference).
func minus(a, b []string) []string {
	left := map[string]int{}
	for _, x := range b {
		left[x]++
	}
	var out []string
	for _, x := range a {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
