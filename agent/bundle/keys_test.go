package bundle

import (
	"strings"
	"testing"
)

func TestParseKeysRefusesAnythingButEd25519PublicKeys(t *testing.T) {
	good := newSigner(t).Public()
	for _, tc := range []struct {
		name, in, wantErr string
	}{
		{"empty", "", "no trusted bundle keys"},
		{"separators only", " , ,", "no trusted bundle keys"},
		{"no prefix", strings.TrimPrefix(good, "ed25519:"), "want ed25519:<base64>"},
		{"short key", "ed25519:AAAA", "not a base64 Ed25519 public key"},
		{"not base64", "ed25519:!!!!", "not a base64 Ed25519 public key"},
		{"one bad among good", good + ",ed25519:AAAA", "not a base64 Ed25519 public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKeys(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseKeys(%q) = %v, want error containing %q", tc.in, err, tc.wantErr)
			}
		})
	}
}

func TestParseKeysAcceptsSeveralKeysForRotation(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	k, err := ParseKeys(a.Public() + ", " + b.Public() + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if ids := k.IDs(); len(ids) != 2 {
		t.Fatalf("IDs = %v, want both keys", ids)
	}
}

func TestPrivateKeyRoundTripsThroughPEM(t *testing.T) {
	pemKey, pub, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParsePrivateKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	if s.Public() != pub {
		t.Fatalf("public key %s, want %s", s.Public(), pub)
	}
	if _, err := ParsePrivateKey([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")); err == nil {
		t.Fatal("a public key block was accepted as a private key")
	}
}
