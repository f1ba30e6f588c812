package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Screenshot photographs the report page at htmlPath into pngPath with
// headless Chromium (browser, or chromium/chromium-browser/google-chrome on
// PATH), in a window of size "width,height". The browser runs with a
// throwaway profile and its background networking off; the page itself
// forbids every fetch.
func Screenshot(ctx context.Context, browser, htmlPath, pngPath, size string) error {
	if browser == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				browser = p
				break
			}
		}
		if browser == "" {
			return errors.New("no Chromium found (apt-get install -y chromium)")
		}
	}
	absHTML, err := filepath.Abs(htmlPath)
	if err != nil {
		return err
	}
	absPNG, err := filepath.Abs(pngPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(absPNG), 0o755); err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "lambdawaf-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+profile, "--screenshot="+absPNG, "--window-size="+size,
		"file://"+absHTML)
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("chromium: %w\n%s", err, outb)
	}
	if fi, err := os.Stat(absPNG); err != nil || fi.Size() == 0 {
		return fmt.Errorf("chromium wrote no screenshot: %v\n%s", err, outb)
	}
	return nil
}
