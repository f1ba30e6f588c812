package redirect

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// installAgent makes an extensions directory, with the agent in it or not.
func installAgent(t *testing.T, present bool) {
	t.Helper()
	dir := t.TempDir()
	if present {
		if err := os.WriteFile(filepath.Join(dir, AgentName), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(envExtensionsDir, dir)
}

func listen(t *testing.T) (net.Listener, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func TestRedirect(t *testing.T) {
	const real = "169.254.100.1:9001"
	tests := []struct {
		name           string
		agent          bool
		listening      bool
		upstream       string // preset LAMBDAWAF_UPSTREAM
		policy         string
		wantRedirected bool
		wantErr        bool
		wantAPI        string // "agent" for the agent's address
		wantUpstream   string
	}{
		{"agent absent", false, false, "", "", false, false, real, ""},
		{"agent listening", true, true, "", "", true, false, "agent", real},
		{"upstream already set is kept", true, true, "127.0.0.1:7777", "", true, false, "agent", "127.0.0.1:7777"},
		{"agent not listening fails open", true, false, "", "", false, true, real, ""},
		{"agent not listening fails closed", true, false, "", "closed", true, true, "agent", real},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			installAgent(t, tt.agent)
			ln, port := listen(t)
			if !tt.listening {
				ln.Close()
			}
			t.Setenv(envPort, port)
			t.Setenv(envRuntimeAPI, real)
			t.Setenv(envUpstream, tt.upstream)
			t.Setenv(envFailure, tt.policy)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			got, err := Redirect(ctx)
			if got != tt.wantRedirected || (err != nil) != tt.wantErr {
				t.Fatalf("Redirect() = %v, %v", got, err)
			}
			if err != nil && !errors.Is(err, ErrAgentNotListening) {
				t.Errorf("err = %v, want ErrAgentNotListening", err)
			}
			want := tt.wantAPI
			if want == "agent" {
				want = "127.0.0.1:" + port
			}
			if api := os.Getenv(envRuntimeAPI); api != want {
				t.Errorf("AWS_LAMBDA_RUNTIME_API = %q, want %q", api, want)
			}
			if up := os.Getenv(envUpstream); up != tt.wantUpstream {
				t.Errorf("LAMBDAWAF_UPSTREAM = %q, want %q", up, tt.wantUpstream)
			}
		})
	}
}

func TestRedirectWaitsForLateListener(t *testing.T) {
	installAgent(t, true)
	ln, port := listen(t)
	ln.Close()
	t.Setenv(envPort, port)
	t.Setenv(envRuntimeAPI, "169.254.100.1:9001")
	t.Setenv(envUpstream, "")
	go func() {
		time.Sleep(100 * time.Millisecond)
		late, err := net.Listen("tcp", "127.0.0.1:"+port)
		if err != nil {
			return
		}
		t.Cleanup(func() { late.Close() })
	}()
	ctx, cancel := context.WithTimeout(context.Background(), WaitBudget)
	defer cancel()
	if ok, err := Redirect(ctx); !ok || err != nil {
		t.Fatalf("Redirect() = %v, %v", ok, err)
	}
}

func TestRedirectRejectsBadPort(t *testing.T) {
	installAgent(t, true)
	t.Setenv(envPort, "nine")
	if ok, err := Redirect(context.Background()); ok || err == nil {
		t.Fatalf("Redirect() = %v, %v", ok, err)
	}
}

// TestStart runs Start in a child process (lambda.Start never returns) with
// one fake Runtime API playing the agent and another the real API, and
// checks which one the handler's invocation went through.
func TestStart(t *testing.T) {
	if os.Getenv("REDIRECT_TEST_CHILD") == "1" {
		Start(func(ctx context.Context, in map[string]any) (map[string]any, error) {
			return map[string]any{"echo": in["n"]}, nil
		})
		return
	}
	for _, agentPresent := range []bool{true, false} {
		t.Run("agent present="+strconv.FormatBool(agentPresent), func(t *testing.T) {
			agent, agentGot := fakeRuntimeAPI(t)
			real, realGot := fakeRuntimeAPI(t)
			dir := t.TempDir()
			if agentPresent {
				if err := os.WriteFile(filepath.Join(dir, AgentName), nil, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			_, agentPort, _ := net.SplitHostPort(agent)
			cmd := exec.Command(os.Args[0], "-test.run=^TestStart$")
			cmd.Env = append(os.Environ(), "REDIRECT_TEST_CHILD=1", envExtensionsDir+"="+dir, envPort+"="+agentPort,
				envRuntimeAPI+"="+real, envUpstream+"=")
			out, _ := cmd.CombinedOutput() // exits when next fails after one event
			want, other := agentGot, realGot
			if !agentPresent {
				want, other = realGot, agentGot
			}
			select {
			case body := <-want:
				if body != `{"echo":42}` {
					t.Errorf("response = %q", body)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no response on the expected API; child output:\n%s", out)
			}
			select {
			case body := <-other:
				t.Errorf("the other API got a response %q", body)
			default:
			}
		})
	}
}

// fakeRuntimeAPI serves one event, records the response, then fails next
// so that the child's aws-lambda-go exits.
func fakeRuntimeAPI(t *testing.T) (string, chan string) {
	t.Helper()
	got := make(chan string, 1)
	var served atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/2018-06-01/runtime/invocation/next" && served.CompareAndSwap(false, true):
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", "r1")
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
			_, _ = io.WriteString(w, `{"n":42}`)
		case strings.HasSuffix(r.URL.Path, "/r1/response"):
			b, _ := io.ReadAll(r.Body)
			got <- string(b)
			w.WriteHeader(http.StatusAccepted)
		default:
			w.WriteHeader(http.StatusGone)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), got
}

func TestWaitBudget(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want time.Duration
	}{{"", WaitBudget}, {"250", 250 * time.Millisecond}, {"0", 0}, {"-5", WaitBudget}, {"soon", WaitBudget}} {
		t.Setenv(envWaitMs, tt.env)
		if got := waitBudget(); got != tt.want {
			t.Errorf("LAMBDAWAF_WAIT_MS=%q: %v, want %v", tt.env, got, tt.want)
		}
	}
}
