package bundle

import (
	"context"
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// Verified is a bundle that passed every check, compiled.
type Verified struct {
	Ref      Ref
	Manifest *Manifest
	Bundle   *Bundle
	Policy   *policy.Policy
	// KeyID names the key whose signature on the manifest verified.
	KeyID string
}

// Version is the bundle's version.
func (v *Verified) Version() string { return v.Ref.Version }

// VerifyPointer checks a stored pointer's signature and contents.
func (k *Keyring) VerifyPointer(data []byte) (*Pointer, string, error) {
	payload, keyID, err := k.Open(data, TypePointer)
	if err != nil {
		return nil, "", fmt.Errorf("pointer: %w", err)
	}
	p, err := DecodePointer(payload)
	return p, keyID, err
}

// VerifyManifest checks a stored manifest's signature and contents.
func (k *Keyring) VerifyManifest(data []byte) (*Manifest, string, error) {
	payload, keyID, err := k.Open(data, TypeManifest)
	if err != nil {
		return nil, "", fmt.Errorf("manifest: %w", err)
	}
	m, err := DecodeManifest(payload)
	return m, keyID, err
}

// VerifyBundle checks a bundle object against its stored, signed manifest
// and the reference that named it, checks that agentVersion may run it,
// and compiles it: the whole path from untrusted bytes to a policy.
func (k *Keyring) VerifyBundle(ref Ref, manifest, object []byte, agentVersion string) (*Verified, error) {
	mf, keyID, err := k.VerifyManifest(manifest)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", ref.Version, err)
	}
	if mf.Version != ref.Version || (ref.SHA256 != "" && mf.SHA256 != ref.SHA256) {
		return nil, fmt.Errorf("bundle %s: signed manifest is for %s (sha256 %s), not %s (sha256 %s)",
			ref.Version, mf.Version, mf.SHA256, ref.Version, ref.SHA256)
	}
	b, err := mf.Check(object)
	if err != nil {
		return nil, err
	}
	ok, err := AgentSupports(agentVersion, b.MinAgentVersion)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", b.Version, err)
	}
	if !ok {
		return nil, fmt.Errorf("bundle %s needs agent %s or later; this agent is %s", b.Version, b.MinAgentVersion, agentVersion)
	}
	p, err := b.Compile()
	if err != nil {
		return nil, err
	}
	return &Verified{Ref: Ref{Version: mf.Version, SHA256: mf.SHA256}, Manifest: mf, Bundle: b, Policy: p, KeyID: keyID}, nil
}

// FetchBundle reads a bundle's manifest and object through f and verifies
// them (VerifyBundle).
func (k *Keyring) FetchBundle(ctx context.Context, f Fetcher, ref Ref, agentVersion string) (*Verified, error) {
	mo, err := f.Fetch(ctx, ManifestKey(ref.Version), "")
	if err != nil {
		return nil, fmt.Errorf("bundle %s: manifest: %w", ref.Version, err)
	}
	bo, err := f.Fetch(ctx, BundleKey(ref.Version), "")
	if err != nil {
		return nil, fmt.Errorf("bundle %s: object: %w", ref.Version, err)
	}
	return k.VerifyBundle(ref, mo.Body, bo.Body, agentVersion)
}

// FetchPointer reads and verifies the pointer; with a non-empty etag it
// is a conditional GET and returns (nil, obj, nil) when the pointer is
// unchanged.
func (k *Keyring) FetchPointer(ctx context.Context, f Fetcher, etag string) (*Pointer, *Object, error) {
	o, err := f.Fetch(ctx, contract.BundlePointerKey, etag)
	if err != nil {
		return nil, nil, fmt.Errorf("pointer: %w", err)
	}
	if o.NotModified {
		return nil, o, nil
	}
	p, _, err := k.VerifyPointer(o.Body)
	return p, o, err
}
