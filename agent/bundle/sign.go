package bundle

import (
	"context"
	"fmt"
)

// Signed is a bundle ready to upload: the bundle object and its signed
// manifest, both exactly as stored.
type Signed struct {
	Ref      Ref
	Object   []byte
	Manifest []byte
}

// Sign encodes b (refusing a bundle whose policy does not compile) and
// signs its manifest.
func Sign(ctx context.Context, b *Bundle, signers ...Signer) (*Signed, error) {
	obj, err := b.Encode()
	if err != nil {
		return nil, err
	}
	mf := NewManifest(obj, b.Metadata)
	payload, err := encodePayload(mf)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", b.Version, err)
	}
	env, err := Seal(ctx, TypeManifest, payload, signers...)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", b.Version, err)
	}
	return &Signed{Ref: Ref{Version: b.Version, SHA256: mf.SHA256}, Object: obj, Manifest: env}, nil
}

// SignPointer validates and signs a pointer.
func SignPointer(ctx context.Context, p *Pointer, signers ...Signer) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("pointer: %w", err)
	}
	payload, err := encodePayload(p)
	if err != nil {
		return nil, fmt.Errorf("pointer: %w", err)
	}
	return Seal(ctx, TypePointer, payload, signers...)
}
