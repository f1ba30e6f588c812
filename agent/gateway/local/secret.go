package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// keyServer plays, on loopback, the two AWS endpoints the agent needs to
// read its key: the container credentials endpoint (the SDK's
// AWS_CONTAINER_CREDENTIALS_FULL_URI) and Secrets Manager's GetSecretValue
// (AWS_ENDPOINT_URL_SECRETS_MANAGER). Every environment of one serve
// session then pseudonymises with the same key, as functions sharing a
// configured secret do on AWS; without it each environment would use its
// own random key and one client would look like several in the report.
type keyServer struct {
	ln    net.Listener
	srv   *http.Server
	arn   string
	key   string // hex of 32 random bytes, generated per session, never logged
	token string // the credentials endpoint's authorization token
}

const localSecretName = "lambdawaf-local-agent-key"

func startKeyServer(region string) (*keyServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("local: key server: %w", err)
	}
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	k := &keyServer{
		ln:    ln,
		arn:   "arn:aws:secretsmanager:" + cmpOr(region, "us-east-1") + ":123456789012:secret:" + localSecretName,
		key:   hex.EncodeToString(b[:32]),
		token: hex.EncodeToString(b[32:]),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /credentials", k.credentials)
	mux.HandleFunc("POST /", k.secretsManager)
	k.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go k.srv.Serve(ln)
	return k, nil
}

// env is what an environment needs to read the key (agent/awsapi reads
// the credentials endpoint, agentkey calls Secrets Manager).
func (k *keyServer) env() map[string]string {
	base := "http://" + k.ln.Addr().String()
	return map[string]string{
		"LAMBDAWAF_AGENT_KEY_SECRET_ARN":     k.arn,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER":   base,
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/credentials",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  k.token,
	}
}

func (k *keyServer) credentials(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != k.token {
		http.Error(w, `{"message":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{
		"AccessKeyId":     "ASIALAMBDAWAFLOCAL00",
		"SecretAccessKey": "local-only-not-a-secret",
		"Token":           "local-only",
		"Expiration":      time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
	})
}

// secretsManager answers GetSecretValue for the session's secret, in the
// awsJson1_1 protocol, and refuses everything else as Secrets Manager would.
func (k *keyServer) secretsManager(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"UnknownOperationException","message":"only GetSecretValue is served locally"}`)
		return
	}
	if !strings.Contains(r.Header.Get("Authorization"), "Credential=ASIALAMBDAWAFLOCAL00/") {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"UnrecognizedClientException","message":"the security token included in the request is invalid"}`)
		return
	}
	var in struct {
		SecretID string `json:"SecretId"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil || (in.SecretID != k.arn && in.SecretID != localSecretName) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}`)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"ARN":           k.arn,
		"Name":          localSecretName,
		"SecretString":  k.key,
		"VersionId":     "00000000-0000-4000-8000-000000000001",
		"VersionStages": []string{"AWSCURRENT"},
		"CreatedDate":   float64(time.Now().Unix()),
	})
}

func (k *keyServer) close(ctx context.Context) error { return k.srv.Shutdown(ctx) }
