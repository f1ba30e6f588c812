package bundle

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rs/zerolog"

	"github.com/lambdawaf/lambdawaf/agent/bundle/bundletest"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// storeFixture is a real S3-compatible server, the agent's S3 client
// reading it, and a signer whose key the agent trusts.
type storeFixture struct {
	srv    *bundletest.Server
	loc    Location
	getter *countingFetcher
	signer *Ed25519Signer
	keys   *Keyring
}

func newStoreFixture(t *testing.T) *storeFixture {
	srv := bundletest.NewS3Server(t, "waf-bundles")
	loc := Location{Bucket: srv.Bucket, Prefix: "prod/"}
	s := newSigner(t)
	return &storeFixture{
		srv: srv, loc: loc, signer: s, keys: keyring(t, s),
		getter: &countingFetcher{f: &S3Getter{
			Location: loc, Region: "us-east-1", Endpoint: srv.Endpoint,
			Credentials: credentials.NewStaticCredentialsProvider("AKIDLAMBDAWAFTEST", "secret", ""),
		}},
	}
}

// upload writes a signed bundle straight into the bucket.
func (f *storeFixture) upload(t *testing.T, sb *Signed) {
	f.srv.Replace(t, f.loc.Key(BundleKey(sb.Ref.Version)), sb.Object)
	f.srv.Replace(t, f.loc.Key(ManifestKey(sb.Ref.Version)), sb.Manifest)
}

func (f *storeFixture) point(t *testing.T, p *Pointer) {
	f.pointRaw(t, signPointer(t, p, f.signer))
}

func (f *storeFixture) pointRaw(t *testing.T, data []byte) {
	f.srv.Replace(t, f.loc.Key(contract.BundlePointerKey), data)
}

// countingFetcher counts the conditional GETs answered NotModified.
type countingFetcher struct {
	f           Fetcher
	mu          sync.Mutex
	notModified int
}

func (c *countingFetcher) Fetch(ctx context.Context, key, etag string) (*Object, error) {
	o, err := c.f.Fetch(ctx, key, etag)
	if err == nil && o.NotModified {
		c.mu.Lock()
		c.notModified++
		c.mu.Unlock()
	}
	return o, err
}

// pollerUnderTest records what the poller applied and counted.
type pollerUnderTest struct {
	*Poller
	clock   time.Time
	applied []*Running
	counts  map[string]int
}

func newPollerUnderTest(t *testing.T, f *storeFixture, agentVersion string) *pollerUnderTest {
	pt := &pollerUnderTest{clock: time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC), counts: map[string]int{}}
	p, err := NewPoller(PollerOptions{
		Fetcher: f.getter, Keys: f.keys, AgentVersion: agentVersion, Interval: 30 * time.Second,
		Apply:  func(r *Running) { pt.applied = append(pt.applied, r) },
		Count:  func(m string) { pt.counts[m]++ },
		Logger: zerolog.Nop(),
		Now:    func() time.Time { return pt.clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	pt.Poller = p
	return pt
}

// pollLater advances the clock by one interval and polls.
func (pt *pollerUnderTest) pollLater(t *testing.T) error {
	pt.clock = pt.clock.Add(pt.Interval())
	return pt.Poll(t.Context())
}

func TestPollerAppliesSignedChangesWithConditionalGets(t *testing.T) {
	f := newStoreFixture(t)
	v1 := signBundle(t, testBundle("v1", "", basePolicy), f.signer)
	v2 := signBundle(t, testBundle("v2", "v1", strictPolicy), f.signer)
	f.upload(t, v1)
	f.upload(t, v2)
	f.point(t, &Pointer{Sequence: 1, Active: v1.Ref, Author: "ci"})
	pt := newPollerUnderTest(t, f, "1.0.0")

	if err := pt.Poll(t.Context()); err != nil {
		t.Fatalf("first poll: %v", err)
	}
	if len(pt.applied) != 1 || pt.applied[0].Active.Version() != "v1" || pt.applied[0].Shadow != nil {
		t.Fatalf("applied %+v, want v1 alone", pt.applied)
	}
	if err := pt.Poll(t.Context()); !errors.Is(err, ErrNotDue) {
		t.Fatalf("poll within the interval = %v, want ErrNotDue", err)
	}
	if err := pt.pollLater(t); err != nil || f.getter.notModified != 1 || len(pt.applied) != 1 {
		t.Fatalf("unchanged pointer: err %v, %d not-modified answers, %d applied; want a 304 and nothing applied", err, f.getter.notModified, len(pt.applied))
	}

	f.point(t, &Pointer{Sequence: 2, Active: v1.Ref, Shadow: &v2.Ref, Author: "ci"})
	if err := pt.pollLater(t); err != nil {
		t.Fatalf("shadow poll: %v", err)
	}
	r := pt.Running()
	if r.Sequence != 2 || r.Active != pt.applied[0].Active || r.Shadow == nil || r.Shadow.Version() != "v2" {
		t.Fatalf("running %+v, want the same compiled v1 with shadow v2 at sequence 2", r)
	}
	if pt.counts[contract.MetricBundleSwapped] != 2 || pt.counts[contract.MetricBundleRefused] != 0 {
		t.Fatalf("counts %v, want 2 swaps and no refusal", pt.counts)
	}
}

func TestPollerRefusesBadChangesAndKeepsTheRunningBundle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		publish func(t *testing.T, f *storeFixture, v1 *Signed)
		wantErr string
	}{
		{"a bundle with one byte changed", func(t *testing.T, f *storeFixture, _ *Signed) {
			v2 := signBundle(t, testBundle("v2", "v1", strictPolicy), f.signer)
			f.upload(t, v2)
			f.srv.Replace(t, f.loc.Key(BundleKey("v2")), flipByte(t, v2.Object, `"policy": "`))
			f.point(t, &Pointer{Sequence: 2, Active: v2.Ref})
		}, "does not match its signed manifest"},
		{"a pointer with one byte changed", func(t *testing.T, f *storeFixture, v1 *Signed) {
			f.pointRaw(t, flipByte(t, signPointer(t, &Pointer{Sequence: 2, Active: v1.Ref}, f.signer), `"payload": "`))
		}, "does not verify"},
		{"an old pointer replayed", func(t *testing.T, f *storeFixture, v1 *Signed) {
			v0 := signBundle(t, testBundle("v0", "", "version: 1\nmode: log\n"), f.signer)
			f.upload(t, v0)
			f.point(t, &Pointer{Sequence: 1, Active: v0.Ref})
		}, "not above the running 1"},
		{"a pointer signed by an untrusted key", func(t *testing.T, f *storeFixture, v1 *Signed) {
			f.pointRaw(t, signPointer(t, &Pointer{Sequence: 2, Active: v1.Ref}, newSigner(t)))
		}, "untrusted keys"},
		{"a bundle for a newer agent", func(t *testing.T, f *storeFixture, _ *Signed) {
			b := testBundle("v2", "v1", strictPolicy)
			b.MinAgentVersion = "9.0.0"
			v2 := signBundle(t, b, f.signer)
			f.upload(t, v2)
			f.point(t, &Pointer{Sequence: 2, Active: v2.Ref})
		}, "needs agent 9.0.0"},
		{"a shadow bundle signed by an untrusted key", func(t *testing.T, f *storeFixture, v1 *Signed) {
			v2 := signBundle(t, testBundle("v2", "v1", strictPolicy), newSigner(t))
			f.upload(t, v2)
			f.point(t, &Pointer{Sequence: 2, Active: v1.Ref, Shadow: &v2.Ref})
		}, "untrusted keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newStoreFixture(t)
			v1 := signBundle(t, testBundle("v1", "", basePolicy), f.signer)
			f.upload(t, v1)
			f.point(t, &Pointer{Sequence: 1, Active: v1.Ref})
			pt := newPollerUnderTest(t, f, "1.0.0")
			if err := pt.Poll(t.Context()); err != nil {
				t.Fatal(err)
			}
			tc.publish(t, f, v1)
			err := pt.pollLater(t)
			if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("poll = %v, want a refusal containing %q", err, tc.wantErr)
			}
			if r := pt.Running(); len(pt.applied) != 1 || r.Active.Version() != "v1" || r.Shadow != nil || r.Sequence != 1 {
				t.Fatalf("after a refusal: %d applied, running %+v; want v1 still running alone", len(pt.applied), r)
			}
			if pt.counts[contract.MetricBundleRefused] != 1 {
				t.Fatalf("counts %v, want one refusal", pt.counts)
			}
			// The refused pointer is not fetched and refused again.
			if err := pt.pollLater(t); err != nil || pt.counts[contract.MetricBundleRefused] != 1 {
				t.Fatalf("second poll over the same refused pointer: %v, counts %v", err, pt.counts)
			}
		})
	}
}

func TestPollerRetriesABundleItCannotRead(t *testing.T) {
	f := newStoreFixture(t)
	v1 := signBundle(t, testBundle("v1", "", basePolicy), f.signer)
	v2 := signBundle(t, testBundle("v2", "v1", strictPolicy), f.signer)
	f.upload(t, v1)
	f.point(t, &Pointer{Sequence: 1, Active: v1.Ref})
	pt := newPollerUnderTest(t, f, "1.0.0")
	if err := pt.Poll(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The pointer is moved before the bundle is uploaded (a writer that
	// got the order wrong, or S3 listing lag): not a refusal, a retry.
	f.point(t, &Pointer{Sequence: 2, Active: v2.Ref})
	if err := pt.pollLater(t); err == nil || !errors.Is(err, ErrNotFound) || pt.counts[contract.MetricBundleRefused] != 0 {
		t.Fatalf("poll = %v, counts %v; want a not-found error and no refusal", err, pt.counts)
	}
	f.upload(t, v2)
	if err := pt.pollLater(t); err != nil || pt.Running().Active.Version() != "v2" {
		t.Fatalf("poll after the upload = %v, running %v; want v2", err, pt.Running().Active.Version())
	}
}
