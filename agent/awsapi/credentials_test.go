package awsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestCredentialsFromEnvTakesWhatLambdaProvides(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		wantID  string // "" when an error is wanted
		wantErr string
	}{
		{"execution role in the environment",
			map[string]string{"AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"}, "ASIAENV", ""},
		{"environment wins over a container endpoint",
			map[string]string{"AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds"}, "ASIAENV", ""},
		{"key id without its secret", map[string]string{"AWS_ACCESS_KEY_ID": "ASIAENV"}, "", "must be set together"},
		{"nothing", map[string]string{}, "", "no AWS credentials"},
		{"container endpoint over plain http elsewhere",
			map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://credentials.example.com/creds"}, "", "loopback"},
		{"container endpoint that is not a URL",
			map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "::nonsense"}, "", "not a URL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CredentialsFromEnv(envOf(tt.env), nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := p.Retrieve(context.Background())
			if err != nil || c.AccessKeyID != tt.wantID {
				t.Errorf("Retrieve = %+v, %v; want key id %s", c, err, tt.wantID)
			}
		})
	}
}

// credentialsServer plays the container credentials endpoint: each fetch
// hands out a new key that expires after lifetime.
type credentialsServer struct {
	t        *testing.T
	token    string
	lifetime time.Duration
	fetches  atomic.Int32
	status   int
}

func (s *credentialsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("Authorization"); got != s.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"InvalidToken","message":"authorization token does not match"}`)
		return
	}
	if s.status != 0 {
		w.WriteHeader(s.status)
		fmt.Fprint(w, `{"code":"InternalError","message":"try later"}`)
		return
	}
	n := s.fetches.Add(1)
	json.NewEncoder(w).Encode(map[string]string{
		"AccessKeyId":     fmt.Sprintf("ASIACONTAINER%04d", n),
		"SecretAccessKey": "secret",
		"Token":           "token",
		"Expiration":      time.Now().Add(s.lifetime).UTC().Format(time.RFC3339Nano),
	})
}

// Container credentials (SnapStart, `lambdawaf serve`) are fetched on first
// use, reused while valid, and fetched again once within the expiry window
// of their expiration.
func TestContainerCredentialsAreCachedAndRefreshedBeforeExpiry(t *testing.T) {
	srv := &credentialsServer{t: t, token: "tok-1", lifetime: DefaultExpiryWindow + 1500*time.Millisecond}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	p, err := CredentialsFromEnv(envOf(map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": hs.URL + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "tok-1",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.fetches.Load(); n != 0 {
		t.Fatalf("%d fetches before the first use", n)
	}
	ctx := context.Background()
	first, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.AccessKeyID != first.AccessKeyID || srv.fetches.Load() != 1 {
		t.Errorf("valid credentials fetched again: %s then %s, %d fetches", first.AccessKeyID, again.AccessKeyID, srv.fetches.Load())
	}
	if !first.CanExpire || first.Expires.IsZero() {
		t.Errorf("credentials do not carry their expiration: %+v", first)
	}
	time.Sleep(1600 * time.Millisecond) // now inside the expiry window
	renewed, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if renewed.AccessKeyID == first.AccessKeyID || srv.fetches.Load() != 2 {
		t.Errorf("expiring credentials not refreshed: %s then %s, %d fetches", first.AccessKeyID, renewed.AccessKeyID, srv.fetches.Load())
	}
}

func TestContainerCredentialsFailuresAreClear(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("from-file\n"), 0o600)
	for _, tt := range []struct {
		name    string
		p       func(url string) *ContainerCredentials
		status  int
		wantErr string
	}{
		{"token read from the file", func(u string) *ContainerCredentials {
			return &ContainerCredentials{URL: u, TokenFile: tokenFile}
		}, 0, ""},
		{"wrong token", func(u string) *ContainerCredentials { return &ContainerCredentials{URL: u, Token: "wrong"} }, 0, "401 Unauthorized: InvalidToken"},
		{"endpoint failing", func(u string) *ContainerCredentials { return &ContainerCredentials{URL: u, Token: "from-file"} }, 500, "InternalError try later"},
		{"missing token file", func(u string) *ContainerCredentials {
			return &ContainerCredentials{URL: u, TokenFile: filepath.Join(dir, "absent")}
		}, 0, "token file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hs := httptest.NewServer(&credentialsServer{t: t, token: "from-file", lifetime: time.Hour, status: tt.status})
			defer hs.Close()
			c, err := tt.p(hs.URL).Retrieve(context.Background())
			if tt.wantErr == "" {
				if err != nil || !strings.HasPrefix(c.AccessKeyID, "ASIACONTAINER") {
					t.Errorf("Retrieve = %+v, %v", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "from-file") {
				t.Errorf("error %q carries the token", err)
			}
		})
	}
}

// A call fails clearly, without reaching the service, when there are no
// credentials.
func TestCallWithoutCredentialsFails(t *testing.T) {
	c := &Client{Service: DynamoDB, Endpoint: "http://127.0.0.1:1", Region: "eu-west-1"}
	if err := c.Call(context.Background(), "GetItem", struct{}{}, nil); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("err = %v, want ErrNoCredentials", err)
	}
}
