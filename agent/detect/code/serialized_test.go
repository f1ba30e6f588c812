package code

import "testing"

func TestSerializedObjects(t *testing.T) {
	for _, c := range []struct {
		s              string
		pickle, dotnet bool
	}{
		{"gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg==", true, false},
		{"session=gANjb3MKc3lzdGVtCnEAWAIAAABpZHEBhXECUnEDLg==", true, false},
		{"cos\nsystem\n(S'id'\ntR.", true, false},
		{"cposix\nsystem\np0\n(Vid\np1\ntp2\nRp3\n.", true, false},
		{"\x80\x04\x95\x21\x00", true, false},
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
