package agentkey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const testARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lambdawaf-agent-key-AbCdEf"

// goodKey is a 40-byte key; tests check it never appears in logs.
const goodKey = "k3y-0123456789abcdef0123456789abcdef-xyz"

// fakeSecretsManager speaks the Secrets Manager JSON protocol for
// GetSecretValue. Each call consumes the next reply; the last one repeats.
type fakeSecretsManager struct {
	t       *testing.T
	replies []reply
	calls   atomic.Int32
}

type reply struct {
	status int
	body   string
	delay  time.Duration
}

func okReply(secretString string) reply {
	b, _ := json.Marshal(map[string]any{"ARN": testARN, "Name": "lambdawaf-agent-key", "VersionId": "v1", "SecretString": secretString})
	return reply{status: 200, body: string(b)}
}

func errReply(typ, msg string) reply {
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	return reply{status: 400, body: string(b)}
}

func (f *fakeSecretsManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("X-Amz-Target"); got != "secretsmanager.GetSecretValue" {
		f.t.Errorf("X-Amz-Target = %q", got)
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		f.t.Errorf("request not SigV4-signed: %q", r.Header.Get("Authorization"))
	}
	var in struct{ SecretId string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.SecretId != testARN {
		f.t.Errorf("SecretId = %q, %v", in.SecretId, err)
	}
	n := int(f.calls.Add(1)) - 1
	rep := f.replies[min(n, len(f.replies)-1)]
	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "req-1")
	w.WriteHeader(rep.status)
	w.Write([]byte(rep.body))
}

// testClient builds the real client with NewClient, pointed at srv.
func testClient(t *testing.T, srv *httptest.Server) *Client {
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	c, err := NewClient(context.Background(), func(o *ClientOptions) {
		o.Endpoint = srv.URL
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name       string
		replies    []reply
		maxWait    time.Duration
		wantSource string
		wantKey    string
		wantErr    string // substring of Err(); "" for none
		minCalls   int
	}{
		{"plain string", []reply{okReply(goodKey)}, 0, SourceSecret, goodKey, "", 1},
		{"json field", []reply{okReply(`{"agentKey":"` + goodKey + `"}`)}, 0, SourceSecret, goodKey, "", 1},
		{"throttled then ok", []reply{errReply("ThrottlingException", "Rate exceeded"), errReply("ThrottlingException", "Rate exceeded"), okReply(goodKey)}, 0, SourceSecret, goodKey, "", 3},
		{"server error then ok", []reply{{status: 500, body: `{"__type":"InternalServiceError","message":"oops"}`}, okReply(goodKey)}, 0, SourceSecret, goodKey, "", 2},
		{"access denied", []reply{errReply("AccessDeniedException", "not authorized to perform secretsmanager:GetSecretValue")}, 0, SourceEphemeral, "", "AccessDeniedException", 1},
		{"not found", []reply{errReply("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")}, 0, SourceEphemeral, "", "ResourceNotFoundException", 1},
		{"too short", []reply{okReply("short-key")}, 0, SourceEphemeral, "", "need at least 32", 1},
		{"json without key", []reply{okReply(`{"password":"` + goodKey + `"}`)}, 0, SourceEphemeral, "", "no string field", 1},
		{"always throttled", []reply{errReply("ThrottlingException", "Rate exceeded")}, 4 * time.Second, SourceEphemeral, "", "ThrottlingException", DefaultMaxAttempts},
		{"endpoint hangs", []reply{{status: 200, body: "{}", delay: 10 * time.Second}}, 1 * time.Second, SourceEphemeral, "", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeSecretsManager{t: t, replies: tt.replies}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			var logs bytes.Buffer
			client := testClient(t, srv)
			start := time.Now()
			k := Load(context.Background(), Options{
				SecretARN: testARN,
				Client:    client,
				MaxWait:   tt.maxWait,
				Logger:    zerolog.New(&logs),
			})
			// Load must not wait for Secrets Manager: a blocking Load would
			// take the endpoint's delay (1 s and more in the hanging case).
			// The margin is for a loaded machine, not for the fetch.
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("Load blocked for %v", d)
			}
			key, src, err := k.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			elapsed := time.Since(start)
			if src != tt.wantSource {
				t.Errorf("source = %q, want %q (err %v)", src, tt.wantSource, k.Err())
			}
			if tt.wantKey != "" && string(key) != tt.wantKey {
				t.Errorf("key = %q", key)
			}
			if src == SourceEphemeral {
				if !bytes.Equal(key, k.Fallback()) || len(key) != MinKeyLen {
					t.Errorf("ephemeral key is not the %d-byte fallback", MinKeyLen)
				}
				if k.Err() == nil {
					t.Error("Err() = nil for a failed fetch")
				} else if tt.wantErr != "" && !strings.Contains(k.Err().Error(), tt.wantErr) {
					t.Errorf("Err() = %v, want %q", k.Err(), tt.wantErr)
				}
				// Exactly one clear error line.
				lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
				if len(lines) != 1 || !strings.Contains(lines[0], `"level":"error"`) || !strings.Contains(lines[0], "agent key unavailable") {
					t.Errorf("want one error log line, got %q", logs.String())
				}
			} else if k.Err() != nil || logs.Len() != 0 {
				t.Errorf("unexpected error %v / logs %q", k.Err(), logs.String())
			}
			if int(fake.calls.Load()) < tt.minCalls {
				t.Errorf("calls = %d, want >= %d", fake.calls.Load(), tt.minCalls)
			}
			if tt.maxWait > 0 && elapsed > tt.maxWait+time.Second {
				t.Errorf("settled after %v, bound %v", elapsed, tt.maxWait)
			}
			if strings.Contains(logs.String(), goodKey) {
				t.Error("the key appears in the logs")
			}
		})
	}
}

func TestNoSecretConfigured(t *testing.T) {
	k := Load(context.Background(), Options{})
	key, src, ok := k.Get()
	if !ok || src != SourceEphemeral || len(key) != MinKeyLen || k.Err() != nil {
		t.Fatalf("Get() = %x, %q, %v; err %v", key, src, ok, k.Err())
	}
	if bytes.Equal(Ephemeral().Fallback(), k.Fallback()) {
		t.Error("two environments share a fallback key")
	}
}

func TestGetDoesNotBlock(t *testing.T) {
	srv := httptest.NewServer(&fakeSecretsManager{t: t, replies: []reply{{status: 200, body: "{}", delay: 2 * time.Second}}})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	k := Load(ctx, Options{SecretARN: testARN, Client: testClient(t, srv)})
	if _, _, ok := k.Get(); ok {
		t.Fatal("key settled before the endpoint answered")
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer wcancel()
	if _, _, err := k.Wait(wctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v", err)
	}
	cancel() // abandoning the fetch settles on the fallback
	<-k.Ready()
	if _, src, _ := k.Get(); src != SourceEphemeral {
		t.Errorf("source = %q after cancel", src)
	}
}

func TestParseBinary(t *testing.T) {
	key, err := Parse(&GetSecretValueOutput{SecretBinary: bytes.Repeat([]byte{7}, 32)})
	if err != nil || len(key) != 32 {
		t.Fatalf("Parse(binary) = %x, %v", key, err)
	}
	if _, err := Parse(&GetSecretValueOutput{}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Parse(empty) = %v", err)
	}
	if _, err := Parse(&GetSecretValueOutput{SecretString: new(`{"agentKey":`)}); err == nil || strings.Contains(err.Error(), "agentKey\":") {
		t.Fatalf("Parse(broken JSON) = %v", err)
	}
}

// BenchmarkLoadSlowEndpoint shows that Load costs the caller the same
// whether the secret endpoint answers at once or after 500 ms: the fetch
// is off the path to readiness.
func BenchmarkLoadSlowEndpoint(b *testing.B) {
	for _, delay := range []time.Duration{0, 500 * time.Millisecond} {
		b.Run("endpoint="+delay.String(), func(b *testing.B) {
			srv := httptest.NewServer(&fakeSecretsManager{t: &testing.T{}, replies: []reply{{status: 200, body: okReply(goodKey).body, delay: delay}}})
			defer srv.Close()
			b.Setenv("AWS_REGION", "eu-west-1")
			b.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
			b.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
			client, err := NewClient(context.Background(), func(o *ClientOptions) { o.Endpoint = srv.URL })
			if err != nil {
				b.Fatal(err)
			}
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				k := Load(context.Background(), Options{SecretARN: testARN, Client: client})
				total += time.Since(start)
				b.StopTimer()
				<-k.Ready()
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs-to-return/op")
		})
	}
}
