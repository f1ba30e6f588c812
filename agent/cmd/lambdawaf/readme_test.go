package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The README marks the blocks a user runs with an HTML comment before the
// fence:
//
//	<!-- runnable -->       run the next block with sh, in the session
//	                        directory (an empty directory shared by all
//	                        blocks, in README order); a last line
//	                        `lambdawaf serve …` keeps running in the
//	                        background, as in a second terminal
//	<!-- output -->         the next block is the shape of the output of the
//	                        runnable block before it
//	<!-- output: serve -->  the next block is the shape of what the running
//	                        serve has printed on stdout so far
const (
	markRunnable    = "<!-- runnable -->"
	markOutput      = "<!-- output -->"
	markServeOutput = "<!-- output: serve -->"
)

// readmeStep is one marked block.
type readmeStep struct {
	mark string
	text string
	line int // of the opening fence, for messages
}

// readmeSteps returns the marked blocks of a Markdown document in order.
func readmeSteps(doc string) ([]readmeStep, error) {
	var steps []readmeStep
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		mark := strings.TrimSpace(lines[i])
		if mark != markRunnable && mark != markOutput && mark != markServeOutput {
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			return nil, fmt.Errorf("README.md:%d: %s is not followed by a fenced block", i+1, mark)
		}
		start := i + 1
		var body []string
		for i = start + 1; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("README.md:%d: unterminated block", start+1)
		}
		steps = append(steps, readmeStep{mark: mark, text: strings.Join(body, "\n"), line: start + 1})
	}
	return steps, nil
}

// shapeRules turn an output line into its shape: what varies from run to
// run (times, durations, ids, versions, numbers) becomes a placeholder.
var shapeRules = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<id>"},
	{regexp.MustCompile(`\b\d{2}:\d{2}:\d{2}\b`), "<clock>"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|us|ms|s|m)\b`), "<duration>"},
	{regexp.MustCompile(`\(commit [^)]*\)`), "(<commit>)"},
	{regexp.MustCompile(`^lambdawaf (\(devel\)|v\S+)`), "lambdawaf <version>"},
	{regexp.MustCompile(`\bgo\d+\.\d+(\.\d+)?\b`), "<go>"},
	{regexp.MustCompile(`\b(linux|darwin|windows|freebsd)/\w+\b`), "<platform>"},
	{regexp.MustCompile(`\d+`), "<n>"},
	{regexp.MustCompile(` +`), " "},
}

func shape(line string) string {
	line = strings.TrimSpace(line)
	for _, r := range shapeRules {
		line = r.re.ReplaceAllString(line, r.repl)
	}
	return line
}

// sameShape compares output with the README's block, line by line.
func sameShape(got, want string) error {
	g := strings.Split(strings.TrimRight(got, "\n"), "\n")
	w := strings.Split(strings.TrimRight(want, "\n"), "\n")
	if len(g) != len(w) {
		return fmt.Errorf("%d lines, the README shows %d", len(g), len(w))
	}
	for i := range w {
		if shape(g[i]) != shape(w[i]) {
			return fmt.Errorf("line %d is %q (shape %q), the README shows %q (shape %q)", i+1, g[i], shape(g[i]), w[i], shape(w[i]))
		}
	}
	return nil
}

func TestShapeIgnoresWhatVaries(t *testing.T) {
	tests := []struct{ a, b string }{
		{"20:02:25 GET /hello 200 allow  inspect 504µs  total 9.1ms  id 5aeb5771-9aef-4ace-aa4e-59aa0a259647",
			"09:10:11 GET /hello 200 allow inspect 1.2ms total 31ms id 0b0b5771-0aef-4ace-aa4e-59aa0a259600"},
		{"lambdawaf (devel) (commit unknown) go1.26.8 linux/amd64", "lambdawaf v1.2.0 (commit 0123456789ab, 2026-12-06T19:00:00Z) go1.27 darwin/arm64"},
	}
	for _, tt := range tests {
		if shape(tt.a) != shape(tt.b) {
			t.Errorf("shapes differ:\n%q\n%q", shape(tt.a), shape(tt.b))
		}
	}
	for _, pair := range [][2]string{{"GET / 200 allow", "GET / 403 BLOCK"}, {"hello from go", "hello from node"}} {
		if shape(pair[0]) == shape(pair[1]) {
			t.Errorf("%q and %q have the same shape", pair[0], pair[1])
		}
	}
}

// TestReadmeRunnableBlocks runs every block of README.md marked runnable, in
// order, in an empty directory with the CLI freshly installed by the
// README's own `go install` line, an empty user cache (so serve builds the
// agent as it does on first use) and serve on a free port in place of
// 8080, and checks every output block's shape. It is also the test of a CLI
// installed with `go install` that runs outside the clone: version,
// validate and serve for Python, Node.js and Go.
func TestReadmeRunnableBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("installs the CLI, builds the agent and Go functions, starts interpreters")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := readmeSteps(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 {
		t.Fatal("README.md marks no runnable blocks")
	}
	session, gobin, cache := t.TempDir(), t.TempDir(), t.TempDir()
	port := freePort(t)
	env := append(os.Environ(),
		"LAMBDAWAF="+root, "GOBIN="+gobin, "PATH="+gobin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"XDG_CACHE_HOME="+cache, "GOCACHE="+goEnv(t, "GOCACHE"), "GOTOOLCHAIN=local", "NO_COLOR=1")
	localize := func(s string) string { return strings.ReplaceAll(s, "localhost:8080", "127.0.0.1:"+port) }

	var lastOut string
	var srv *readmeServe
	defer func() { srv.stop() }()
	for _, st := range steps {
		switch st.mark {
		case markRunnable:
			script := localize(st.text)
			if i := strings.LastIndex(script, "\nlambdawaf serve "); i >= 0 || strings.HasPrefix(script, "lambdawaf serve ") {
				srv.stop()
				srv = startReadmeServe(t, st, script, port, session, env)
				lastOut = ""
				continue
			}
			// What the user sees: stdout and stderr, interleaved.
			cmd := exec.Command("sh", "-ec", script)
			cmd.Dir, cmd.Env = session, env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("README.md:%d: %v\n%s\noutput:\n%s", st.line, err, st.text, out)
			}
			lastOut = string(out)
		case markOutput:
			if err := sameShape(lastOut, st.text); err != nil {
				t.Errorf("README.md:%d: output of the block before: %v", st.line, err)
			}
		case markServeOutput:
			if srv == nil {
				t.Fatalf("README.md:%d: no serve is running", st.line)
			}
			want := strings.Count(strings.TrimRight(st.text, "\n"), "\n") + 1
			got := srv.lines(want, 5*time.Second)
			if err := sameShape(got, st.text); err != nil {
				t.Errorf("README.md:%d: serve's output: %v", st.line, err)
			}
		}
	}
	// The installed command built the agent from the module source, once,
	// into the (empty at the start) user cache.
	agents, _ := filepath.Glob(filepath.Join(cache, "lambdawaf", "agent", "*", "lambdawaf-extension"))
	if len(agents) != 1 {
		t.Errorf("agent cache holds %v, want the one agent built on first use", agents)
	}
}

// readmeServe is a `lambdawaf serve` started by a README block.
type readmeServe struct {
	cmd    *exec.Cmd
	stdout *lockedBuffer
	done   chan struct{} // closed when the process has exited
}

// startReadmeServe runs the block with its last line, the serve command,
// exec'd in the background on the test's port, and waits for its banner.
func startReadmeServe(t *testing.T, st readmeStep, script, port, dir string, env []string) *readmeServe {
	t.Helper()
	lines := strings.Split(strings.TrimRight(script, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "lambdawaf serve ") {
		t.Fatalf("README.md:%d: lambdawaf serve must be the block's last line", st.line)
	}
	lines[len(lines)-1] = "exec " + last + " -addr 127.0.0.1:" + port + " -lines"
	s := &readmeServe{stdout: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command("sh", "-ec", strings.Join(lines, "\n"))
	s.cmd.Dir, s.cmd.Env, s.cmd.Stdout = dir, env, s.stdout
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	var banner lockedBuffer
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			fmt.Fprintln(&banner, sc.Text())
			if !signalled && strings.Contains(sc.Text(), "Ctrl-C to stop") {
				close(ready)
				signalled = true
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	var waitErr error
	go func() { waitErr = s.cmd.Wait(); close(s.done) }()
	select {
	case <-ready:
	case <-s.done:
		t.Fatalf("README.md:%d: serve exited: %v\nstderr:\n%s", st.line, waitErr, banner.String())
	case <-time.After(4 * time.Minute):
		s.cmd.Process.Kill()
		t.Fatalf("README.md:%d: serve did not start within 4 minutes\nstderr:\n%s", st.line, banner.String())
	}
	return s
}

// lines waits up to d for n lines on serve's stdout and returns them.
func (s *readmeServe) lines(n int, d time.Duration) string {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Count(s.stdout.String(), "\n") >= n {
			break
		}
	}
	return s.stdout.String()
}

// stop ends serve (SIGTERM, as timeout(1) would) and waits for its port to
// be free again.
func (s *readmeServe) stop() {
	if s == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
