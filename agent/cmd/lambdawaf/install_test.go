package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInstalledCLIWorksOutsideTheClone does what a user does: `go install`
// the CLI into an empty GOBIN, then, from an empty directory with an empty
// user cache, runs version, validate and serve (which builds the agent from
// the module source on first use) and sends a benign and an attack request
// to a Python handler.
func TestInstalledCLIWorksOutsideTheClone(t *testing.T) {
	if testing.Short() {
		t.Skip("installs the CLI and builds the agent")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	gobin, empty, cache := t.TempDir(), t.TempDir(), t.TempDir()
	install := exec.Command("go", "install", "./agent/cmd/lambdawaf")
	install.Dir = root
	install.Env = append(os.Environ(), "GOBIN="+gobin)
	if b, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, b)
	}
	cli := filepath.Join(gobin, "lambdawaf")
	env := append(os.Environ(), "XDG_CACHE_HOME="+cache, "HOME="+empty, "GOCACHE="+goEnv(t, "GOCACHE"), "GOMODCACHE="+goEnv(t, "GOMODCACHE"), "GOPATH="+goEnv(t, "GOPATH"))
	command := func(args ...string) *exec.Cmd {
		c := exec.Command(cli, args...)
		c.Dir, c.Env = empty, env
		return c
	}

	out, err := command("version").Output()
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	if !regexp.MustCompile(`^lambdawaf \S+ \((commit [0-9a-f]{12}[^)]*|commit unknown)\) go1\.\d+(\.\d+)? \w+/\w+\n$`).Match(out) {
		t.Errorf("version printed %q", out)
	}

	cfg := filepath.Join(empty, "lambdawaf.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\nmode: block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := command("validate", "lambdawaf.yaml").CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "lambdawaf.yaml: valid (mode block") {
		t.Errorf("validate: %v\n%s", err, out)
	}

	fn := filepath.Join(empty, "fn")
	if err := os.MkdirAll(fn, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/functions/python/app.py")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fn, "app.py"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	serve := command("serve", "-addr", "127.0.0.1:0", "-runtime", "python3.12", "-handler", "app.handler", "-function", "fn", "-config", "lambdawaf.yaml", "-quiet")
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serve.Process.Signal(syscall.SIGTERM)
		serve.Wait()
	}()
	urls := make(chan string, 1)
	var banner strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			banner.WriteString(sc.Text() + "\n")
			if u := urlPattern.FindString(sc.Text()); u != "" {
				urls <- u
				break
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(3 * time.Minute):
		t.Fatalf("serve printed no URL within 3 minutes:\n%s", banner.String())
	}
	if code, body := get(t, base+"/?name=installed"); code != 200 || !strings.Contains(body, "installed") {
		t.Errorf("benign request: %d %s", code, body)
	}
	if code, _ := get(t, base+"/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"); code != 403 {
		t.Errorf("attack: %d", code)
	}
	agents, _ := filepath.Glob(filepath.Join(cache, "lambdawaf", "agent", "*", "lambdawaf-extension"))
	if len(agents) != 1 {
		t.Errorf("agent cache holds %v, want one agent built on first use", agents)
	}
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
