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
	out := make([]Call, len(f.calls.records))
	owners := make([]*connOwner, len(f.calls.records))
	for i, rec := range f.calls.records {
		out[i], owners[i] = rec.call, rec.owner
	}
	f.calls.mu.Unlock()
	for i, o := range owners {
		if o != nil {
			out[i].Caller = o.wait()
		}
	}
	return out
}

type callRecord struct {
	call  Call
	owner *connOwner
}

// callLog records API calls and attributes each connection to the process
// that opened it, by matching the socket inode in /proc (Linux), off the
// request path: the lookup runs once per connection, in the background.
type callLog struct {
	f       *Function
	mu      sync.Mutex
	records []*callRecord
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

type ownerKey struct{}

type connOwner struct {
	done chan struct{}
	name string
}

func (o *connOwner) wait() string {
	select {
	case <-o.done:
		return o.name
	case <-time.After(time.Second):
		return ""
	}
}

func (c *callLog) connContext(ctx context.Context, conn net.Conn) context.Context {
	o := &connOwner{done: make(chan struct{})}
	remote, _ := conn.RemoteAddr().(*net.TCPAddr)
	local, _ := conn.LocalAddr().(*net.TCPAddr)
	go func() {
		defer close(o.done)
		if remote == nil || local == nil {
			return
		}
		// A process can connect in the instant between its exec and its
		// pid being recorded: look again briefly before giving up.
		for try := 0; try < 2 && o.name == ""; try++ {
			if try > 0 {
				time.Sleep(10 * time.Millisecond)
			}
			c.mu.Lock()
			pids := make(map[int]string, len(c.pids))
			for pid, name := range c.pids {
				pids[pid] = name
			}
			c.mu.Unlock()
			o.name = socketOwner(remote.Port, local.Port, pids)
		}
	}()
	return context.WithValue(ctx, ownerKey{}, o)
}

// socketOwner finds which of pids holds the client end of the loopback TCP
// connection from clientPort to serverPort.
func socketOwner(clientPort, serverPort int, pids map[int]string) string {
	inode := socketInode(clientPort, serverPort)
	if inode == "" {
		return ""
	}
	target := "socket:[" + inode + "]"
	for pid, name := range pids {
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if l, err := os.Readlink(filepath.Join(fmt.Sprintf("/proc/%d/fd", pid), fd.Name())); err == nil && l == target {
				return name
			}
		}
	}
	return ""
}

// socketInode reads /proc/net/tcp for the inode of the socket whose local
// port is clientPort and remote port serverPort.
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
		start := time.Now()
		gen := 0
		if env := c.f.current(); env != nil {
			gen = env.gen
		}
		sr := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sr, r)
		owner, _ := r.Context().Value(ownerKey{}).(*connOwner)
		c.mu.Lock()
		c.records = append(c.records, &callRecord{
			call:  Call{At: start, Generation: gen, Method: r.Method, Path: r.URL.Path, Status: sr.status},
			owner: owner,
		})
		c.mu.Unlock()
		if owner != nil {
			// Hold the (still buffered) response until the connection is
			// attributed: a client that closes its connection right after
			// the answer would otherwise vanish from /proc first. The
			// lookup started at accept, so this costs at most a fraction of
			// a millisecond, once per connection.
			select {
			case <-owner.done:
			case <-time.After(50 * time.Millisecond):
			}
		}
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

// VmRSS and VmHWM of a process in kilobytes, from /proc/<pid>/status: the
// figures the memory targets are measured with.
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
