package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Pointer names the bundles the agents run. It is stored signed
// (TypePointer) at contract.BundlePointerKey and moved only with
// conditional writes.
type Pointer struct {
	// Sequence increases by one with every move of the pointer, rollbacks
	// included. Agents refuse a pointer whose Sequence is not above the
	// one they run (Advances).
	Sequence uint64 `json:"sequence"`
	// Active is the bundle every event is judged by.
	Active Ref `json:"active"`
	// Shadow, when set, is evaluated beside Active on every event, after
	// the event has been handed on, and only logged.
	Shadow *Ref `json:"shadow,omitempty"`
	// Rollback is set when this move undid an earlier one.
	Rollback *Rollback `json:"rollback,omitempty"`
	// Updated and Author say when and by whom the pointer was moved.
	Updated time.Time `json:"updated"`
	Author  string    `json:"author"`
}

// Ref names one bundle object by version and digest: the pointer pins the
// exact bytes, not just a name.
type Ref struct {
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Rollback records what a rollback undid.
type Rollback struct {
	// From is the active version that was rolled back.
	From string `json:"from"`
	// FromSequence is the pointer sequence that was rolled back.
	FromSequence uint64 `json:"fromSequence"`
}

// Validate reports what is wrong with p.
func (p *Pointer) Validate() error {
	var errs []error
	if p.Sequence == 0 {
		errs = append(errs, errors.New("sequence must be at least 1"))
	}
	errs = append(errs, p.Active.validate("active"))
	if p.Shadow != nil {
		errs = append(errs, p.Shadow.validate("shadow"))
		if *p.Shadow == p.Active {
			errs = append(errs, errors.New("shadow is the active bundle"))
		}
	}
	if p.Rollback != nil && p.Rollback.FromSequence >= p.Sequence {
		errs = append(errs, fmt.Errorf("rollback from sequence %d in pointer %d: a rollback moves forward too", p.Rollback.FromSequence, p.Sequence))
	}
	return errors.Join(errs...)
}

func (r Ref) validate(what string) error {
	if !validVersion(r.Version) {
		return fmt.Errorf("%s version %q is not a bundle version", what, r.Version)
	}
	if len(r.SHA256) != 64 {
		return fmt.Errorf("%s sha256 %q is not a hex SHA-256", what, r.SHA256)
	}
	return nil
}

// Advances reports whether an agent running pointer sequence current may
// take p: only a higher number moves it, whatever p says, so a replayed
// older pointer (an older bundle, an older rollback) is refused.
func (p *Pointer) Advances(current uint64) error {
	if p.Sequence <= current {
		return fmt.Errorf("pointer sequence %d is not above the running %d: an old pointer replayed (a rollback is a new pointer with a higher number)", p.Sequence, current)
	}
	return nil
}

// DecodePointer reads a pointer payload strictly.
func DecodePointer(payload []byte) (*Pointer, error) {
	var p Pointer
	if err := decodeStrict(payload, &p); err != nil {
		return nil, fmt.Errorf("pointer: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("pointer: %w", err)
	}
	return &p, nil
}

// DecodeManifest reads a manifest payload strictly.
func DecodeManifest(payload []byte) (*Manifest, error) {
	var m Manifest
	if err := decodeStrict(payload, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if len(m.SHA256) != 64 || m.Size <= 0 {
		return nil, fmt.Errorf("manifest %s: no valid digest and size", m.Version)
	}
	return &m, nil
}

// encodePayload marshals a manifest or pointer for signing.
func encodePayload(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return data, nil
}
