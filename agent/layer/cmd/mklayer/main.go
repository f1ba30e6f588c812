// Command mklayer writes the lambdawaf layer zip for one architecture:
//
//	mklayer -extension dist/x86_64/lambdawaf-extension -out dist/layer/lambdawaf-x86_64.zip [-arch x86_64]
//	mklayer -bootstrap -out dist/layer/lambdawaf-bootstrap.zip
//
// The agent layer zip holds extensions/lambdawaf and lambdawaf-wrapper; the
// bootstrap layer zip (the same for both architectures) holds bootstrap
// alone. All are executable; see package layer.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lambdawaf/lambdawaf/agent/layer"
)

func main() {
	extension := flag.String("extension", "", "path of the built extension binary (required)")
	out := flag.String("out", "", "path of the zip to write (required)")
	arch := flag.String("arch", "", "the layer's architecture, x86_64 or arm64 (default: named in -out)")
	bootstrap := flag.Bool("bootstrap", false, "write the bootstrap layer (no -extension) instead of the agent layer")
	flag.Parse()
	var err error
	if *bootstrap {
		err = runBootstrap(*extension, *out)
	} else {
		err = run(*extension, *out, *arch)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mklayer:", err)
		os.Exit(1)
	}
}

func run(extension, out, arch string) error {
	if extension == "" || out == "" {
		return fmt.Errorf("both -extension and -out are required")
	}
	if _, err := os.Stat(extension); err != nil {
		return fmt.Errorf("extension binary: %w", err)
	}
	if arch == "" {
		arch = layer.ArchFromName(filepath.Base(out))
	}
	if arch == "" {
		return fmt.Errorf("cannot tell the layer's architecture from %s: pass -arch x86_64 or -arch arm64", out)
	}
	// An extension for the wrong machine would only fail in Lambda, with
	// "exec format error": refuse to package it.
	if err := layer.CheckExtension(extension, arch); err != nil {
		return err
	}
	return writeFile(out, func(w io.Writer) error { return layer.WriteZip(w, extension) })
}

func runBootstrap(extension, out string) error {
	if extension != "" || out == "" {
		return fmt.Errorf("-bootstrap takes -out and no -extension")
	}
	return writeFile(out, layer.WriteBootstrapZip)
}

// writeFile writes out atomically: a failed write leaves no partial zip.
func writeFile(out string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
