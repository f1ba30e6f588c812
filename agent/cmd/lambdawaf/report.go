package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/report"
)

func init() {
	register(command{
		name:    "report",
		summary: "turn decision records (agent logs) into one self-contained HTML page",
		run:     runReport,
	})
}

func runReport(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "-", "output HTML file (- for stdout)")
	title := fs.String("title", "", "page title (default \"lambdawaf decisions\")")
	top := fs.Int("top", 10, "entries in the ranked lists (routes, sources, locations, rules)")
	maxBlocked := fs.Int("max-blocked", 200, "rows in the table of blocked requests (newest first)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lambdawaf report [-o report.html] [flags] [log-file ...]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Reads decision records from the files (or stdin when none or \"-\"): agent")
		fmt.Fprintln(stderr, "stdout, CloudWatch Logs exports, 'lambdawaf serve -log' files. Lines that are")
		fmt.Fprintln(stderr, "not records are skipped and counted. The page loads nothing from the network.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *top <= 0 || *maxBlocked <= 0 {
		fmt.Fprintln(stderr, "lambdawaf report: -top and -max-blocked must be positive")
		return 2
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	var readers []io.Reader
	var names []string
	for _, path := range inputs {
		if path == "-" {
			readers = append(readers, os.Stdin)
			names = append(names, "stdin")
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(stderr, "lambdawaf report:", err)
			return 2
		}
		defer f.Close()
		// A newline between files keeps a last line without one from
		// merging with the next file's first.
		readers = append(readers, f, strings.NewReader("\n"))
		names = append(names, filepath.Base(path))
	}
	var page bytes.Buffer
	s, err := report.Generate(&page, io.MultiReader(readers...), report.Options{
		Title: *title, Source: strings.Join(names, ", "), Top: *top, MaxBlocked: *maxBlocked,
	})
	if err != nil {
		fmt.Fprintln(stderr, "lambdawaf report:", err)
		return 2
	}
	if *out == "-" {
		if _, err := stdout.Write(page.Bytes()); err != nil {
			fmt.Fprintln(stderr, "lambdawaf report:", err)
			return 2
		}
	} else if err := os.WriteFile(*out, page.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "lambdawaf report:", err)
		return 2
	}
	fmt.Fprintf(stderr, "lambdawaf report: %d decisions (%d blocked, %d logged only), %d lines skipped%s\n",
		s.Total, s.Blocked, s.Logged, s.Skipped, map[bool]string{true: " → " + *out, false: ""}[*out != "-"])
	return 0
}
