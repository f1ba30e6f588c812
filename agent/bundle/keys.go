package bundle

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// publicKeyPrefix starts the text form of a trusted public key.
const publicKeyPrefix = "ed25519:"

// Signer signs bundle manifests and pointers. Ed25519Signer is a local
// key; a KMS key of spec ECC_NIST_EDWARDS25519 (SigningAlgorithm
// ED25519_SHA_512, MessageType RAW) can implement it too, since every
// signed message is a few hundred bytes.
type Signer interface {
	// KeyID names the public key that verifies the signatures (KeyID).
	KeyID() string
	// Sign returns the Ed25519 signature of msg.
	Sign(ctx context.Context, msg []byte) ([]byte, error)
}

// Ed25519Signer signs with a local Ed25519 private key.
type Ed25519Signer struct {
	key ed25519.PrivateKey
	id  string
}

// NewEd25519Signer returns a Signer for key.
func NewEd25519Signer(key ed25519.PrivateKey) *Ed25519Signer {
	return &Ed25519Signer{key: key, id: KeyID(key.Public().(ed25519.PublicKey))}
}

// KeyID implements Signer.
func (s *Ed25519Signer) KeyID() string { return s.id }

// Sign implements Signer.
func (s *Ed25519Signer) Sign(_ context.Context, msg []byte) ([]byte, error) {
	return ed25519.Sign(s.key, msg), nil
}

// Public returns the signer's public key in the text form Keyring reads.
func (s *Ed25519Signer) Public() string {
	return FormatPublicKey(s.key.Public().(ed25519.PublicKey))
}

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// FormatPublicKey returns pub as "ed25519:<base64>", the form of
// contract.EnvBundleKeys.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return publicKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// GenerateKey returns a new private key as PKCS #8 PEM, and its public key
// in text form.
func GenerateKey() (privatePEM []byte, public string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", fmt.Errorf("generate Ed25519 key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, "", fmt.Errorf("encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), FormatPublicKey(pub), nil
}

// ParsePrivateKey reads an Ed25519 private key in PKCS #8 PEM.
func ParsePrivateKey(data []byte) (*Ed25519Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("private key: not a PEM \"PRIVATE KEY\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is a %T, want Ed25519", k)
	}
	return NewEd25519Signer(priv), nil
}

// Keyring is the set of public keys trusted to sign bundles and pointers.
// It is immutable once built and safe for concurrent use.
type Keyring struct {
	keys map[string]ed25519.PublicKey
}

// ParseKeys reads trusted public keys: "ed25519:<base64>" entries separated
// by commas or white space (contract.EnvBundleKeys). At least one is
// required, and every entry must be a valid key: a misspelt key is an
// error, never silently dropped.
func ParseKeys(s string) (*Keyring, error) {
	k := &Keyring{keys: map[string]ed25519.PublicKey{}}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	for _, f := range fields {
		b64, ok := strings.CutPrefix(f, publicKeyPrefix)
		if !ok {
			return nil, fmt.Errorf("trusted key %q: want ed25519:<base64>", excerpt(f))
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("trusted key %q: not a base64 Ed25519 public key of %d bytes", excerpt(f), ed25519.PublicKeySize)
		}
		pub := ed25519.PublicKey(raw)
		k.keys[KeyID(pub)] = pub
	}
	if len(k.keys) == 0 {
		return nil, errors.New("no trusted bundle keys")
	}
	return k, nil
}

// IDs returns the ids of the trusted keys, sorted.
func (k *Keyring) IDs() []string {
	ids := make([]string, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func excerpt(s string) string {
	if len(s) > 24 {
		return s[:24] + "..."
	}
	return s
}
