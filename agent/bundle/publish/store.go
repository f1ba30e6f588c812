// Package publish writes signed policy bundles to a bundle store and moves
// its pointer: what `lambdawaf bundle push | promote | rollback | list` do.
// It is the writer's half of agent/bundle and the only part that needs the
// AWS SDK's S3 client; the agent binary never imports it.
package publish

import (
	"context"
	"errors"

	"github.com/lambdawaf/lambdawaf/agent/bundle"
)

// ErrPreconditionFailed is returned by Store.Put when a conditional write
// lost: the object changed (If-Match) or already exists (If-None-Match).
var ErrPreconditionFailed = errors.New("precondition failed")

// Condition makes a Put conditional.
type Condition struct {
	// IfMatch, when set, writes only if the object's ETag is this one.
	IfMatch string
	// IfNoneMatch writes only if the object does not exist yet.
	IfNoneMatch bool
}

// Store is a bundle store a writer may change. Keys are relative to the
// store's prefix.
type Store interface {
	bundle.Fetcher
	// Put writes key under cond and returns the new ETag.
	Put(ctx context.Context, key string, body []byte, cond Condition) (string, error)
	// List returns the keys under dir (relative to the store's prefix).
	List(ctx context.Context, dir string) ([]string, error)
}
