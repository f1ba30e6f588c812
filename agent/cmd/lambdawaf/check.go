package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func init() {
	register(command{
		name:    "check",
		summary: "judge event files offline with a configuration; print each decision with its reasons",
		run:     runCheck,
	})
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := fs.String("config", "", "configuration document (default: the built-in defaults)")
	mode := fs.String("mode", "", "override the configuration's mode: block, log or off (as LAMBDAWAF_MODE)")
	at := fs.String("at", "", "judge as of this RFC 3339 time (rule expiry); default now")
	asJSON := fs.Bool("json", false, "print one JSON decision per event")
	failOnBlock := fs.Bool("fail-on-block", false, "exit 1 if any event is blocked")
	replay := fs.String("replay", "", "replay a recorded sequence of requests and responses (JSON lines: at, event, response) and show when thresholds would fire")
	verbose := fs.Bool("v", false, "with -replay: print every request, not only those blocked or logged")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf check [-config c.yaml] [-mode m] [-at time] [-json] [-fail-on-block] <event.json|dir>...")
		fmt.Fprintln(stderr, "       lambdawaf check [-config c.yaml] [-mode m] [-v] -replay sequence.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *replay != "" {
		return runReplay(ctx, *cfg, *mode, *replay, *verbose, stdout, stderr)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	t, err := parseAt(*at)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fw, err := openFirewall(*cfg, *mode, t)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	files, err := eventFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	counts := map[policy.Outcome]int{}
	skipped := 0
	enc := json.NewEncoder(stdout)
	for _, f := range files {
		if ctx.Err() != nil {
			return 2
		}
		d, err := judgeFile(ctx, fw, f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		counts[d.Outcome]++
		if d.Skipped != "" {
			skipped++
		}
		if *asJSON {
			enc.Encode(struct {
				File string `json:"file"`
				*firewall.Decision
			}{f, d})
			continue
		}
		printDecision(stdout, f, d)
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "\n%d event%s: %d blocked, %d logged, %d allowed (%d not inspected)\n",
			len(files), plural(len(files)), counts[policy.Block], counts[policy.Log], counts[policy.Allow], skipped)
	}
	if *failOnBlock && counts[policy.Block] > 0 {
		return 1
	}
	return 0
}

func printDecision(w io.Writer, file string, d *firewall.Decision) {
	head := strings.ToUpper(string(d.Outcome))
	if d.Outcome == policy.Block && len(d.DropRecords) > 0 {
		head = fmt.Sprintf("BLOCK records %v", d.DropRecords)
	} else if d.Outcome == policy.Block {
		head = fmt.Sprintf("BLOCK %d", d.Status)
	}
	if d.WouldBlock {
		head += " (would block)"
	}
	fmt.Fprintf(w, "%s: %s  trigger=%s", file, head, d.Trigger)
	if d.Method != "" {
		fmt.Fprintf(w, " %s", d.Method)
	}
	if d.Route != "" {
		fmt.Fprintf(w, " route=%q", d.Route)
	}
	fmt.Fprintf(w, " time=%s\n", d.Duration.Round(1000))
	if d.Skipped != "" {
		fmt.Fprintf(w, "    not inspected: %s", d.Skipped)
		if d.Error != "" {
			fmt.Fprintf(w, " (%s)", d.Error)
		}
		fmt.Fprintln(w)
	}
	for _, r := range reasonsText(d) {
		fmt.Fprintf(w, "    reason: %s\n", r)
	}
	for _, s := range d.Signals {
		fmt.Fprintf(w, "    signal: %s %s at %s score %d", s.Class, s.Rule, s.Location, s.Score)
		if s.Excerpt != "" {
			fmt.Fprintf(w, " excerpt %q", s.Excerpt)
		}
		fmt.Fprintln(w)
	}
	if len(d.RuleIDs) > 0 {
		fmt.Fprintf(w, "    rules: %s\n", strings.Join(d.RuleIDs, ", "))
	}
	if len(d.Labels) > 0 {
		fmt.Fprintf(w, "    labels: %s\n", strings.Join(d.Labels, ", "))
	}
	for _, s := range d.Shadow {
		fmt.Fprintf(w, "    shadow: rule %s would %s\n", s.ID, s.Action)
	}
}
