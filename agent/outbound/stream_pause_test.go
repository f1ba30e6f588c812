package outbound

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// pausingReader returns size bytes per Read, pausing before each one, as a
// handler that streams slowly does.
type pausingReader struct {
	data  []byte
	size  int
	pause time.Duration
}

func (r *pausingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := min(r.size, len(r.data), len(p))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// TestFilterStreamPEMAfterALabelAndPauses: a private key introduced by a
// secret-looking name ("private-key: -----BEGIN ...") and streamed in small
// chunks, with and without pauses longer than IdleFlush, is masked whole.
// Both once leaked: the assignment detector claimed the value and stopped
// at the first space, and a pause released a cut "-----BEG" marker.
func TestFilterStreamPEMAfterALabelAndPauses(t *testing.T) {
	text := "order summary for private-key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c2f3vKq8Vn0mJ7wH0kR9m\n-----END RSA PRIVATE KEY-----\nthank you for shopping\n"
	for _, pause := range []time.Duration{0, IdleFlush + 10*time.Millisecond} {
		for _, size := range []int{3, 7, 16} {
			f, rep := newFilter(Mask, event.FunctionURL, nil)
			out, err := io.ReadAll(f.FilterStream(context.Background(), "text/plain", &pausingReader{data: []byte(text), size: size, pause: pause}))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(out), "MIIEowIBAAKCAQEA") || !strings.HasSuffix(string(out), "thank you for shopping\n") {
				t.Errorf("pause %v, %d-byte chunks: %q", pause, size, out)
			}
			if rep.last(t).Counts == nil {
				t.Errorf("pause %v, %d-byte chunks: nothing reported", pause, size)
			}
		}
	}
}
