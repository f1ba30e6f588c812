//go:build chromium

package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

// TestScreenshot renders a report with hostile and oversized values in
// headless Chromium (go test -tags chromium ./agent/report) and checks a
// full-size image came out. LAMBDAWAF_SCREENSHOT_DIR keeps the files.
func TestScreenshot(t *testing.T) {
	long := strings.Repeat("very-long-route-segment/", 12)
	var recs []telemetry.Record
	for i := range 120 {
		r := record(i, []string{"allow", "allow", "block", "log"}[i%4],
			telemetry.Signal{Class: "xss", Location: "body." + long, Rule: "libinjection-xss", Excerpt: `<img src=x onerror="alert(document.domain)">` + strings.Repeat("A", 200), Score: 8})
		r.Route = "GET /" + long
		recs = append(recs, r)
	}
	dir := os.Getenv("LAMBDAWAF_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	htmlPath, pngPath := filepath.Join(dir, "hostile.html"), filepath.Join(dir, "hostile.png")
	var page bytes.Buffer
	if _, err := Generate(&page, strings.NewReader(lines(t, recs...)), Options{Title: "<b>hostile</b>"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(htmlPath, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Screenshot(t.Context(), "", htmlPath, pngPath, "1280,2000"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1280 || cfg.Height != 2000 {
		t.Errorf("screenshot is %dx%d", cfg.Width, cfg.Height)
	}
}
