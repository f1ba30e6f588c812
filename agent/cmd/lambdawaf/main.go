// Command lambdawaf is the lambdawaf user CLI: it validates configurations,
// judges captured events offline with exactly the agent's pipeline,
// compares two configurations over a corpus before one is deployed, runs a
// function (Go, Python, Node.js, any binary) locally behind the agent, and
// turns decision records into a report.
//
//	lambdawaf validate lambdawaf.yaml
//	lambdawaf check -config lambdawaf.yaml events/
//	lambdawaf diff -old deployed.yaml -new candidate.yaml events/
//	lambdawaf serve -runtime python3.13 -handler app.handler -function ./fn
//	lambdawaf report -o report.html serve.log
//	lambdawaf version
//
// Installed with `go install`, it needs nothing from the clone: the agent
// serve runs is built from the module's source on first use (see
// local.CachedAgent).
//
// Each subcommand lives in its own file and registers itself in init.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand. run returns the process exit status: 0 on
// success, 1 when the subcommand's answer is "no" (invalid configuration,
// differences with -exit-code), 2 on usage or I/O errors.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's init and only read afterwards.
var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("lambdawaf: subcommand registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lambdawaf: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: lambdawaf <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'lambdawaf <command> -h' for a command's flags.")
}
