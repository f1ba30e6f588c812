package bundle

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestOpenVerifiesOnlyUntamperedPayloadsOfTheExpectedTypeByTrustedKeys(t *testing.T) {
	ctx := context.Background()
	trusted, rotated, stranger := newSigner(t), newSigner(t), newSigner(t)
	keys := keyring(t, trusted, rotated)
	payload := []byte(`{"sequence":1}`)
	seal := func(typ string, s ...Signer) []byte {
		data, err := Seal(ctx, typ, payload, s...)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	good := seal(TypePointer, trusted)
	for _, tc := range []struct {
		name    string
		data    []byte
		wantErr string // "" means it verifies
	}{
		{"signed by a trusted key", good, ""},
		{"signed by the second key of a rotation", seal(TypePointer, rotated), ""},
		{"a stranger's signature beside a trusted one", seal(TypePointer, stranger, trusted), ""},
		{"a forged signature under a trusted key id before a valid one", forgedFirst(t, good, trusted.KeyID()), ""},
		{"one byte of the payload changed", flipByte(t, good, `"payload": "`), "does not verify"},
		{"one byte of the signature changed", flipByte(t, good, `"sig": "`), "does not verify"},
		{"a manifest passed off as a pointer", seal(TypeManifest, trusted), "want a"},
		{"signed by an untrusted key only", seal(TypePointer, stranger), "untrusted keys"},
		{"not an envelope", []byte(`{"payload":"e30=","extra":1}`), "unknown field"},
		{"no signature", []byte(`{"payloadType":"` + TypePointer + `","payload":"e30=","signatures":[]}`), "no signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := keys.Open(tc.data, TypePointer)
			if tc.wantErr == "" {
				if err != nil || string(got) != string(payload) {
					t.Fatalf("Open = %q, %v; want the payload", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Open err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

// forgedFirst prepends a garbage signature claiming keyID to an envelope.
func forgedFirst(t *testing.T, data []byte, keyID string) []byte {
	t.Helper()
	var env Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	env.Signatures = append([]Signature{{KeyID: keyID, Sig: make([]byte, 64)}}, env.Signatures...)
	out, err := json.Marshal(&env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
