// Package bundletest starts a real S3-compatible server for tests of
// bundle stores: gofakes3 (github.com/johannesboyne/gofakes3) over HTTP on
// 127.0.0.1, with its in-memory backend. gofakes3 v1.2.0 answers
// conditional GETs (If-None-Match, 304) and conditional PUTs (If-Match,
// If-None-Match: *) atomically under its backend lock, which is what the
// bundle pointer relies on; it does not check request signatures.
package bundletest

import (
	"bytes"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is a running S3-compatible server with one bucket.
type Server struct {
	// Endpoint is the server's base URL (http://127.0.0.1:PORT).
	Endpoint string
	// Bucket is the bucket created for the test.
	Bucket  string
	backend *s3mem.Backend
}

// NewS3Server starts a server with a versioned bucket named bucket; it is
// stopped when the test ends. It also sets dummy AWS credentials and a
// region in the test's environment, so the SDK's standard chain resolves
// without looking further (the server does not check signatures).
func NewS3Server(t testing.TB, bucket string) *Server {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLAMBDAWAFTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "lambdawaf-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	backend := s3mem.New()
	faker := gofakes3.New(backend)
	srv := httptest.NewServer(faker.Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
	if err := backend.SetVersioningConfiguration(bucket, gofakes3.VersioningConfiguration{Status: gofakes3.VersioningEnabled}); err != nil {
		t.Fatalf("enable versioning on %s: %v", bucket, err)
	}
	return &Server{Endpoint: srv.URL, Bucket: bucket, backend: backend}
}

// Object returns an object's bytes straight from the backend, bypassing
// HTTP: tests use it to check what was written.
func (s *Server) Object(t testing.TB, key string) []byte {
	t.Helper()
	obj, err := s.backend.GetObject(s.Bucket, key, nil)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	defer obj.Contents.Close()
	buf, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return buf
}

// Replace overwrites an object straight in the backend, unconditionally:
// what an attacker with write access to the bucket, but no signing key,
// can do.
func (s *Server) Replace(t testing.TB, key string, body []byte) {
	t.Helper()
	if _, err := s.backend.PutObject(s.Bucket, key, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatalf("replace %s: %v", key, err)
	}
}
