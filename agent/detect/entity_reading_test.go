package detect

import (
	"html"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestEntityDecodedReadingIsJudgedAsThePage: a reading reached by decoding
// HTML character references is what a browser renders, so only the
// page's detectors judge it; the same text reached otherwise is judged by
// every family. The raw reading, with its references, is judged in full
// by the decoder's other value.
func TestEntityDecodedReadingIsJudgedAsThePage(t *testing.T) {
	e := New(Options{})
	entity := func(v event.Value) event.Value { v.Decoded = []string{"url", "html"}; return v }
	cases := []struct {
		name  string
		v     event.Value
		class Class // the class that must be found, or "" for none
	}{
		{"markup after references, in the page", entity(q("q", `<img src=x onerror=alert(1)>`)), XSS},
		{"javascript URL after references", entity(q("next", `javascript:alert(document.domain)`)), XSS},
		{"SQL after references: no database decodes them", entity(q("id", `1' OR '1'='1' --`)), ""},
		{"shell after references: no shell decodes them", entity(q("host", `x; cat /etc/passwd`)), ""},
		{"template after references: no engine decodes them", entity(q("name", `{{7*7}}${7*7}`)), ""},
		{"the same SQL reached by URL decoding", q("id", `1' OR '1'='1' --`), SQLi},
		{"the same shell reached by URL decoding", q("host", `x; cat /etc/passwd`), CommandInj},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sigs := e.Inspect(c.v, nil)
			found := false
			for _, s := range sigs {
				if s.Class.IsAttack() && c.class == "" {
					t.Fatalf("signal %s/%s on a reading no sink of that family takes", s.Class, s.Rule)
				}
				found = found || s.Class == c.class
			}
			if c.class != "" && !found {
				t.Fatalf("no %s signal in %v", c.class, sigs)
			}
		})
	}
}

// TestAmpersandReadingFindsNothingNew holds the decoder's silent readings
// (decode's silentReading) to their premise: where HTML decoding turned
// only "&amp;" into "&" and left no reference behind, judging the decoded
// text as an entity reading finds an attack only where judging the text
// with "&amp;" does. On the corpora, hostile random strings and their
// mutations, under a plain name and an upload's file name.
func TestAmpersandReadingFindsNothingNew(t *testing.T) {
	e := New(Options{})
	attack := func(v event.Value) bool {
		for _, s := range e.Inspect(v, nil) {
			if s.Class.IsAttack() {
				return true
			}
		}
		return false
	}
	r := rand.New(rand.NewPCG(61, 67))
	texts := append(difftest.Corpus(t), difftest.Hostile(r, 20000, 40)...)
	checked := 0
	for k, s := range texts {
		cands := []string{s}
		if k%4 == 0 {
			cands = append(cands, difftest.Mutate(r, s)...)
		}
		for _, d := range cands {
			if !strings.Contains(d, "&") || html.UnescapeString(d) != d {
				continue
			}
			raw := strings.ReplaceAll(d, "&", "&amp;")
			for _, key := range []string{"q", "filename"} {
				checked++
				src := event.Value{Part: event.PartQuery, Key: key, Location: "query." + key, Text: raw, Decoded: []string{"url"}}
				dec := src
				dec.Text, dec.Decoded = d, []string{"url", "html"}
				if attack(dec) && !attack(src) {
					t.Errorf("%s=%.120q: the entity reading finds an attack the text with &amp; does not", key, d)
				}
			}
		}
	}
	if checked < 2000 {
		t.Fatalf("only %d texts checked", checked)
	}
}
