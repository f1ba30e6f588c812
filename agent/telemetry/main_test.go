package telemetry

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

// Planted secrets: test requests carry them, and no line any test writes
// may contain them.
const (
	plantedAuth   = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNlY3JldA"
	plantedCookie = "session=s3ss10n-c00k1e-v4lue"
	plantedCard   = "4111111111111111"
	plantedIP     = "203.0.113.77"
	plantedUser   = "alice@example.com"
	plantedAPIKey = "ak-live-0123456789abcdef"
	plantedAWSKey = "AKIAIOSFODNN7EXAMPLE"
	plantedQuery  = "hunter2-query-value"
)

var planted = []string{plantedAuth, "eyJzdWIiOiJhbGljZSJ9", "s3ss10n-c00k1e-v4lue", plantedCard, plantedIP, plantedUser, plantedAPIKey, plantedAWSKey, plantedQuery}

// captured holds everything every test wrote through capture.
var captured struct {
	sync.Mutex
	bytes.Buffer
}

type captureWriter struct{ w io.Writer }

func (c captureWriter) Write(p []byte) (int, error) {
	captured.Lock()
	captured.Write(p)
	captured.Unlock()
	return c.w.Write(p)
}

// capture returns a writer that records into buf and into the package-wide
// capture scanned after the tests.
func capture(buf io.Writer) io.Writer { return captureWriter{buf} }

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Lines() []string {
	t := strings.TrimSpace(s.String())
	if t == "" {
		return nil
	}
	return strings.Split(t, "\n")
}

// TestMain runs the tests, then fails the run if any captured line holds a
// planted secret.
func TestMain(m *testing.M) {
	code := m.Run()
	out := captured.String()
	for _, s := range planted {
		if strings.Contains(out, s) {
			fmt.Fprintf(os.Stderr, "FAIL: a log line written by the tests contains the planted secret %q\n", s)
			code = 1
		}
	}
	if code == 0 && !strings.Contains(out, `"kind":"decision"`) {
		fmt.Fprintln(os.Stderr, "FAIL: the leak scan saw no decision records; capture is not wired")
		code = 1
	}
	os.Exit(code)
}

func readSchemaDoc(t *testing.T) string {
	b, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
