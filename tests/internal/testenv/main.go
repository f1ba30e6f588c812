package testenv

import (
	"fmt"
	"os"
	"testing"
)

// Main runs a test package whose tests need binaries built first: build
// prepares them in a fresh temporary directory, removed once the tests
// have run. A build error fails the package with its message, naming the
// package; the tests do not run.
func Main(m *testing.M, pkg string, build func(dir string) error) {
	dir, err := os.MkdirTemp("", "lambdawaf-"+pkg+"-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintf(os.Stderr, "tests/%s build: %v\n", pkg, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}
