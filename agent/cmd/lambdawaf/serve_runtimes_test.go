package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// get makes one request and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	code, _, body := getWithHeader(t, url)
	return code, body
}

func getWithHeader(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestServeManagedRuntimesProtectHandlers serves a Python and a Node.js
// handler behind the real agent (through the layer's exec wrapper and the
// built-in bootstraps) and checks that a benign request reaches the handler
// and an attack is answered 403 by the agent, with one line per request.
func TestServeManagedRuntimesProtectHandlers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the agent and starts interpreters")
	}
	tests := []struct {
		runtime, trigger, handler, dir, interpreter, body string
	}{
		{"python3.12", "http", "app.handler", "testdata/functions/python", "python3", `"runtime": "python"`},
		{"nodejs22.x", "http", "index.handler", "testdata/functions/node", "node", `"runtime":"node"`},
		// -trigger applies to every runtime: the handlers read
		// queryStringParameters, which REST and ALB events carry too.
		{"python3.13", "rest", "app.handler", "testdata/functions/python", "python3", `"runtime": "python"`},
		{"nodejs24.x", "alb", "index.handler", "testdata/functions/node", "node", `"runtime":"node"`},
	}
	for _, tt := range tests {
		t.Run(tt.runtime+" "+tt.trigger, func(t *testing.T) {
			if _, err := exec.LookPath(tt.interpreter); err != nil {
				t.Fatalf("%s is needed (CI installs it): %v", tt.interpreter, err)
			}
			s := startServe(t, "-runtime", tt.runtime, "-trigger", tt.trigger, "-handler", tt.handler, "-function", tt.dir,
				"-agent", agentBinary(t), "-lines", "-quiet")
			if !strings.Contains(s.stderr.String(), "protected by the agent") {
				t.Errorf("banner does not say the function is protected:\n%s", s.stderr)
			}
			code, body := get(t, s.base+"/hello?name=ada")
			if code != 200 || !strings.Contains(body, tt.body) || !strings.Contains(body, "ada") {
				t.Errorf("benign request: %d %s", code, body)
			}
			code, header, body := getWithHeader(t, s.base+"/search?q=1%27%20OR%201%3D1--")
			if code != 403 || strings.Contains(body, tt.body) {
				t.Errorf("attack: %d %s", code, body)
			}
			waitFor(t, "two request lines", 5*time.Second, func() bool { return strings.Count(s.stdout.String(), "\n") >= 2 })
			out := s.stdout.String()
			if !strings.Contains(out, "GET /hello 200 allow") || !strings.Contains(out, "GET /search 403 BLOCK sqli") {
				t.Errorf("request lines:\n%s", out)
			}
			// The block response names Lambda's request id, the id on the
			// request line and the key of the decision record.
			id := header.Get(contract.RequestIDHeader)
			if id == "" || !strings.Contains(out, "403 BLOCK") || !strings.Contains(out, "id "+id) {
				t.Errorf("block response %s %q does not match the request lines:\n%s", contract.RequestIDHeader, id, out)
			}
		})
	}
}

// TestServeLogModeSaysWouldBlock: in log mode the attack reaches the
// handler and the line says what block mode would have done.
func TestServeLogModeSaysWouldBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the agent and starts python3")
	}
	s := startServe(t, "-runtime", "python3.12", "-handler", "app.handler", "-function", "testdata/functions/python",
		"-agent", agentBinary(t), "-mode", "log", "-lines", "-quiet")
	if code, _ := get(t, s.base+"/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"); code != 200 {
		t.Errorf("log mode answered %d", code)
	}
	waitFor(t, "a request line", 5*time.Second, func() bool { return strings.Contains(s.stdout.String(), "\n") })
	if out := s.stdout.String(); !strings.Contains(out, "GET /search 200 WOULD BLOCK xss") {
		t.Errorf("request line: %s", out)
	}
}

// TestServeJSONPrintsDecisionRecords: -json turns stdout into the agent's
// decision records, one JSON object per line.
func TestServeJSONPrintsDecisionRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the agent and starts node")
	}
	s := startServe(t, "-runtime", "nodejs22.x", "-handler", "index.handler", "-function", "testdata/functions/node",
		"-agent", agentBinary(t), "-json", "-quiet")
	get(t, s.base+"/")
	waitFor(t, "a record", 5*time.Second, func() bool { return strings.Contains(s.stdout.String(), "\n") })
	for line := range strings.Lines(s.stdout.String()) {
		if rec := decisionRecord([]byte(line)); rec == nil || rec.Decision != "allow" {
			t.Errorf("stdout line is not an allow decision record: %q", line)
		}
	}
}

// TestServeRefusesAGoBinaryThatBypassesTheAgent: a Go handler started with
// lambda.Start would reach the Runtime API around the agent; serve says so
// and exits before it listens, unless -allow-bypass.
func TestServeRefusesAGoBinaryThatBypassesTheAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go handler and the agent")
	}
	bin := filepath.Join(t.TempDir(), "plaingo")
	if b, err := exec.Command("go", "build", "-o", bin, "./testdata/functions/plaingo").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	code, stdout, stderr := runCLI(t, "serve", "-addr", "127.0.0.1:0", "-function", bin, "-agent", agentBinary(t))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"REFUSED: " + bin + " is a Go program that does not call redirect.Start (github.com/lambdawaf/lambdawaf/agent/redirect)",
		"UNPROTECTED", "redirect.Start(handler) instead of lambda.Start(handler)", "-allow-bypass",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if urlPattern.MatchString(stdout + stderr) {
		t.Errorf("serve listened before refusing:\n%s%s", stdout, stderr)
	}

	// The same binary under another name, named by -handler, runs through
	// the layer's bootstrap and wrapper: protected.
	dir := t.TempDir()
	if err := os.Rename(bin, filepath.Join(dir, "handler")); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "-function", dir, "-handler", "handler", "-agent", agentBinary(t), "-lines", "-quiet")
	if code, body := get(t, s.base+"/"); code != 200 || body != "unprotected" {
		t.Errorf("wrapped binary: %d %q", code, body)
	}
	if code, _ := get(t, s.base+"/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"); code != 403 {
		t.Errorf("wrapped binary let an attack through: %d", code)
	}
}

// TestServeWatchRestartsTheFunction edits a Python handler while serve
// -watch runs and expects the next request to see the new code, on the
// same port.
func TestServeWatchRestartsTheFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the agent and starts python3")
	}
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/functions/python/app.py")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.py"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "-runtime", "python3.12", "-handler", "app.handler", "-function", dir, "-agent", agentBinary(t), "-watch", "-quiet")
	if _, body := get(t, s.base+"/"); !strings.Contains(body, `"hello": "world"`) {
		t.Fatalf("before the edit: %s", body)
	}
	edited := strings.Replace(string(src), `"hello": name`, `"goodbye": name`, 1)
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the restart", 20*time.Second, func() bool { return strings.Contains(s.stderr.String(), "function restarted") })
	if _, body := get(t, s.base+"/"); !strings.Contains(body, `"goodbye": "world"`) {
		t.Errorf("after the edit: %s\nstderr:\n%s", body, s.stderr)
	}
}

// TestServeWatchRebuildsAGoFunction edits a Go function (a module of its
// own that requires the redirect module, as a user's does) while serve
// -watch runs: the next request runs the rebuilt binary.
func TestServeWatchRebuildsAGoFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go functions and the agent")
	}
	redirectDir, err := filepath.Abs("../../redirect")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	source := func(greeting string) string {
		return "package main\n\nimport \"github.com/lambdawaf/lambdawaf/agent/redirect\"\n\n" +
			"func handler() (map[string]any, error) {\n\treturn map[string]any{\"statusCode\": 200, \"body\": \"" + greeting + "\"}, nil\n}\n\n" +
			"func main() { redirect.Start(handler) }\n"
	}
	files := map[string]string{
		"go.mod": "module example.com/hello\n\ngo 1.21\n\nrequire github.com/lambdawaf/lambdawaf/agent/redirect v0.0.0\n\n" +
			"replace github.com/lambdawaf/lambdawaf/agent/redirect => " + redirectDir + "\n",
		"main.go": source("hello"),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir, tidy.Env = dir, append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	if b, err := tidy.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, b)
	}
	// A directory is built in its own module, wherever serve runs.
	s := startServe(t, "-function", dir, "-agent", agentBinary(t), "-watch", "-quiet")
	if _, body := get(t, s.base+"/"); body != "hello" {
		t.Fatalf("before the edit: %q", body)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(source("rebuilt")), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rebuild", 60*time.Second, func() bool { return strings.Contains(s.stderr.String(), "function restarted") })
	if _, body := get(t, s.base+"/"); body != "rebuilt" {
		t.Errorf("after the edit: %q\nstderr:\n%s", body, s.stderr)
	}
}
