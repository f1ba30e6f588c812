package proxy

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingServer is an upstream that counts the connections it accepted.
type countingServer struct {
	*httptest.Server
	mu    sync.Mutex
	conns []net.Conn
}

func newCountingServer(t *testing.T, h http.HandlerFunc) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *countingServer) accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeAll closes every connection from the server's side, as an upstream
// that drops idle connections would.
func (s *countingServer) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}

func get(t *testing.T, u *upstreamConns, ctx context.Context, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+u.addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return u.RoundTrip(req)
}

func TestUpstreamConnsKeepConnectionsAlive(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Trailer", "X-Sum")
		io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(b)+" "+r.Trailer.Get("X-Check"))
		w.Header().Set("X-Sum", "ok")
	})
	u := newUpstreamConns(strings.TrimPrefix(srv.URL, "http://"))
	defer u.closeIdle()
	for i := range 5 {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/post", bytes.NewReader([]byte("body")))
		if i%2 == 1 {
			// Chunked, with a trailer, as runtimes post errors.
			req.ContentLength = -1
			req.Trailer = http.Header{"X-Check": {"t"}}
		}
		resp, err := u.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := "POST /post body "
		if i%2 == 1 {
			want += "t"
		}
		if string(b) != want || resp.Trailer.Get("X-Sum") != "ok" {
			t.Fatalf("exchange %d: %q, trailer %v", i, b, resp.Trailer)
		}
	}
	if n := srv.accepted(); n != 1 {
		t.Errorf("%d connections for 5 sequential exchanges, want 1", n)
	}
}

func TestUpstreamConnsReplaceConnectionsUpstreamClosed(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	u := newUpstreamConns(strings.TrimPrefix(srv.URL, "http://"))
	defer u.closeIdle()
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			resp, err := get(t, u, t.Context(), "/first")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			srv.closeAll() // the idle connection dies while in the pool
			time.Sleep(20 * time.Millisecond)
			req, _ := http.NewRequestWithContext(t.Context(), method, srv.URL+"/again", bytes.NewReader([]byte("x")))
			resp, err = u.RoundTrip(req)
			if err != nil {
				t.Fatalf("after upstream closed the idle connection: %v", err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != "ok" {
				t.Errorf("answer %q", b)
			}
		})
	}
}

// The runtime giving up its next (or the proxy closing) ends the upstream
// long poll at once; the connection is dropped, not reused mid-answer.
func TestUpstreamConnsCancelWaitingRequest(t *testing.T) {
	release := make(chan struct{})
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wait" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		io.WriteString(w, "ok")
	})
	defer close(release)
	u := newUpstreamConns(strings.TrimPrefix(srv.URL, "http://"))
	defer u.closeIdle()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := get(t, u, ctx, "/wait"); err == nil || ctx.Err() == nil {
		t.Fatalf("cancelled long poll: err %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled long poll took %v", d)
	}
	resp, err := get(t, u, t.Context(), "/after")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "ok" {
		t.Errorf("answer after a cancelled one: %q", b)
	}
	if n := srv.accepted(); n != 2 {
		t.Errorf("%d connections, want 2 (the cancelled one is not reused)", n)
	}
}

// A body closed before its end leaves its connection unusable: it is
// closed, and the next exchange gets a fresh one.
func TestUpstreamConnsDropAbandonedBodies(t *testing.T) {
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 100<<10))
	})
	u := newUpstreamConns(strings.TrimPrefix(srv.URL, "http://"))
	defer u.closeIdle()
	for range 2 {
		resp, err := get(t, u, t.Context(), "/big")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Read(make([]byte, 10))
		resp.Body.Close()
	}
	if n := srv.accepted(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}
