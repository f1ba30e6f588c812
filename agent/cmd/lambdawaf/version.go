package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

func init() {
	register(command{
		name:    "version",
		summary: "print the module version, commit and Go version this command was built from",
		run:     runVersion,
	})
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stderr, "lambdawaf version: this binary carries no build information")
		return 1
	}
	fmt.Fprintln(stdout, versionLine(bi))
	return 0
}

// versionLine is
//
//	lambdawaf v1.2.3 (commit 0123abcd4567, 2026-12-06T19:00:00Z, modified) go1.26.8 linux/amd64
//
// from the build info: the module version ("(devel)" for a build from a
// clone), the VCS revision and time when the go command recorded them (not
// with -buildvcs=false), and the toolchain.
func versionLine(bi *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	commit := "commit unknown"
	if rev := settings["vcs.revision"]; rev != "" {
		commit = "commit " + rev[:min(len(rev), 12)]
		if t := settings["vcs.time"]; t != "" {
			commit += ", " + t
		}
		if settings["vcs.modified"] == "true" {
			commit += ", modified"
		}
	}
	platform := settings["GOOS"] + "/" + settings["GOARCH"]
	return fmt.Sprintf("lambdawaf %s (%s) %s %s", cmpOr(bi.Main.Version, "(devel)"), commit, bi.GoVersion, platform)
}
