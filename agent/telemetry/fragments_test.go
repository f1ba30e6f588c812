package telemetry

import (
	"strings"
	"testing"
)

// containsLowered is what fragments.in must answer: the plain reading.
func containsLowered(all []string, name string) bool {
	lower := strings.ToLower(name)
	for _, p := range all {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

func TestFragmentsFindWhatLoweredContainsFinds(t *testing.T) {
	all := append(DefaultSensitiveNames[:len(DefaultSensitiveNames):len(DefaultSensitiveNames)], "straße", "user.ssn")
	f := newFragments(all)
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"content-type", false},
		{"user-agent", false},
		{"Authorization", true},
		{"X-API-KEY", true},
		{"x-amz-security-token", true},
		{"customerEmail", true},
		{"quantity", false},
		{"", false},
		{"pin", true},
		{"PI", false},
		{"spinner", true},          // a fragment inside a word
		{"\u212Aey", true},         // the Kelvin sign lowercases to 'k': "key"
		{"STRASSE", false},         // ToLower does not fold ß
		{"Straße-Nummer", true},    // a non-ASCII fragment in a non-ASCII name
		{"user.ssn", true},         // a fragment with a dot, in a whole name
		{"ünïcode-token", true},    // non-ASCII name, ASCII fragment
		{"ünïcode-value", false},   // non-ASCII name, no fragment
		{"\xffpassword\xfe", true}, // invalid UTF-8 around a fragment
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ref := containsLowered(all, tc.name); ref != tc.want {
				t.Fatalf("the case itself is wrong: ToLower+Contains says %v", ref)
			}
			if got := f.in(tc.name); got != tc.want {
				t.Errorf("in(%q) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}

func FuzzFragmentsFindWhatLoweredContainsFinds(f *testing.F) {
	for _, s := range []string{"Authorization", "x-api-key", "\u212Aey", "İd", "ἈΘ-token", "card_number", "Cvv2"} {
		f.Add(s)
	}
	all := append(DefaultSensitiveNames[:len(DefaultSensitiveNames):len(DefaultSensitiveNames)], "straße", "ǆ")
	fr := newFragments(all)
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := fr.in(name), containsLowered(all, name); got != want {
			t.Errorf("in(%q) = %v, ToLower+Contains says %v", name, got, want)
		}
	})
}

func TestSensitiveNameMatchesPersonalNamesWhole(t *testing.T) {
	r := NewRedactor(nil)
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"username", true},
		{"UserName", true},
		{"given_name", true},
		{"Given_Name", true},
		{"filename", false}, // a personal name only whole
		{"hostname", false},
		{"nic\u212Aname", true}, // lowercases to "nickname"
		{"Name", true},
	} {
		if got := r.sensitiveName(tc.name); got != tc.want {
			t.Errorf("sensitiveName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
