package bundle

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Payload types: what a signed payload is. They are part of what is
// signed, so a signature over a manifest never verifies as a pointer.
const (
	TypeManifest = "application/vnd.lambdawaf.bundle-manifest+json"
	TypePointer  = "application/vnd.lambdawaf.bundle-pointer+json"
)

// Envelope is a signed payload as stored: the payload's bytes exactly as
// signed (no canonicalisation), its type and one or more signatures. The
// format follows DSSE (in-toto's Dead Simple Signing Envelope).
type Envelope struct {
	PayloadType string      `json:"payloadType"`
	Payload     []byte      `json:"payload"` // base64 in JSON
	Signatures  []Signature `json:"signatures"`
}

// Signature is one signature over an envelope's payload.
type Signature struct {
	// KeyID names the public key (KeyID) that verifies it.
	KeyID string `json:"keyid"`
	Sig   []byte `json:"sig"` // base64 in JSON
}

// signedMessage is what is signed: DSSE's pre-authentication encoding of
// the payload type and payload, with lambdawaf's own prefix.
func signedMessage(payloadType string, payload []byte) []byte {
	msg := make([]byte, 0, 32+len(payloadType)+len(payload))
	msg = append(msg, "DSSEv1 "...)
	msg = strconv.AppendInt(msg, int64(len(payloadType)), 10)
	msg = append(msg, ' ')
	msg = append(msg, payloadType...)
	msg = append(msg, ' ')
	msg = strconv.AppendInt(msg, int64(len(payload)), 10)
	msg = append(msg, ' ')
	return append(msg, payload...)
}

// Seal signs payload as payloadType with every signer and returns the
// envelope's bytes.
func Seal(ctx context.Context, payloadType string, payload []byte, signers ...Signer) ([]byte, error) {
	if len(signers) == 0 {
		return nil, errors.New("seal: no signing key")
	}
	env := Envelope{PayloadType: payloadType, Payload: payload}
	msg := signedMessage(payloadType, payload)
	for _, s := range signers {
		sig, err := s.Sign(ctx, msg)
		if err != nil {
			return nil, fmt.Errorf("sign with key %s: %w", s.KeyID(), err)
		}
		env.Signatures = append(env.Signatures, Signature{KeyID: s.KeyID(), Sig: sig})
	}
	data, err := json.MarshalIndent(&env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode envelope: %w", err)
	}
	return append(data, '\n'), nil
}

// Open verifies an envelope of the expected payload type with the trusted
// keys and returns its payload and the id of the key that verified it. One
// valid signature by a trusted key is enough; signatures by keys not in
// the keyring are ignored (a rotation adds the new key's signature before
// the old key is dropped).
func (k *Keyring) Open(data []byte, payloadType string) (payload []byte, keyID string, err error) {
	if len(data) > MaxObjectSize {
		return nil, "", fmt.Errorf("signed object of %d bytes is larger than %d", len(data), MaxObjectSize)
	}
	var env Envelope
	if err := decodeStrict(data, &env); err != nil {
		return nil, "", fmt.Errorf("signed object: %w", err)
	}
	if env.PayloadType != payloadType {
		return nil, "", fmt.Errorf("signed object is a %q, want a %q", env.PayloadType, payloadType)
	}
	if len(env.Signatures) == 0 {
		return nil, "", errors.New("signed object carries no signature")
	}
	msg := signedMessage(env.PayloadType, env.Payload)
	var untrusted, invalid []string
	for _, s := range env.Signatures {
		pub, ok := k.keys[s.KeyID]
		if !ok {
			untrusted = append(untrusted, s.KeyID)
			continue
		}
		if ed25519.Verify(pub, msg, s.Sig) {
			return env.Payload, s.KeyID, nil
		}
		invalid = append(invalid, s.KeyID)
	}
	if len(invalid) > 0 {
		return nil, "", fmt.Errorf("signature by key %s does not verify: the object was altered or signed by another key", strings.Join(invalid, ", "))
	}
	return nil, "", fmt.Errorf("signed only by untrusted keys %v (trusted: %v)", untrusted, k.IDs())
}
