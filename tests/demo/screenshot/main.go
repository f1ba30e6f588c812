// Command screenshot renders a lambdawaf report from decision records and
// photographs it with headless Chromium, so that the page can be reviewed
// as a browser draws it (make report-screenshot).
//
//	go run ./tests/demo/screenshot -records dist/demo/agent.log -html dist/report/report.html -png dist/report/report.png
//
// The browser runs with networking features off and a throwaway profile;
// the page itself forbids every fetch with its Content-Security-Policy.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/report"
)

func main() {
	records := flag.String("records", "dist/demo/agent.log", "decision records (the agent's log)")
	htmlPath := flag.String("html", "dist/report/report.html", "where to write the report page")
	pngPath := flag.String("png", "dist/report/report.png", "where to write the screenshot")
	browser := flag.String("chromium", "", "Chromium binary (default: chromium, chromium-browser or google-chrome on PATH)")
	size := flag.String("window-size", "1280,2000", "browser window size")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, *records, *htmlPath, *pngPath, *browser, *size); err != nil {
		fmt.Fprintln(os.Stderr, "screenshot:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, records, htmlPath, pngPath, browser, size string) error {
	in, err := os.Open(records)
	if err != nil {
		return fmt.Errorf("%w (produce records first, e.g. go run ./tests/demo -once -traffic 300 -log %s)", err, records)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(htmlPath), 0o755); err != nil {
		return err
	}
	out, err := os.Create(htmlPath)
	if err != nil {
		return err
	}
	s, err := report.Generate(out, in, report.Options{Source: filepath.Base(records)})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("report: %s (%d decisions, %d blocked, %d lines skipped)\n", htmlPath, s.Total, s.Blocked, s.Skipped)
	if err := report.Screenshot(ctx, browser, htmlPath, pngPath, size); err != nil {
		return err
	}
	fmt.Printf("screenshot: %s\n", pngPath)
	return nil
}
