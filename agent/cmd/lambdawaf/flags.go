package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

func init() {
	register(command{
		name:    "flags",
		summary: "list, add or clear the flagged sources of a protection group (list | add | clear)",
		run:     runFlags,
	})
}

// runFlags manages the group's flag item in the shared-state table, with
// the standard AWS credential chain (environment, profile, role) and an
// optional -endpoint for local servers. Sources are stored as pseudonyms
// only; adding or clearing by address or identity needs the group's agent
// key (the secret named by -key-secret-arn or
// LAMBDAWAF_AGENT_KEY_SECRET_ARN).
func runFlags(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	usage := "usage: lambdawaf flags list|add|clear -table T -group G [-endpoint URL] [add/clear: -ip A | -identity V | -pseudonym P] [add: -for D]"
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("flags "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	tableName := fs.String("table", os.Getenv(contract.EnvFleetTable), "shared-state table (default $"+contract.EnvFleetTable+")")
	group := fs.String("group", os.Getenv(contract.EnvFleetGroup), "protection group (default $"+contract.EnvFleetGroup+")")
	endpoint := fs.String("endpoint", "", "DynamoDB endpoint URL, for a local server (default: AWS's, or $AWS_ENDPOINT_URL_DYNAMODB)")
	ip := fs.String("ip", "", "add/clear: a client address")
	identity := fs.String("identity", "", "add/clear: an identity or API key value")
	pseudonym := fs.String("pseudonym", "", "add/clear: a pseudonym as list prints it")
	keyARN := fs.String("key-secret-arn", os.Getenv(contract.EnvAgentKeySecretARN), "agent key secret, to pseudonymise -ip and -identity")
	dur := fs.Duration("for", time.Hour, "add: how long the flag lasts")
	all := fs.Bool("all", false, "clear: every flag of the group")
	fs.Usage = func() { fmt.Fprintln(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *tableName == "" {
		fmt.Fprintln(stderr, "lambdawaf flags: -table is required")
		return 2
	}
	if err := fleet.ValidGroup(*group); err != nil {
		fmt.Fprintln(stderr, "lambdawaf flags:", err)
		return 2
	}
	cfg, err := awsConfig(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "lambdawaf flags:", err)
		return 2
	}
	client, err := fleet.NewClientFromConfig(cfg, *endpoint, 10*time.Second)
	if err != nil {
		fmt.Fprintln(stderr, "lambdawaf flags:", err)
		return 2
	}
	t := &fleet.Table{API: client, Name: *tableName, Group: *group}
	now := time.Now()

	switch verb {
	case "list":
		flags, err := t.Flags(ctx, now)
		if err != nil {
			fmt.Fprintln(stderr, "lambdawaf flags:", err)
			return 2
		}
		sort.Slice(flags, func(i, j int) bool { return flags[i].Until.Before(flags[j].Until) })
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PSEUDONYM\tUNTIL\tREMAINING")
		for _, f := range flags {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Pseudonym, f.Until.UTC().Format(time.RFC3339), f.Until.Sub(now).Round(time.Second))
		}
		tw.Flush()
		return 0
	case "add", "clear":
		if verb == "clear" && *all {
			if err := t.ClearFlags(ctx); err != nil {
				fmt.Fprintln(stderr, "lambdawaf flags:", err)
				return 2
			}
			fmt.Fprintln(stdout, "cleared every flag of group", *group)
			return 0
		}
		p, err := sourcePseudonym(ctx, *ip, *identity, *pseudonym, *keyARN)
		if err != nil {
			fmt.Fprintln(stderr, "lambdawaf flags:", err)
			return 2
		}
		if verb == "add" {
			if *dur <= 0 || *dur > fleet.MaxFlagDuration {
				fmt.Fprintf(stderr, "lambdawaf flags: -for %v: want a positive duration up to %v\n", *dur, fleet.MaxFlagDuration)
				return 2
			}
			if err := t.SetFlag(ctx, p, now.Add(*dur), now); err != nil {
				fmt.Fprintln(stderr, "lambdawaf flags:", err)
				return 2
			}
			fmt.Fprintf(stdout, "flagged %s until %s\n", p, now.Add(*dur).UTC().Format(time.RFC3339))
			return 0
		}
		if err := t.ClearFlags(ctx, p); err != nil {
			fmt.Fprintln(stderr, "lambdawaf flags:", err)
			return 2
		}
		fmt.Fprintln(stdout, "cleared", p)
		return 0
	default:
		fmt.Fprintf(stderr, "lambdawaf flags: unknown action %q\n%s\n", verb, usage)
		return 2
	}
}

// sourcePseudonym turns exactly one of the source flags into the pseudonym
// the agents store, reading the agent key when it has to.
func sourcePseudonym(ctx context.Context, ip, identity, pseudonym, keyARN string) (string, error) {
	given := 0
	for _, v := range []string{ip, identity, pseudonym} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return "", errors.New("give exactly one of -ip, -identity, -pseudonym (or -all to clear)")
	}
	if pseudonym != "" {
		return pseudonym, nil
	}
	if keyARN == "" {
		return "", errors.New("-ip and -identity need the group's agent key: -key-secret-arn or $" + contract.EnvAgentKeySecretARN)
	}
	cfg, err := awsConfig(ctx)
	if err != nil {
		return "", err
	}
	client, err := agentkey.NewClientFromConfig(cfg)
	if err != nil {
		return "", err
	}
	key, err := agentkey.Fetch(ctx, client, keyARN)
	if err != nil {
		return "", fmt.Errorf("agent key: %w", err)
	}
	if ip != "" {
		return telemetry.Pseudonym(key, telemetry.SourcePrefix, ip), nil
	}
	return telemetry.Pseudonym(key, telemetry.UserPrefix, identity), nil
}
