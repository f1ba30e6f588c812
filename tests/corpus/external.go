package corpus

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lambdawaf/lambdawaf/tests/corpus/external"
)

// The external corpus (external/) is material nobody on this project
// wrote: payload lists of security tools, test data of detection and
// sanitiser libraries, man pages, package READMEs and webhook fixtures,
// taken from the packages that external/manifest.json names by
// external/fetch.sh. Every source is split by a fixed hash of each case
// into a tune half, which may be read and tuned against, and a holdout
// half, which is only ever counted.
//
// A line of external/<split>/<source>.txt is "family<TAB>seed": the family
// is an attack family (sqli, xss, cmdi, path, ...) or benign-<kind> for
// legitimate material; the seed uses the escapes of the other corpus files
// and may start with json: for a whole JSON body.

//go:embed external/tune/*.txt external/holdout/*.txt external/manifest.json
var externalFiles embed.FS

// ExternalSources returns the provenance of every external source.
func ExternalSources() ([]external.Source, error) {
	b, err := externalFiles.ReadFile("external/manifest.json")
	if err != nil {
		return nil, fmt.Errorf("read external manifest: %w", err)
	}
	var out []external.Source
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("parse external manifest: %w", err)
	}
	return out, nil
}

// ExternalCase is one case of the external corpus.
type ExternalCase struct {
	Case
	Source    string // the source's name in the manifest
	Family    string // attack family, or benign-<kind>
	Placement string // where and how the value is sent: "query", "json", "header", "json, base64", ...
}

// Attack reports whether the case is an attack.
func (c ExternalCase) Attack() bool { return !strings.HasPrefix(c.Family, "benign") }

// External returns one half (external.Tune or external.Holdout) of the external corpus. Each
// value is sent once, in one placement (query parameter, JSON field or form
// field) chosen by its hash, so the report stays fast and no value counts
// more than once.
func External(split string) ([]ExternalCase, error) { return externalCases(split, once(placeExternal)) }

// ExternalCrossed is External with the parameter names crossed: each
// attack is sent under the names benign text is (q, comment), each benign
// value under the names of an attack family picked by its hash (file,
// url, host, user, ...). External sends attacks under the names their
// sinks take, which the detectors read as a hint, and benign text under
// neutral ones; crossed, neither gets that help, as on traffic whose
// names say nothing or mislead.
func ExternalCrossed(split string) ([]ExternalCase, error) {
	return externalCases(split, once(placeCrossed))
}

// once sends every value in the one placement place picks.
func once(place func(family, v string) placed) func(family, v string) []placed {
	return func(family, v string) []placed { return []placed{place(family, v)} }
}

// externalCases reads one half of the external corpus and sends each value
// as place says: once, several times, or not at all.
func externalCases(split string, place func(family, v string) []placed) ([]ExternalCase, error) {
	if split != external.Tune && split != external.Holdout {
		return nil, fmt.Errorf("external corpus: unknown split %q (want %q or %q)", split, external.Tune, external.Holdout)
	}
	dir := "external/" + split
	ents, err := externalFiles.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read external corpus %s: %w", dir, err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var out []ExternalCase
	for _, n := range names {
		f, err := externalFiles.Open(path.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("open external corpus file %s: %w", n, err)
		}
		src := strings.TrimSuffix(n, ".txt")
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		line := 0
		for sc.Scan() {
			line++
			t := sc.Text()
			if t == "" || strings.HasPrefix(t, "##") {
				continue
			}
			family, seed, ok := strings.Cut(t, "\t")
			if !ok {
				f.Close()
				return nil, fmt.Errorf("external corpus %s/%s:%d: no family before a tab", dir, n, line)
			}
			name := fmt.Sprintf("%s/%s:%d", dir, n, line)
			c := ExternalCase{Source: src, Family: family}
			c.Class = family
			for _, p := range place(family, external.Unescape(seed)) {
				c.Name, c.Req, c.Placement = name+" "+p.name, p.req, p.name
				out = append(out, c)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("scan external corpus file %s: %w", n, err)
		}
	}
	return out, nil
}

// crossedFamilies are the attack families whose parameter names
// (keysFor) benign values take in ExternalCrossed.
var crossedFamilies = [...]string{"path", "ssrf", "cmdi", "ldapi", "ssti", "sqli"}

// placeCrossed puts a value in one location picked by its hash, under the
// names the other kind of value is sent under (ExternalCrossed).
func placeCrossed(family, v string) placed {
	if _, ok := strings.CutPrefix(v, "json:"); ok {
		return placeExternal(family, v) // a whole document: no name to cross
	}
	h := sha256.Sum256([]byte(v))
	class := ""
	if strings.HasPrefix(family, "benign") {
		class = crossedFamilies[int(h[3])%len(crossedFamilies)]
	}
	return placements(class, v)[int(h[2])%3]
}

// placeExternal puts a value in one location picked by its hash.
func placeExternal(family, v string) placed {
	if body, ok := strings.CutPrefix(v, "json:"); ok {
		return placed{"json", Request{"POST", "/api/v1/items", hdrs([2]string{"content-type", "application/json"}), []byte(body)}}
	}
	class := family
	if strings.HasPrefix(family, "benign") {
		class = ""
	}
	ps := placements(class, v)
	h := sha256.Sum256([]byte(v))
	return ps[int(h[2])%3] // query, json, form: the first three placements
}
