package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// These tests run the real binary, built with the test hooks, the way
// Lambda runs it: from an extensions directory, under the name lambdawaf.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

func agentBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lambdawaf-ext-*")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "extensions", "lambdawaf")
		cmd := exec.Command("go", "build", "-tags", "testhooks", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build agent: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(filepath.Dir(binPath)))
	}
	os.Exit(code)
}

type process struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	port int
	done chan error
}

func startBinary(t *testing.T, f *fakeLambda, env ...string) (*process, time.Time) {
	t.Helper()
	bin := agentBinary(t)
	p := &process{logs: &syncBuffer{}, port: freePort(t), done: make(chan error, 1)}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append([]string{"AWS_LAMBDA_RUNTIME_API=" + f.addr(), "LAMBDAWAF_PORT=" + strconv.Itoa(p.port)}, env...)
	p.cmd.Stdout = p.logs
	p.cmd.Stderr = p.logs
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p, start
}

func (p *process) base() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }

func (p *process) shutdown(t *testing.T, f *fakeLambda) {
	t.Helper()
	f.lifecycle <- `{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":` + strconv.FormatInt(time.Now().Add(2*time.Second).UnixMilli(), 10) + `}`
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("agent exited: %v; logs:\n%s", err, p.logs)
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("agent did not exit after SHUTDOWN; logs:\n%s", p.logs)
	}
}

// TestBinaryColdStart starts the real binary five times against a fake
// Extensions API: it must register under its file name and reach its first
// event/next every time.
func TestBinaryColdStart(t *testing.T) {
	agentBinary(t) // build outside the measurement
	var times []time.Duration
	for range 5 {
		f := newFakeLambda(t)
		p, start := startBinary(t, f)
		select {
		case at := <-f.firstNext:
			times = append(times, at.Sub(start))
		case <-time.After(5 * time.Second):
			t.Fatalf("no event/next; logs:\n%s", p.logs)
		}
		if f.name != "lambdawaf" {
			t.Errorf("registered as %q, want the file name lambdawaf", f.name)
		}
		p.shutdown(t, f)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	median := times[len(times)/2]
	// The figure is logged, not asserted: a timing assertion in a unit test
	// fails on a loaded machine and proves nothing on an idle one. The
	// cold-start goal is checked by the benchmarks that print it
	// (make bench-rie on AWS's emulator; BenchmarkAgentColdStart).
	t.Logf("exec to first event/next: median %v, all %v", median, times)
}

func TestBinaryHooksRSSAndShutdown(t *testing.T) {
	f := newFakeLambda(t)
	p, _ := startBinary(t, f, "LAMBDAWAF_TESTHOOK_BLOCK=evil-marker", "LAMBDAWAF_TESTHOOK_PANIC=panic-marker", "LAMBDAWAF_LOG_LEVEL=warn")
	<-f.firstNext

	next := func() (string, string) {
		resp, err := http.Get(p.base() + "/2018-06-01/runtime/invocation/next")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Header.Get("Lambda-Runtime-Aws-Request-Id"), string(b)
	}
	respond := func(id, body string) {
		resp, err := http.Post(p.base()+"/2018-06-01/runtime/invocation/"+id+"/response", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		<-f.responses
	}

	// Blocked: answered upstream with the test hook's 403, never reflecting input.
	f.runtime <- invocation{"blocked", `{"q":"evil-marker <script>"}`}
	// Panicking inspector: fails open.
	f.runtime <- invocation{"panics", `{"q":"panic-marker"}`}
	if id, body := next(); id != "panics" || body != `{"q":"panic-marker"}` {
		t.Fatalf("runtime got %q %q", id, body)
	}
	blocked := <-f.responses
	if blocked.path != "/2018-06-01/runtime/invocation/blocked/response" || !strings.Contains(blocked.body, `"statusCode":403`) ||
		strings.Contains(blocked.body, "script") || strings.Contains(blocked.body, "evil") {
		t.Errorf("block response %+v", blocked)
	}
	respond("panics", `"ok"`)

	// Rounds of a 6 MB event and many small ones, then measure memory.
	// The 20 MB goal at steady state is measured by the benchmarks that
	// print it (make bench-rie, BenchmarkAgentMemory). Here the guard is
	// that nothing accumulates the events: the runtime may keep what the
	// memory limit lets it after the first round (RSS after a round varies
	// by up to 4 MB with when the collector last ran), but two more rounds
	// add less than one event's size to it, where keeping each event
	// would add two.
	startRSS, hwm, err := emulator.ProcessMemory(p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("agent RSS before the 6 MB events: %d kB (peak %d kB)", startRSS, hwm)
	big := `{"b":"` + strings.Repeat("x", 6<<20) + `"}`
	var first int
	for round := range 3 {
		id := "big" + strconv.Itoa(round)
		f.runtime <- invocation{id, big}
		if got, body := next(); got != id || len(body) != len(big) {
			t.Fatalf("big event: %q %d bytes", got, len(body))
		}
		respond(id, `"ok"`)
		for i := range 200 {
			id := "r" + strconv.Itoa(round) + "-" + strconv.Itoa(i)
			f.runtime <- invocation{id, `{"i":` + strconv.Itoa(i) + `}`}
			if got, _ := next(); got != id {
				t.Fatalf("got %q want %q", got, id)
			}
			respond(id, `"ok"`)
		}
		rss, hwm, err := emulator.ProcessMemory(p.cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("agent RSS after %d rounds of a 6 MB event and 200 invocations: %d kB (peak %d kB)", round+1, rss, hwm)
		if round == 0 {
			first = rss
		} else if round == 2 && rss > first+6*1024 {
			t.Errorf("RSS %d kB after %d rounds of a 6 MB event, %d kB after the first: something keeps the events", rss, round+1, first)
		}
	}
	logs := p.logs.String()
	if !strings.Contains(logs, "test hooks enabled") || !strings.Contains(logs, "letting the event through unchanged") {
		t.Errorf("logs:\n%s", logs)
	}
	start := time.Now()
	p.shutdown(t, f)
	t.Logf("shutdown took %v", time.Since(start))
}

func TestBinaryFailsClosed(t *testing.T) {
	f := newFakeLambda(t)
	p, _ := startBinary(t, f, "LAMBDAWAF_TESTHOOK_PANIC=panic-marker", "LAMBDAWAF_FAILURE_POLICY=closed")
	<-f.firstNext
	f.runtime <- invocation{"panics", `{"q":"panic-marker"}`}
	f.runtime <- invocation{"fine", `{}`}
	resp, err := http.Get(p.base() + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id"); id != "fine" {
		t.Errorf("runtime got %q, want the event after the failed one", id)
	}
	if r := <-f.responses; r.path != "/2018-06-01/runtime/invocation/panics/response" || !strings.Contains(r.body, "Forbidden") {
		t.Errorf("fail-closed response %+v", r)
	}
	p.shutdown(t, f)
}
