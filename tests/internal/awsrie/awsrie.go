// Package awsrie runs AWS's own Lambda runtime interface emulator
// (aws-lambda-rie, github.com/aws/aws-lambda-runtime-interface-emulator)
// around a layer directory and a function directory, for tests and
// benchmarks that must measure what Lambda does rather than what our own
// emulation (agent/emulator) believes it does.
//
// The emulator starts external extensions from /opt/extensions and, in
// Lambda Managed Instances mode, the runtime from /var/task/bootstrap. So
// each run gets a private mount namespace (unshare -m, as root): the layer
// is bind-mounted on /opt, a private tmpfs on /var holds /var/task, and
// the function directory is bind-mounted there. Nothing on the host
// changes, and each run listens on loopback ports of its own, so runs can
// go side by side.
//
// Facts the package relies on, found by running the emulator:
//   - with AWS_LAMBDA_MAX_CONCURRENCY set it emulates Managed Instances:
//     it ignores the bootstrap on its command line, runs the first of
//     /var/runtime/bootstrap, /var/task/bootstrap, /opt/bootstrap as uid
//     993 / gid 990 (every directory on the way must be readable by that
//     user), initialises at start, and answers 400 Runtime.Unavailable when
//     no runtime worker waits in next instead of queueing;
//   - without it, it initialises on the first invocation and logs
//     "INIT REPORT(durationMs: …)".
package awsrie

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lambdawaf/lambdawaf/tests/internal/testenv"
)

// invokePath is the emulator's invoke endpoint.
const invokePath = "/2015-03-31/functions/function/invocations"

// Binary returns the path of aws-lambda-rie: $AWS_LAMBDA_RIE, else the
// first on PATH, else $GOBIN or $GOPATH/bin, where go install puts it.
func Binary() (string, error) {
	if p := os.Getenv("AWS_LAMBDA_RIE"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p, nil
	}
	dirs := []string{os.Getenv("GOBIN")}
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		f := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(f) == 2 {
			dirs = append(dirs, strings.TrimSpace(f[0]), filepath.Join(strings.TrimSpace(f[1]), "bin"))
		}
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, "aws-lambda-rie")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", errors.New("aws-lambda-rie not found: run tests/rie/install.sh (go install, pinned version)")
}

// Usable reports why AWS's emulator cannot run here, or nil: it needs
// root (for the mount namespace), unshare and mount, and the binary.
func Usable() error {
	if os.Geteuid() != 0 {
		return errors.New("not root: AWS's emulator needs a private mount namespace (unshare -m) to see the layer at /opt")
	}
	for _, tool := range []string{"unshare", "mount"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: %w", tool, err)
		}
	}
	if out, err := exec.Command("unshare", "-m", "true").CombinedOutput(); err != nil {
		return fmt.Errorf("unshare -m does not work here: %v: %s", err, bytes.TrimSpace(out))
	}
	_, err := Binary()
	return err
}

// Options describe one emulated function.
type Options struct {
	// Layer is mounted on /opt (extensions in Layer/extensions). Empty:
	// an empty /opt.
	Layer string
	// Task is mounted on /var/task. In Managed Instances mode the
	// emulator runs Task/bootstrap.
	Task string
	// Bootstrap is the runtime command outside Managed Instances mode, a
	// path as the emulator sees it (say /var/task/bootstrap).
	Bootstrap string
	// MaxConcurrency > 0 sets AWS_LAMBDA_MAX_CONCURRENCY: Managed
	// Instances mode.
	MaxConcurrency int
	// Env is added to the emulator's environment, which extensions and the
	// runtime inherit.
	Env []string
	// LogLevel is the emulator's --log-level; empty is "info".
	LogLevel string
	// OnLine, when set, sees every line the emulator, the extensions and
	// the runtime print, from one goroutine.
	OnLine func(string)
}

// Emulator is one running aws-lambda-rie.
type Emulator struct {
	// Addr is the invoke address (host:port); RuntimeAPI the Runtime and
	// Extensions API address the emulator serves to the function.
	Addr, RuntimeAPI string

	cmd    *exec.Cmd
	done   chan struct{} // closed when the output has been read to the end
	client *http.Client

	mu       sync.Mutex
	initMs   []float64
	tail     []string // last lines, for error messages
	waitErr  error
	exited   chan struct{}
	closeMux sync.Once
}

// initReport matches both modes' INIT REPORT lines.
var initReport = regexp.MustCompile(`INIT REPORT\((?:[^)]*?)durationMs: ([0-9.]+)`)

// mountScript builds the private mount namespace and execs the emulator.
const mountScript = `set -e
mount --bind "$RIE_LAYER" /opt
mount -t tmpfs -o mode=0755 tmpfs /var
mkdir /var/task
mount --bind "$RIE_TASK" /var/task
cd /var/task
exec "$@"
`

// Start runs the emulator and waits until it accepts invocations.
func Start(ctx context.Context, o Options) (*Emulator, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	layer, task := o.Layer, o.Task
	for _, d := range []*string{&layer, &task} {
		if *d == "" {
			empty, err := os.MkdirTemp("", "awsrie-empty-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(empty) // mounted by then; the mount keeps it alive
			os.Chmod(empty, 0o755)
			*d = empty
		}
	}
	ports, err := testenv.FreePorts(2)
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		Addr:       "127.0.0.1:" + ports[0],
		RuntimeAPI: "127.0.0.1:" + ports[1],
		done:       make(chan struct{}),
		exited:     make(chan struct{}),
		client: &http.Client{Transport: &http.Transport{
			MaxIdleConnsPerHost: 128, DisableCompression: true,
		}},
	}
	level := o.LogLevel
	if level == "" {
		level = "info"
	}
	args := []string{"-m", "--propagation", "private", "sh", "-c", mountScript, "sh", bin,
		"--runtime-interface-emulator-address", e.Addr, "--runtime-api-address", e.RuntimeAPI, "--log-level", level}
	if o.MaxConcurrency == 0 && o.Bootstrap != "" {
		args = append(args, o.Bootstrap)
	}
	cmd := exec.Command("unshare", args...)
	cmd.Env = append(os.Environ(), "RIE_LAYER="+layer, "RIE_TASK="+task)
	if o.MaxConcurrency > 0 {
		cmd.Env = append(cmd.Env, "AWS_LAMBDA_MAX_CONCURRENCY="+strconv.Itoa(o.MaxConcurrency))
	}
	cmd.Env = append(cmd.Env, o.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("start aws-lambda-rie: %w", err)
	}
	pw.Close()
	e.cmd = cmd
	go e.read(pr, o.OnLine)
	go func() {
		err := cmd.Wait()
		e.mu.Lock()
		e.waitErr = err
		e.mu.Unlock()
		close(e.exited)
	}()
	if err := e.waitListening(ctx, 10*time.Second); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *Emulator) read(r io.ReadCloser, onLine func(string)) {
	defer close(e.done)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "INIT REPORT") {
			if m := initReport.FindStringSubmatch(line); m != nil {
				if ms, err := strconv.ParseFloat(m[1], 64); err == nil {
					e.mu.Lock()
					e.initMs = append(e.initMs, ms)
					e.mu.Unlock()
				}
			}
		}
		e.mu.Lock()
		if len(e.tail) >= 40 {
			e.tail = e.tail[1:]
		}
		e.tail = append(e.tail, line)
		e.mu.Unlock()
		if onLine != nil {
			onLine(line)
		}
	}
}

func (e *Emulator) waitListening(ctx context.Context, budget time.Duration) error {
	deadline := time.Now().Add(budget)
	for {
		c, err := net.DialTimeout("tcp", e.Addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-e.exited:
			return fmt.Errorf("aws-lambda-rie exited at start: %v\n%s", e.waitErr, e.Tail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("aws-lambda-rie not listening on %s after %s\n%s", e.Addr, budget, e.Tail())
		}
	}
}

// Tail returns the last lines of output, for failure messages.
func (e *Emulator) Tail() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.tail, "\n")
}

// InitDurations returns every INIT REPORT duration seen so far, in order
// (one per initialisation: the first, then one per environment reset).
func (e *Emulator) InitDurations() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]time.Duration, len(e.initMs))
	for i, ms := range e.initMs {
		out[i] = time.Duration(ms * float64(time.Millisecond))
	}
	return out
}

// Result is one invocation's answer.
type Result struct {
	Status int
	Header http.Header
	Body   []byte
}

// Invoke sends payload to the function and reads the whole answer.
func (e *Emulator) Invoke(ctx context.Context, payload []byte) (*Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+e.Addr+invokePath, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read invoke answer: %w", err)
	}
	return &Result{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// RuntimeUnavailable reports whether r is Managed Instances mode's refusal
// for want of a runtime worker waiting in next: the invocation never ran,
// and a client should retry it.
func (r *Result) RuntimeUnavailable() bool {
	return r.Status == http.StatusBadRequest && bytes.Contains(r.Body, []byte("Runtime.Unavailable"))
}

// RSS returns the resident set size of the emulator's descendant process
// whose argv[0] is path (as the emulator sees it, say
// /opt/extensions/lambdawaf).
func (e *Emulator) RSS(path string) (int64, error) {
	pid, err := e.PID(path)
	if err != nil {
		return 0, err
	}
	{
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return 0, err
		}
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
				if err != nil {
					return 0, fmt.Errorf("parse VmRSS %q: %w", rest, err)
				}
				return kb << 10, nil
			}
		}
		return 0, fmt.Errorf("no VmRSS for pid %d", pid)
	}
}

// Usage is what a process has used so far: CPU time (user and system,
// every thread), context switches (voluntary and not, every thread) and
// the system calls that read and write (/proc/PID/io's syscr and syscw).
// The kernel counts CPU time in clock ticks (10 ms at USER_HZ 100): read
// it around enough work that a tick does not matter. Context switches
// and system calls are counts, which a loaded machine changes far less
// than it changes times.
type Usage struct {
	CPU           time.Duration
	Switches      int64
	Reads, Writes int64
}

// Sub returns u − v.
func (u Usage) Sub(v Usage) Usage {
	return Usage{CPU: u.CPU - v.CPU, Switches: u.Switches - v.Switches, Reads: u.Reads - v.Reads, Writes: u.Writes - v.Writes}
}

// Usage returns what the emulator's descendant process whose argv[0] is
// path has used so far.
func (e *Emulator) Usage(path string) (Usage, error) {
	pid, err := e.PID(path)
	if err != nil {
		return Usage{}, err
	}
	var u Usage
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Usage{}, err
	}
	// The command name (field 2) may hold spaces; count fields after it.
	_, rest, ok := strings.Cut(string(stat), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return Usage{}, fmt.Errorf("parse /proc/%d/stat: %d fields", pid, len(f))
	}
	var ticks int64
	for _, v := range f[11:13] { // utime, stime (fields 14 and 15)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return Usage{}, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	u.CPU = time.Duration(ticks) * (time.Second / userHZ)
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return Usage{}, err
	}
	for _, t := range tasks {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, t.Name()))
		if err != nil {
			continue // the thread exited meanwhile
		}
		u.Switches += procField(string(status), "voluntary_ctxt_switches:") + procField(string(status), "nonvoluntary_ctxt_switches:")
	}
	io, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return Usage{}, err
	}
	u.Reads, u.Writes = procField(string(io), "syscr:"), procField(string(io), "syscw:")
	return u, nil
}

// procField reads the number after name at the start of a line of a
// /proc file, 0 if there is none.
func procField(text, name string) int64 {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return n
		}
	}
	return 0
}

// userHZ is the unit of the CPU times in /proc/PID/stat on Linux.
const userHZ = 100

// PID returns the process id of the emulator's descendant whose argv[0]
// is path (as the emulator sees it).
func (e *Emulator) PID(path string) (int, error) {
	for _, pid := range descendants(e.cmd.Process.Pid) {
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		if argv0, _, _ := bytes.Cut(cmdline, []byte{0}); string(argv0) == path {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("no process %s under the emulator", path)
}

// Close stops the emulator and every process it started.
func (e *Emulator) Close() {
	e.closeMux.Do(func() {
		e.client.CloseIdleConnections()
		pids := descendants(e.cmd.Process.Pid)
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		select {
		case <-e.exited:
		case <-time.After(5 * time.Second):
		}
		select {
		case <-e.done:
		case <-time.After(2 * time.Second):
		}
	})
}

// descendants lists root and every process below it, from /proc.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return []int{root}
	}
	children := map[int][]int{}
	for _, ent := range entries {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + ent.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}
