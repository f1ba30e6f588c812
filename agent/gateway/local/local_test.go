package local

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

func TestRequireLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:8080": true, "localhost:0": true, "127.0.0.9:1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.0.2.1:80": false, "example.com:80": false, "nonsense": false,
	} {
		if err := RequireLoopback(addr); (err == nil) != ok {
			t.Errorf("RequireLoopback(%q) = %v", addr, err)
		}
	}
}

func TestLayOutLayer(t *testing.T) {
	dir := t.TempDir()
	agent := filepath.Join(dir, "lambdawaf-extension")
	wrapper := filepath.Join(dir, "lambdawaf-wrapper")
	for _, f := range []string{agent, wrapper} {
		if err := os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	layer, err := layOutLayer(agent, wrapper)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(layer)
	// The agent must be found under the name it registers with.
	for _, p := range []string{filepath.Join(layer, "extensions", "lambdawaf"), filepath.Join(layer, "lambdawaf-wrapper"), filepath.Join(layer, "bootstrap")} {
		if !IsExecutable(p) {
			t.Errorf("%s is not an executable in the layer", p)
		}
	}
	notExec := filepath.Join(dir, "data")
	os.WriteFile(notExec, nil, 0o644)
	if _, err := layOutLayer(notExec, ""); err == nil {
		t.Error("a non-executable agent was accepted")
	}
}

func TestFindAgentUnderDist(t *testing.T) {
	dir := t.TempDir()
	if got := FindAgent(dir); got != "" && filepath.Dir(filepath.Dir(got)) == filepath.Join(dir, "dist") {
		t.Fatalf("found %s in an empty dir", got)
	}
	bin := filepath.Join(dir, "dist", lambdaArch(), "lambdawaf-extension")
	os.MkdirAll(filepath.Dir(bin), 0o755)
	os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755)
	if got := FindAgent(dir); got != bin {
		t.Errorf("FindAgent = %q, want %q", got, bin)
	}
}

// TestKeyServerServesTheSessionKey reads the session key the way the agent
// does: the real Secrets Manager client, credentials from the container
// endpoint, the endpoint override from the environment.
func TestKeyServerServesTheSessionKey(t *testing.T) {
	k, err := startKeyServer("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	defer k.close(t.Context())
	for name, v := range k.env() {
		t.Setenv(name, v)
	}
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	client, err := agentkey.NewClient(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	key, err := agentkey.Fetch(t.Context(), client, os.Getenv(contract.EnvAgentKeySecretARN))
	if err != nil {
		t.Fatal(err)
	}
	if string(key) != k.key || len(key) < agentkey.MinKeyLen {
		t.Errorf("fetched a key of %d bytes that is not the session key", len(key))
	}
	if _, err := agentkey.Fetch(t.Context(), client, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other"); err == nil {
		t.Error("another secret was served")
	}
}
