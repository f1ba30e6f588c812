package bundle

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVerifyBundleAcceptsOnlyTheSignedBytes(t *testing.T) {
	s := newSigner(t)
	keys := keyring(t, s)
	sb := signBundle(t, testBundle("v1", "", basePolicy), s)
	other := signBundle(t, testBundle("v2", "v1", strictPolicy), s)

	v, err := keys.VerifyBundle(sb.Ref, sb.Manifest, sb.Object, "1.0.0")
	if err != nil {
		t.Fatalf("VerifyBundle: %v", err)
	}
	if v.Version() != "v1" || v.Policy == nil || v.Policy.Source() != "bundle:v1" {
		t.Fatalf("verified %+v, want v1 compiled as bundle:v1", v.Ref)
	}

	for _, tc := range []struct {
		name           string
		ref            Ref
		manifest, body []byte
		wantErr        string
	}{
		{"one byte of the policy changed", sb.Ref, sb.Manifest, flipByte(t, sb.Object, `"policy": "`), "does not match its signed manifest"},
		{"another bundle's object", sb.Ref, sb.Manifest, other.Object, "does not match its signed manifest"},
		{"another bundle's manifest", sb.Ref, other.Manifest, sb.Object, "signed manifest is for v2"},
		{"pointer pins another digest", Ref{Version: "v1", SHA256: other.Ref.SHA256}, sb.Manifest, sb.Object, "signed manifest is for v1 (sha256"},
		{"manifest tampered", sb.Ref, flipByte(t, sb.Manifest, `"payload": "`), sb.Object, "does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.VerifyBundle(tc.ref, tc.manifest, tc.body, "1.0.0")
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("VerifyBundle err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestVerifyBundleRefusesSignedBundlesTheAgentCannotRun(t *testing.T) {
	s := newSigner(t)
	keys := keyring(t, s)

	newer := testBundle("v3", "", basePolicy)
	newer.MinAgentVersion = "2.1.0"
	sb := signBundle(t, newer, s)
	if _, err := keys.VerifyBundle(sb.Ref, sb.Manifest, sb.Object, "2.0.9"); err == nil || !strings.Contains(err.Error(), "needs agent 2.1.0") {
		t.Fatalf("agent 2.0.9 ran a bundle for 2.1.0: %v", err)
	}
	if _, err := keys.VerifyBundle(sb.Ref, sb.Manifest, sb.Object, "v2.1.0"); err != nil {
		t.Fatalf("agent v2.1.0 refused a bundle for 2.1.0: %v", err)
	}

	// Sign refuses a policy that does not compile; a signer that bypasses
	// it (an older CLI, a hand-made bundle) is caught by the agent.
	broken := testBundle("v4", "", "version: 1\nmode: sometimes\n")
	if _, err := Sign(t.Context(), broken, s); err == nil {
		t.Fatal("Sign accepted a policy that does not compile")
	}
	obj, _ := json.Marshal(broken)
	payload, _ := encodePayload(NewManifest(obj, broken.Metadata))
	env, err := Seal(t.Context(), TypeManifest, payload, s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = keys.VerifyBundle(Ref{Version: "v4", SHA256: Digest(obj)}, env, obj, "1.0.0")
	if err == nil || !strings.Contains(err.Error(), "bundle v4: policy") {
		t.Fatalf("a signed bundle whose policy does not compile was accepted: %v", err)
	}
}

func TestMetadataValidation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*Metadata)
		wantErr string
	}{
		{"valid", func(*Metadata) {}, ""},
		{"version with a slash", func(m *Metadata) { m.Version = "a/b" }, "version"},
		{"version starting with a dot", func(m *Metadata) { m.Version = ".hidden" }, "version"},
		{"own parent", func(m *Metadata) { m.Parent = m.Version }, "names itself"},
		{"no author", func(m *Metadata) { m.Author = " " }, "author"},
		{"bad minAgentVersion", func(m *Metadata) { m.MinAgentVersion = "latest" }, "minAgentVersion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testBundle("v1", "", basePolicy).Metadata
			tc.edit(&m)
			err := m.Validate()
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Validate = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestPointerAdvancesOnlyToHigherSequences(t *testing.T) {
	for _, tc := range []struct {
		seq, running uint64
		ok           bool
	}{{2, 1, true}, {1, 0, true}, {1, 1, false}, {1, 5, false}} {
		p := &Pointer{Sequence: tc.seq}
		if err := p.Advances(tc.running); (err == nil) != tc.ok {
			t.Errorf("sequence %d over running %d: err %v, want ok=%v", tc.seq, tc.running, err, tc.ok)
		}
	}
}

func TestParseLocation(t *testing.T) {
	for in, want := range map[string]string{
		"s3://b":           "s3://b/",
		"s3://b/waf":       "s3://b/waf/",
		"s3://b/waf/prod/": "s3://b/waf/prod/",
	} {
		l, err := ParseLocation(in)
		if err != nil || l.String() != want {
			t.Errorf("ParseLocation(%q) = %v, %v; want %s", in, l, err, want)
		}
	}
	for _, bad := range []string{"", "b/waf", "https://b/waf", "s3:///waf", "s3://b/waf?x=1"} {
		if _, err := ParseLocation(bad); err == nil {
			t.Errorf("ParseLocation(%q) accepted", bad)
		}
	}
}
