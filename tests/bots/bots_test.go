// Package bots measures the bot classifier (agent/bots) on header sets it
// was not written from: browser header sets sampled from header-generator's
// model of real browser traffic, and the headers real HTTP clients on this
// machine sent when recorded (tests/corpus/bots, README there).
package bots

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/bots"
)

type headerSet struct {
	Client  string              `json:"client"`
	Headers map[string][]string `json:"headers"`
}

func load(t *testing.T, name string) []headerSet {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "corpus", "bots", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []headerSet
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var h headerSet
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		t.Fatalf("%s is empty", name)
	}
	return out
}

// Real browsers' header sets are browsers: the false-positive goal is 0.
func TestBrowserHeaderSetsAreBrowsers(t *testing.T) {
	c := bots.NewClassifier(nil)
	sets := load(t, "browsers.jsonl")
	byFamily := map[string][2]int{}
	for _, s := range sets {
		v := c.Classify(bots.Request{Headers: s.Headers, Secure: true})
		n := byFamily[s.Client]
		n[0]++
		if v.Class != bots.ClassBrowser {
			n[1]++
			t.Errorf("%s classified %s: %v", s.Client, v.Class, v.Reasons)
		}
		byFamily[s.Client] = n
	}
	fp := 0
	for fam, n := range byFamily {
		fp += n[1]
		t.Logf("%-26s %3d sets, %d not browsers", fam, n[0], n[1])
	}
	t.Logf("browser header sets: %d, false positives: %d (%.1f %%)", len(sets), fp, 100*float64(fp)/float64(len(sets)))
}

// Recorded clients: by their own name they are automation or headless;
// wearing a browser's User-Agent they are impersonators, except the one
// that also copies Accept-Language and compressed encodings of a browser
// that sends no client hints (Safari): headers alone cannot tell it, and
// the test says so rather than hide it.
func TestRecordedClientsAreNotBrowsers(t *testing.T) {
	knownMisses := map[string]string{
		"curl-as-safari-compressed-with-language": "copies every header Safari sends that the request would carry; only a TLS fingerprint (CloudFront JA3/JA4) or pacing can tell",
	}
	c := bots.NewClassifier(nil)
	sets := load(t, "clients.jsonl")
	caught := 0
	for _, s := range sets {
		v := c.Classify(bots.Request{Headers: s.Headers, Secure: true})
		var want []bots.Class
		switch {
		case strings.HasPrefix(s.Client, "headless-"):
			want = []bots.Class{bots.ClassHeadless}
		case strings.Contains(s.Client, "-as-"):
			want = []bots.Class{bots.ClassImpersonator}
		case s.Client == "node-http":
			want = []bots.Class{bots.ClassUnknown} // sends no User-Agent at all
		default:
			want = []bots.Class{bots.ClassAutomation}
		}
		ok := false
		for _, w := range want {
			ok = ok || v.Class == w
		}
		if why, miss := knownMisses[s.Client]; miss {
			if v.Class != bots.ClassBrowser {
				t.Errorf("%s is a documented miss but was caught (%s): update the test and the README", s.Client, v.Class)
			}
			t.Logf("known miss: %s (%s)", s.Client, why)
			continue
		}
		if !ok {
			t.Errorf("%s classified %s %v, want %v", s.Client, v.Class, v.Reasons, want)
			continue
		}
		caught++
	}
	t.Logf("recorded clients: %d, classified as the client they are: %d, documented misses: %d", len(sets), caught, len(knownMisses))
}
