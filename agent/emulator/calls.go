package emulator

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Call is one request the emulated APIs served.
type Call struct {
	At         time.Time
	Generation int // environment generation serving it (0: none)
	Method     string
	Path       string
	Status     int
	// Caller names the process that opened the connection: "runtime", an
	// extension's file name, or "" when it could not be attributed (for
	// example a connection from the test process itself). A runtime whose
	// calls reach the emulator through the agent shows up as the agent.
	Caller string
}

// Calls returns every API call served so far, in the order they completed.
// A call is listed once its handler has finished, which can be a moment
// after its effect (an Invoke result) was visible to the caller.
func (f *Function) Calls() []Call {
	f.calls.mu.Lock()
	defer f.calls.mu.Unlock()
	return append([]Call(nil), f.calls.records...)
}

// callLog records API calls and attributes each connection to the process
// that opened it (Linux: the socket's inode from netlink sock_diag, matched
// against the processes' open descriptors), once per connection.
type callLog struct {
	f       *Function
	mu      sync.Mutex
	records []Call
	pids    map[int]string
}

func newCallLog(f *Function) *callLog {
	return &callLog{f: f, pids: map[int]string{}}
}

func (c *callLog) addProcess(pid int, name string) {
	c.mu.Lock()
	c.pids[pid] = name
	c.mu.Unlock()
}

// removeProcess forgets an exited process, whose pid the OS may reuse.
func (c *callLog) removeProcess(pid int) {
	c.mu.Lock()
	delete(c.pids, pid)
	c.mu.Unlock()
}

type ownerKey struct{}

// connOwner attributes one connection, once, on its first request: the
// client is then blocked waiting for the answer, so its socket is
// certainly still there to be found.
type connOwner struct {
	once          sync.Once
	name          string
	local, remote int
}

func (c *callLog) connContext(ctx context.Context, conn net.Conn) context.Context {
	o := &connOwner{}
	if a, ok := conn.LocalAddr().(*net.TCPAddr); ok {
		o.local = a.Port
	}
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		o.remote = a.Port
	}
	return context.WithValue(ctx, ownerKey{}, o)
}

// resolve finds the process behind the connection (tens of microseconds
// with netlink sock_diag), retrying once for a process that connected in
// the instant between its exec and its pid being recorded.
func (c *callLog) resolve(o *connOwner) {
	o.once.Do(func() {
		for try := 0; try < 2; try++ {
			if try > 0 {
				time.Sleep(5 * time.Millisecond)
			}
			c.mu.Lock()
			pids := make(map[int]string, len(c.pids)+1)
			for pid, name := range c.pids {
				pids[pid] = name
			}
			c.mu.Unlock()
			pids[os.Getpid()] = selfOwner
			if o.name = socketOwner(o.remote, o.local, pids); o.name != "" {
				break
			}
		}
		if o.name == selfOwner {
			o.name = ""
		}
	})
}

// selfOwner marks connections from the process running the emulator (a
// test playing the runtime by hand): known, but not one of the function's
// processes.
const selfOwner = "\x00self"

// socketOwner finds which of pids holds the client end of the loopback TCP
// connection from clientPort to serverPort.
func socketOwner(clientPort, serverPort int, pids map[int]string) string {
	var inode string
	if n, err := loopbackSocketInode(clientPort, serverPort); err == nil {
		inode = strconv.FormatUint(uint64(n), 10)
	} else {
		inode = socketInode(clientPort, serverPort) // no sock_diag: slow path
	}
	if inode == "" {
		return ""
	}
	target := "socket:[" + inode + "]"
	// The function's processes first; the host process (many descriptors)
	// last.
	for _, self := range []bool{false, true} {
		for pid, name := range pids {
			if (name == selfOwner) != self {
				continue
			}
			if holdsSocket(pid, target) {
				return name
			}
		}
	}
	return ""
}

// holdsSocket reports whether process pid has the socket target open.
func holdsSocket(pid int, target string) bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, fd := range fds {
		if l, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && l == target {
			return true
		}
	}
	return false
}

// socketInode reads /proc/net/tcp for the inode of the socket whose local
// port is clientPort and remote port serverPort: the fallback when netlink
// sock_diag is unavailable.
func socketInode(clientPort, serverPort int) string {
	fh, err := os.Open("/proc/net/tcp")
	if err != nil {
		return ""
	}
	defer fh.Close()
	local := fmt.Sprintf(":%04X", clientPort)
	remote := fmt.Sprintf(":%04X", serverPort)
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		if strings.HasSuffix(fields[1], local) && strings.HasSuffix(fields[2], remote) {
			return fields[9]
		}
	}
	return ""
}

// statusRecorder captures the status code while keeping http.Flusher
// (streamed bodies) working.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusRecorder) Flush() {
	if fl, ok := s.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (c *callLog) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		owner, _ := r.Context().Value(ownerKey{}).(*connOwner)
		if owner != nil {
			c.resolve(owner)
		}
		start := time.Now()
		gen := 0
		if env := c.f.current(); env != nil {
			gen = env.gen
		}
		sr := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sr, r)
		call := Call{At: start, Generation: gen, Method: r.Method, Path: r.URL.Path, Status: sr.status}
		if owner != nil {
			call.Caller = owner.name
		}
		c.mu.Lock()
		c.records = append(c.records, call)
		c.mu.Unlock()
	})
}

// CallsTo filters calls by path suffix (for example "/response").
func CallsTo(calls []Call, suffix string) []Call {
	var out []Call
	for _, c := range calls {
		if strings.HasSuffix(c.Path, suffix) {
			out = append(out, c)
		}
	}
	return out
}

// ProcessMemory returns a process's VmRSS and VmHWM in kilobytes, from
// /proc/<pid>/status: the figures the memory targets are measured with.
func ProcessMemory(pid int) (rssKB, hwmKB int, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read process status: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			rssKB, _ = strconv.Atoi(fields[1])
		case "VmHWM:":
			hwmKB, _ = strconv.Atoi(fields[1])
		}
	}
	return rssKB, hwmKB, nil
}
