package publish

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/bundle/bundletest"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

func newPublisher(t *testing.T) (*Publisher, *bundletest.Server) {
	t.Helper()
	srv := bundletest.NewS3Server(t, "waf-bundles")
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer := bundle.NewEd25519Signer(priv)
	keys, err := bundle.ParseKeys(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	store, err := NewS3Store(t.Context(), bundle.Location{Bucket: srv.Bucket, Prefix: "prod/"}, S3Options{Endpoint: srv.Endpoint})
	if err != nil {
		t.Fatal(err)
	}
	return &Publisher{Store: store, Signer: signer, Keys: keys, Author: "deployer"}, srv
}

func signed(t *testing.T, p *Publisher, version, parent, doc string) *bundle.Signed {
	t.Helper()
	s, err := bundle.Sign(t.Context(), &bundle.Bundle{
		Metadata: bundle.Metadata{Version: version, Parent: parent, Author: "secops", Created: time.Now().UTC()},
		Policy:   doc,
	}, p.Signer)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPushPromoteRollbackMoveThePointerForward(t *testing.T) {
	p, _ := newPublisher(t)
	ctx := t.Context()
	v1 := signed(t, p, "v1", "", "mode: block\n")
	v2 := signed(t, p, "v2", "v1", "mode: log\n")

	steps := []struct {
		name       string
		do         func() (*bundle.Pointer, error)
		seq        uint64
		active     string
		shadow     string
		rolledBack string
	}{
		{"push v1", func() (*bundle.Pointer, error) { return p.Push(ctx, v1, false) }, 1, "v1", "", ""},
		{"push v2 in shadow", func() (*bundle.Pointer, error) { return p.Push(ctx, v2, true) }, 2, "v1", "v2", ""},
		{"promote", func() (*bundle.Pointer, error) { return p.Promote(ctx) }, 3, "v2", "", ""},
		{"rollback", func() (*bundle.Pointer, error) { return p.Rollback(ctx) }, 4, "v1", "", "v2"},
		{"push v1 again (same bytes)", func() (*bundle.Pointer, error) { return p.Push(ctx, v1, false) }, 5, "v1", "", ""},
	}
	for _, st := range steps {
		ptr, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		cur, _, err := p.Current(ctx)
		if err != nil {
			t.Fatalf("%s: read back: %v", st.name, err)
		}
		shadow, rolledBack := "", ""
		if cur.Shadow != nil {
			shadow = cur.Shadow.Version
		}
		if cur.Rollback != nil {
			rolledBack = cur.Rollback.From
		}
		if cur.Sequence != st.seq || cur.Active.Version != st.active || shadow != st.shadow || rolledBack != st.rolledBack || cur.Sequence != ptr.Sequence {
			t.Fatalf("%s: pointer %+v, want sequence %d active %s shadow %q rolled back from %q", st.name, cur, st.seq, st.active, st.shadow, st.rolledBack)
		}
	}
	entries, _, err := p.List(ctx)
	if err != nil || len(entries) != 2 || entries[0].Role == "" && entries[1].Role == "" {
		t.Fatalf("List = %+v, %v; want two bundles, one active", entries, err)
	}
}

func TestMoveLosesToAConcurrentMoveAndChangesNothing(t *testing.T) {
	p, _ := newPublisher(t)
	ctx := t.Context()
	v1 := signed(t, p, "v1", "", "mode: block\n")
	v2 := signed(t, p, "v2", "v1", "mode: log\n")
	if _, err := p.Push(ctx, v1, false); err != nil {
		t.Fatal(err)
	}
	if err := p.Upload(ctx, v2); err != nil {
		t.Fatal(err)
	}
	// Between this writer's read and its write, another writer moves the
	// pointer: the conditional write (If-Match) must lose.
	_, err := p.Move(ctx, func(cur *bundle.Pointer) (*bundle.Pointer, error) {
		if _, err := p.Push(context.Background(), v2, false); err != nil {
			t.Fatalf("concurrent push: %v", err)
		}
		return &bundle.Pointer{Active: cur.Active}, nil
	})
	if !errors.Is(err, ErrPreconditionFailed) {
		t.Fatalf("Move over a moved pointer = %v, want ErrPreconditionFailed", err)
	}
	cur, _, _ := p.Current(ctx)
	if cur.Sequence != 2 || cur.Active.Version != "v2" {
		t.Fatalf("pointer %+v, want the concurrent push's (sequence 2, v2)", cur)
	}
}

func TestFirstPointerIsWrittenOnlyIfNoneExists(t *testing.T) {
	p, _ := newPublisher(t)
	ctx := t.Context()
	v1 := signed(t, p, "v1", "", "mode: block\n")
	if err := p.Upload(ctx, v1); err != nil {
		t.Fatal(err)
	}
	data, err := bundle.SignPointer(ctx, &bundle.Pointer{Sequence: 7, Active: v1.Ref}, p.Signer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Store.Put(ctx, contract.BundlePointerKey, data, Condition{IfNoneMatch: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Store.Put(ctx, contract.BundlePointerKey, data, Condition{IfNoneMatch: true}); !errors.Is(err, ErrPreconditionFailed) {
		t.Fatalf("second If-None-Match write = %v, want ErrPreconditionFailed", err)
	}
}

func TestUploadRefusesToReplaceABundleVersion(t *testing.T) {
	p, _ := newPublisher(t)
	ctx := t.Context()
	if err := p.Upload(ctx, signed(t, p, "v1", "", "mode: block\n")); err != nil {
		t.Fatal(err)
	}
	err := p.Upload(ctx, signed(t, p, "v1", "", "mode: log\n"))
	if err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("re-upload of v1 with other contents = %v, want an immutability error", err)
	}
}

func TestRollbackNeedsAParent(t *testing.T) {
	p, _ := newPublisher(t)
	if _, err := p.Push(t.Context(), signed(t, p, "v1", "", "mode: block\n"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Rollback(t.Context()); err == nil || !strings.Contains(err.Error(), "no parent") {
		t.Fatalf("Rollback of a bundle without parent = %v", err)
	}
}
