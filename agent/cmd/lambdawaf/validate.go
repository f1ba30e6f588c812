package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"io"
	"os"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check configuration documents; print every problem with its line (exit 1 if any)",
		run:     runValidate,
	})
}

func runValidate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	schema := fs.Bool("schema", false, "print the configuration's JSON Schema and exit")
	keyARN := fs.String("agent-key-secret-arn", os.Getenv(contract.EnvAgentKeySecretARN),
		"the group's agent key secret the functions are deployed with; global rate limits and flagging require one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf validate [-schema] <config.yaml|config.json>...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *schema {
		stdout.Write(document.SchemaJSON)
		return 0
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	status := 0
	for _, path := range fs.Args() {
		p, err := policy.Load(path)
		if err != nil {
			status = 1
			var ce *document.Error
			if !errors.As(err, &ce) {
				fmt.Fprintf(stderr, "%s: %v\n", path, err)
				continue
			}
			for _, fe := range ce.Fields {
				fmt.Fprintln(stderr, formatProblem(path, fe))
			}
			fmt.Fprintf(stderr, "%s: invalid (%d problem%s)\n", path, len(ce.Fields), plural(len(ce.Fields)))
			continue
		}
		if p.NeedsSharedState() && *keyARN == "" {
			// Pseudonyms, and so counts and flags, only add up across
			// environments with the shared key.
			status = 1
			fmt.Fprintf(stderr, "%s: global rate limits and flagging need the protection group's shared agent key: deploy with the component's agent key (%s) and pass -agent-key-secret-arn (or set the variable)\n", path, contract.EnvAgentKeySecretARN)
			continue
		}
		for _, w := range p.Warnings() {
			fmt.Fprintf(stdout, "%s: warning: %s\n", path, w)
		}
		fmt.Fprintf(stdout, "%s: valid (%s)\n", path, p.Summary())
	}
	return status
}

// formatProblem prints a problem the way compilers do, so editors can jump
// to it: file:line:column: field: message.
func formatProblem(path string, fe *document.FieldError) string {
	loc := path
	if fe.Line > 0 {
		loc = fmt.Sprintf("%s:%d", path, fe.Line)
		if fe.Column > 0 {
			loc = fmt.Sprintf("%s:%d", loc, fe.Column)
		}
	}
	if fe.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, fe.Path, fe.Message)
	}
	return fmt.Sprintf("%s: %s", loc, fe.Message)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
