package bundle

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"
)

// basePolicy runs the defaults; strictPolicy also blocks /admin.
const (
	basePolicy   = "version: 1\nmode: block\n"
	strictPolicy = "version: 1\nmode: block\nrules:\n  - id: no-admin\n    when: {field: path, prefix: /admin}\n    action: block\n"
)

func newSigner(t testing.TB) *Ed25519Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return NewEd25519Signer(priv)
}

func keyring(t testing.TB, signers ...*Ed25519Signer) *Keyring {
	t.Helper()
	s := ""
	for _, sg := range signers {
		s += sg.Public() + ","
	}
	k, err := ParseKeys(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testBundle(version, parent, doc string) *Bundle {
	return &Bundle{
		Metadata: Metadata{Version: version, Parent: parent, Author: "secops@example.com",
			Created: time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)},
		Policy: doc,
	}
}

func signBundle(t testing.TB, b *Bundle, s Signer) *Signed {
	t.Helper()
	sb, err := Sign(context.Background(), b, s)
	if err != nil {
		t.Fatalf("sign %s: %v", b.Version, err)
	}
	return sb
}

func signPointer(t testing.TB, p *Pointer, s Signer) []byte {
	t.Helper()
	data, err := SignPointer(context.Background(), p, s)
	if err != nil {
		t.Fatalf("sign pointer: %v", err)
	}
	return data
}

// flipByte returns a copy of data with one byte changed, inside the JSON
// string value that follows marker (so the document still parses).
func flipByte(t testing.TB, data []byte, marker string) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	i := indexOf(out, marker)
	if i < 0 {
		t.Fatalf("marker %q not found", marker)
	}
	j := i + len(marker)
	if out[j] == 'x' {
		out[j] = 'y'
	} else {
		out[j] = 'x'
	}
	return out
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}
