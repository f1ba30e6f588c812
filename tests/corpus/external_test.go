package corpus

import (
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/tests/corpus/external"
)

// TestExternalCorpusIsSplitByHash checks that every committed case sits in
// the half its hash names (so nobody moved a case between tune and
// holdout), that every source file has a manifest entry, and that the
// families are the ones the report knows.
func TestExternalCorpusIsSplitByHash(t *testing.T) {
	srcs, err := ExternalSources()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, s := range srcs {
		if s.Package == "" || s.Version == "" || s.License == "" || s.Registry == "" {
			t.Errorf("manifest entry %q lacks provenance: %+v", s.Name, s)
		}
		known[s.Name] = true
	}
	families := map[string]bool{"sqli": true, "xss": true, "cmdi": true, "path": true, "rfi": true, "xml": true,
		"nosql": true, "ldap": true, "xpath": true, "ssi": true, "ssti": true, "crlf": true, "ssrf": true,
		"prototype-pollution": true, "jndi": true, "deserialization": true,
		"benign-prose": true, "benign-code": true, "benign-json": true, "benign-strings": true}
	for _, split := range []string{external.Tune, external.Holdout} {
		cases, err := External(split)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) < 1000 {
			t.Errorf("%s: %d cases, want the full corpus (over 1,000)", split, len(cases))
		}
		for _, c := range cases {
			if !known[c.Source] {
				t.Errorf("%s: source %q not in manifest.json", c.Name, c.Source)
			}
			if !families[c.Family] {
				t.Errorf("%s: unknown family %q", c.Name, c.Family)
			}
		}
	}
	// The half is a function of the value; check it on the raw lines.
	for _, split := range []string{external.Tune, external.Holdout} {
		ents, err := externalFiles.ReadDir("external/" + split)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := externalFiles.ReadFile("external/" + split + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range strings.Split(string(b), "\n") {
				if l == "" || strings.HasPrefix(l, "##") {
					continue
				}
				_, seed, _ := strings.Cut(l, "\t")
				if got := external.SplitOf(external.Unescape(seed)); got != split {
					t.Errorf("%s/%s:%d is in %s but hashes to %s", split, e.Name(), i+1, split, got)
				}
			}
		}
	}
}

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{"plain", `back\slash`, "new\nline\ttab\r\x00nul", `\n literal`, `\\`} {
		if got := external.Unescape(external.Escape(s)); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, got)
		}
		if strings.ContainsAny(external.Escape(s), "\n\r\t\x00") {
			t.Errorf("Escape(%q) keeps a control byte", s)
		}
	}
}
