package layer

import (
	"bytes"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// shells are the POSIX shells the scripts are tested under, when present:
// Lambda's images use bash as /bin/sh; dash and busybox ash are stricter.
func shells(t *testing.T) []string {
	t.Helper()
	var found []string
	for _, sh := range []string{"sh", "dash", "bash"} {
		if p, err := exec.LookPath(sh); err == nil {
			found = append(found, p)
		}
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		found = append(found, p+" sh")
	}
	if len(found) == 0 {
		t.Fatal("no POSIX shell found")
	}
	return found
}

type scriptResult struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func runScript(t *testing.T, shell, script string, env []string, args ...string) scriptResult {
	t.Helper()
	argv := append(strings.Fields(shell), script)
	cmd := exec.Command(argv[0], append(argv[1:], args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := scriptResult{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %s: %v", script, err)
	}
	return r
}

// extensionsDir returns a directory with (or without) the agent in it.
func extensionsDir(t *testing.T, withAgent bool) string {
	t.Helper()
	dir := t.TempDir()
	if withAgent {
		if err := os.WriteFile(filepath.Join(dir, "lambdawaf"), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func freePort(t *testing.T) (net.Listener, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, ln.Addr().(*net.TCPAddr).Port
}

// printEnv is the "runtime" the wrapper execs: it prints what it sees.
var printEnv = []string{"/bin/sh", "-c", `printf '%s|%s|%s' "$AWS_LAMBDA_RUNTIME_API" "${LAMBDAWAF_UPSTREAM:-}" "$*"`, "runtime", "arg one", "arg*two"}

const realAPI = "169.254.100.1:9001"

func TestWrapper(t *testing.T) {
	tests := []struct {
		name       string
		agent      bool
		listening  bool
		late       bool
		env        []string
		wantAgent  bool
		wantUp     string
		wantStderr string
		// The wait is bounded in wall time: at least the configured
		// wait, and not much more however loaded the machine is.
		minTook, maxTook time.Duration
	}{
		{name: "redirects to a listening agent", agent: true, listening: true, wantAgent: true, wantUp: realAPI},
		{name: "keeps a preset upstream", agent: true, listening: true, env: []string{"LAMBDAWAF_UPSTREAM=127.0.0.1:7000"}, wantAgent: true, wantUp: "127.0.0.1:7000"},
		{name: "waits for a late agent", agent: true, late: true, env: []string{"LAMBDAWAF_WAIT_MS=3000"}, wantAgent: true, wantUp: realAPI},
		{name: "agent not installed", agent: false, listening: true, wantStderr: "not installed"},
		// The wrapper's clock is /proc/uptime, 10 ms resolution: a 300 ms
		// wait can end up to one tick early by the test's clock.
		{name: "agent not listening fails open", agent: true, env: []string{"LAMBDAWAF_WAIT_MS=300"}, wantStderr: "UNPROTECTED", minTook: 290 * time.Millisecond, maxTook: 2500 * time.Millisecond},
		{name: "agent not listening fails closed", agent: true, env: []string{"LAMBDAWAF_WAIT_MS=100", "LAMBDAWAF_FAILURE_POLICY=closed"}, wantAgent: true, wantUp: realAPI, wantStderr: "failure policy closed"},
	}
	for _, shell := range shells(t) {
		for _, tt := range tests {
			t.Run(filepath.Base(shell)+"/"+tt.name, func(t *testing.T) {
				ln, port := freePort(t)
				if !tt.listening {
					ln.Close()
				}
				if tt.late {
					go func() {
						time.Sleep(200 * time.Millisecond)
						if late, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
							t.Cleanup(func() { late.Close() })
						}
					}()
				}
				env := append([]string{
					"AWS_LAMBDA_RUNTIME_API=" + realAPI,
					"LAMBDAWAF_PORT=" + strconv.Itoa(port),
					"LAMBDAWAF_EXTENSIONS_DIR=" + extensionsDir(t, tt.agent),
				}, tt.env...)
				r := runScript(t, shell, WrapperPath, env, printEnv...)
				if r.code != 0 {
					t.Fatalf("exit %d; stderr %s", r.code, r.stderr)
				}
				wantAPI, wantUp := realAPI, tt.wantUp
				if tt.wantAgent {
					wantAPI = "127.0.0.1:" + strconv.Itoa(port)
				}
				want := wantAPI + "|" + wantUp + "|arg one arg*two"
				if r.stdout != want {
					t.Errorf("runtime saw %q, want %q", r.stdout, want)
				}
				if tt.wantStderr == "" && r.stderr != "" || !strings.Contains(r.stderr, tt.wantStderr) {
					t.Errorf("stderr = %q, want it to mention %q", r.stderr, tt.wantStderr)
				}
				if tt.maxTook > 0 && (r.took > tt.maxTook || r.took < tt.minTook) {
					t.Errorf("took %v, want between %v and %v", r.took, tt.minTook, tt.maxTook)
				}
			})
		}
	}
}

func TestWrapperRefusals(t *testing.T) {
	for _, shell := range shells(t) {
		t.Run(filepath.Base(shell)+"/no command", func(t *testing.T) {
			r := runScript(t, shell, WrapperPath, nil)
			if r.code != 2 || !strings.Contains(r.stderr, "no command") {
				t.Errorf("exit %d stderr %q", r.code, r.stderr)
			}
		})
		t.Run(filepath.Base(shell)+"/bad port", func(t *testing.T) {
			env := []string{"AWS_LAMBDA_RUNTIME_API=" + realAPI, "LAMBDAWAF_PORT=90;rm", "LAMBDAWAF_EXTENSIONS_DIR=" + extensionsDir(t, true)}
			r := runScript(t, shell, WrapperPath, env, printEnv...)
			if r.code != 0 || !strings.HasPrefix(r.stdout, realAPI+"|") || !strings.Contains(r.stderr, "not a TCP port") {
				t.Errorf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestBootstrap(t *testing.T) {
	// The layer root, as /opt: bootstrap execs the wrapper next to it.
	opt := t.TempDir()
	for _, name := range []string{WrapperPath, BootstrapPath} {
		b, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(opt, name), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	task := t.TempDir()
	handler := "#!/bin/sh\nprintf '%s|%s' \"$AWS_LAMBDA_RUNTIME_API\" \"$LAMBDAWAF_UPSTREAM\"\n"
	if err := os.WriteFile(filepath.Join(task, "my-handler"), []byte(handler), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(task, "not-executable"), []byte(handler), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(task, "a-directory"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, port := freePort(t)
	base := []string{
		"AWS_LAMBDA_RUNTIME_API=" + realAPI,
		"LAMBDAWAF_PORT=" + strconv.Itoa(port),
		"LAMBDAWAF_EXTENSIONS_DIR=" + extensionsDir(t, true),
		"LAMBDA_TASK_ROOT=" + task,
	}
	tests := []struct {
		name, handler string
		code          int
		stdout        string
		stderr        string
	}{
		{"runs the handler redirected", "my-handler", 0, "127.0.0.1:" + strconv.Itoa(port) + "|" + realAPI, ""},
		{"no handler", "", 127, "", "_HANDLER is empty"},
		{"missing handler", "bootstrap", 127, "", "not found"},
		{"not executable", "not-executable", 127, "", "not an executable file"},
		{"a directory", "a-directory", 127, "", "not an executable file"},
	}
	for _, shell := range shells(t) {
		for _, tt := range tests {
			t.Run(filepath.Base(shell)+"/"+tt.name, func(t *testing.T) {
				r := runScript(t, shell, filepath.Join(opt, BootstrapPath), append(base, "_HANDLER="+tt.handler))
				if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
					t.Errorf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
				}
			})
		}
	}
}

func TestScriptsAreExecutableInTree(t *testing.T) {
	for _, name := range []string{WrapperPath, BootstrapPath} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s is not executable", name)
		}
		b, _ := os.ReadFile(name)
		if !bytes.HasPrefix(b, []byte("#!/bin/sh\n")) {
			t.Errorf("%s does not start with #!/bin/sh", name)
		}
	}
}
