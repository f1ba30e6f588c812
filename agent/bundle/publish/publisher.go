package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
	"github.com/lambdawaf/lambdawaf/agent/contract"
)

// Publisher uploads bundles and moves the pointer of one store. Every
// pointer move is read-verify-sign-write with the ETag read as If-Match
// (If-None-Match: * for the first pointer), so two writers cannot
// interleave: the loser gets ErrPreconditionFailed and changes nothing.
type Publisher struct {
	Store Store
	// Signer signs pointers (and bundles given to Push unsigned).
	Signer bundle.Signer
	// Keys verify what is read back (the current pointer, manifests): a
	// writer never builds on a pointer it cannot verify.
	Keys *bundle.Keyring
	// Author is recorded in the pointers written.
	Author string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (p *Publisher) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

// Upload writes a signed bundle's object and manifest. They are immutable:
// a version already in the store is left alone when it holds the same
// bytes and refused when it does not.
func (p *Publisher) Upload(ctx context.Context, s *bundle.Signed) error {
	if _, err := p.Keys.VerifyBundle(s.Ref, s.Manifest, s.Object, ""); err != nil {
		return fmt.Errorf("upload %s: %w", s.Ref.Version, err)
	}
	for _, o := range []struct {
		key  string
		body []byte
	}{{bundle.BundleKey(s.Ref.Version), s.Object}, {bundle.ManifestKey(s.Ref.Version), s.Manifest}} {
		_, err := p.Store.Put(ctx, o.key, o.body, Condition{IfNoneMatch: true})
		if errors.Is(err, ErrPreconditionFailed) {
			have, gerr := p.Store.Fetch(ctx, o.key, "")
			if gerr != nil {
				return fmt.Errorf("upload %s: %w", s.Ref.Version, gerr)
			}
			if !bytes.Equal(have.Body, o.body) {
				return fmt.Errorf("upload %s: %s already exists with other contents; bundles are immutable, choose a new version", s.Ref.Version, o.key)
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("upload %s: %w", s.Ref.Version, err)
		}
	}
	return nil
}

// Current reads and verifies the pointer; nil with its ETag "" when the
// store has none yet.
func (p *Publisher) Current(ctx context.Context) (*bundle.Pointer, string, error) {
	o, err := p.Store.Fetch(ctx, contract.BundlePointerKey, "")
	if errors.Is(err, bundle.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	ptr, _, err := p.Keys.VerifyPointer(o.Body)
	if err != nil {
		return nil, "", fmt.Errorf("the store's pointer does not verify, refusing to build on it: %w", err)
	}
	return ptr, o.ETag, nil
}

// Move reads the pointer, lets change make the next one from it (cur is
// nil when there is none), numbers it one above, signs it and writes it
// conditionally on the pointer read.
func (p *Publisher) Move(ctx context.Context, change func(cur *bundle.Pointer) (*bundle.Pointer, error)) (*bundle.Pointer, error) {
	cur, etag, err := p.Current(ctx)
	if err != nil {
		return nil, err
	}
	next, err := change(cur)
	if err != nil {
		return nil, err
	}
	next.Sequence = 1
	if cur != nil {
		next.Sequence = cur.Sequence + 1
	}
	next.Updated, next.Author = p.now(), p.Author
	data, err := bundle.SignPointer(ctx, next, p.Signer)
	if err != nil {
		return nil, err
	}
	cond := Condition{IfMatch: etag, IfNoneMatch: etag == ""}
	if _, err := p.Store.Put(ctx, contract.BundlePointerKey, data, cond); err != nil {
		if errors.Is(err, ErrPreconditionFailed) {
			return nil, fmt.Errorf("the pointer moved while this change was made (another push?); nothing was changed, run it again: %w", err)
		}
		return nil, err
	}
	return next, nil
}

// Push uploads s and points at it: as the active bundle, or with shadow
// as the shadow bundle beside the running one.
func (p *Publisher) Push(ctx context.Context, s *bundle.Signed, shadow bool) (*bundle.Pointer, error) {
	if err := p.Upload(ctx, s); err != nil {
		return nil, err
	}
	return p.Move(ctx, func(cur *bundle.Pointer) (*bundle.Pointer, error) {
		if shadow {
			if cur == nil {
				return nil, errors.New("no active bundle yet: push one before a shadow")
			}
			if cur.Active == s.Ref {
				return nil, fmt.Errorf("%s is the active bundle", s.Ref.Version)
			}
			return &bundle.Pointer{Active: cur.Active, Shadow: &s.Ref}, nil
		}
		next := &bundle.Pointer{Active: s.Ref}
		if cur != nil && cur.Shadow != nil && *cur.Shadow != s.Ref {
			next.Shadow = cur.Shadow
		}
		return next, nil
	})
}

// Promote makes the shadow bundle the active one.
func (p *Publisher) Promote(ctx context.Context) (*bundle.Pointer, error) {
	return p.Move(ctx, func(cur *bundle.Pointer) (*bundle.Pointer, error) {
		if cur == nil || cur.Shadow == nil {
			return nil, errors.New("no shadow bundle to promote")
		}
		return &bundle.Pointer{Active: *cur.Shadow}, nil
	})
}

// Rollback points back at the active bundle's parent, as a new pointer
// numbered above the current one and marked as a rollback. The shadow
// bundle, if any, is dropped.
func (p *Publisher) Rollback(ctx context.Context) (*bundle.Pointer, error) {
	return p.Move(ctx, func(cur *bundle.Pointer) (*bundle.Pointer, error) {
		if cur == nil {
			return nil, errors.New("nothing to roll back: the store has no pointer")
		}
		active, err := p.manifest(ctx, cur.Active.Version)
		if err != nil {
			return nil, err
		}
		if active.Parent == "" {
			return nil, fmt.Errorf("bundle %s has no parent to roll back to", active.Version)
		}
		parent, err := p.manifest(ctx, active.Parent)
		if err != nil {
			return nil, fmt.Errorf("parent: %w", err)
		}
		return &bundle.Pointer{
			Active:   bundle.Ref{Version: parent.Version, SHA256: parent.SHA256},
			Rollback: &bundle.Rollback{From: cur.Active.Version, FromSequence: cur.Sequence},
		}, nil
	})
}

func (p *Publisher) manifest(ctx context.Context, version string) (*bundle.Manifest, error) {
	o, err := p.Store.Fetch(ctx, bundle.ManifestKey(version), "")
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", version, err)
	}
	m, _, err := p.Keys.VerifyManifest(o.Body)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", version, err)
	}
	return m, nil
}

// Entry is one bundle in a store's history.
type Entry struct {
	Manifest *bundle.Manifest
	// Role is "active", "shadow" or "".
	Role string
	// Err is set when the manifest does not verify.
	Err error
	Key string
}

// List returns the store's bundles, newest first, with the role the
// pointer gives each, and the pointer.
func (p *Publisher) List(ctx context.Context) ([]Entry, *bundle.Pointer, error) {
	ptr, _, err := p.Current(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys, err := p.Store.List(ctx, contract.BundleManifestsDir)
	if err != nil {
		return nil, nil, err
	}
	var out []Entry
	for _, k := range keys {
		if !strings.HasSuffix(k, ".json") {
			continue
		}
		e := Entry{Key: k}
		version := strings.TrimSuffix(strings.TrimPrefix(k, contract.BundleManifestsDir), ".json")
		e.Manifest, e.Err = p.manifest(ctx, version)
		if ptr != nil && e.Manifest != nil {
			switch version {
			case ptr.Active.Version:
				e.Role = "active"
			case shadowVersion(ptr):
				e.Role = "shadow"
			}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		switch {
		case a.Manifest == nil || b.Manifest == nil:
			return strings.Compare(b.Key, a.Key)
		default:
			return b.Manifest.Created.Compare(a.Manifest.Created)
		}
	})
	return out, ptr, nil
}

func shadowVersion(p *bundle.Pointer) string {
	if p.Shadow == nil {
		return ""
	}
	return p.Shadow.Version
}
