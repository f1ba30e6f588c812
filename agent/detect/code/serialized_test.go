package code

import (
	"strings"
	"testing"
)

func TestSerializedObjects(t *testing.T) {
	for _, c := range []struct {
		s              string
		pickle, dotnet bool
	}{
		{"gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==", true, false},
		{"session=gANjb3MKc3lzdGVtCnEAWAIAAABpZHEBhXECUnEDLg==", true, false},
		{"cos\nsystem\n(S'id'\ntR.", true, false},
		{"cposix\nsystem\np0\n(Vid\np1\ntp2\nRp3\n.", true, false},
		{"\x80\x04\x95\x1d\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x02id\x94\x85\x94R\x94.", true, false},
		{"\x80\x04\x95\x21\x00", false, false}, // a header and nothing of a pickle
		// four letters of a random token match a header: its decoding must be a pickle
		{"gANdkFqZ Xy8 gAJ9abc0pQr", false, false},
		{"gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==", false, false}, // frame longer than the data
		{"AAEAAAD/////AQAAAAAAAAAMAgAAAF5NaWNyb3NvZnQuUG93ZXJTaGVsbC5FZGl0b3I=", false, true},
		// tokens that only contain the letters, prose, ViewState
		{"xgASVabc", false, false},
		{"cats\ndogs\nRabbits are not here", false, false},
		{"cheers\nBob\nRe: the meeting.", false, false},
		{"/wEPDwUKLTM4MjA5NjM3NWRkbQ", false, false},
		{"The quick brown fox", false, false},
	} {
		if got := PythonPickle(c.s) >= 0; got != c.pickle {
			t.Errorf("PythonPickle(%q) = %v, want %v", c.s, got, c.pickle)
		}
		if got := DotNetSerialized(c.s) >= 0; got != c.dotnet {
			t.Errorf("DotNetSerialized(%q) = %v, want %v", c.s, got, c.dotnet)
		}
	}
}

func TestRubyMarshalGadget(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"BAhvOhVHZW06Okluc3RhbGxlcgY6CUBpSSIGeAY6BkVU", true},                  // Gem::Installer
		{"session=BAhbB2MVR2VtOjpTcGVjRmV0Y2hlcmwrB0pHZW06OkluYm94", true},      // Gem::SpecFetcher
		{"BAh7BkkiD3Nlc3Npb25faWQGOgZFVEkiJWYzZTZiYzZiMDQ3MmY4YjMGOwBU", false}, // a Rails session hash
		{"BAh", false},
		{"xBAhvOhVHZW06Okluc3RhbGxlcgY6CUBpSSIGeAY6BkVU", false},
	} {
		if got := RubyMarshalGadget(c.s) >= 0; got != c.want {
			t.Errorf("RubyMarshalGadget(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestRandomTextHoldsNoSerializedObject: words of random letters and
// digits (a scanned text, generated IDs) start with a pickle header's four
// letters every few hundred kilobytes; only a well-formed pickle counts.
func TestRandomTextHoldsNoSerializedObject(t *testing.T) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
	b := make([]byte, 4<<20)
	var x uint32 = 2463534242
	for i := range b { // xorshift: deterministic
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = alphabet[x%uint32(len(alphabet))]
	}
	s := string(b)
	headers := 0
	for _, p := range picklePrefixes {
		headers += strings.Count(s, " "+p)
	}
	if headers == 0 {
		t.Fatal("the text holds no word that starts with a pickle header: it tests nothing")
	}
	if i := PythonPickle(s); i >= 0 {
		t.Errorf("PythonPickle found a pickle at %d: %q", i, s[i:min(len(s), i+24)])
	}
	if i := RubyMarshalGadget(s); i >= 0 {
		t.Errorf("RubyMarshalGadget found a stream at %d", i)
	}
	if i := DotNetSerialized(s); i >= 0 {
		t.Errorf("DotNetSerialized found a stream at %d", i)
	}
}
