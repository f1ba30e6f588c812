// Package external describes lambdawaf's external corpus: material nobody
// on this project wrote (payload lists of security tools, test data of
// detection libraries, man pages, package READMEs, webhook fixtures), taken
// from the packages manifest.json names by fetch.sh, and split by a fixed
// hash into a tune half and a holdout half. The cases themselves are read
// by package corpus, which embeds them.
package external

import (
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// The two halves of every source. Tune may be read case by case and tuned
// against; holdout is only ever counted.
const (
	Tune    = "tune"
	Holdout = "holdout"
)

// Source is the provenance of one source, as manifest.json records it.
type Source struct {
	Name     string         `json:"name"`     // file name under <split>/
	Package  string         `json:"package"`  // package name(s) in the registry
	Version  string         `json:"version"`  // exact version fetched
	Registry string         `json:"registry"` // "debian bookworm", "npm", "go module"
	License  string         `json:"license"`
	Files    string         `json:"files"`            // the files of the package read, and how
	Dir      string         `json:"-"`                // directory fetch.sh unpacks it to
	Counts   map[string]int `json:"counts,omitempty"` // cases per "split/family"
}

// SplitOf says which half a value belongs to: the first 16 bits of the
// SHA-256 of the trimmed value, below half their range, are tune. The same
// value lands in the same half whichever source it comes from, so a payload
// two tools share never straddles the split.
func SplitOf(value string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(value)))
	if binary.BigEndian.Uint16(h[:2]) < 1<<15 {
		return Tune
	}
	return Holdout
}

var (
	escaper   = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`, "\x00", `\0`)
	unescaper = strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\t`, "\t", `\r`, "\r", `\0`, "\x00")
)

// Escape writes a value as one line of a corpus file: backslash, newline,
// tab, carriage return and NUL become \\, \n, \t, \r and \0.
func Escape(s string) string { return escaper.Replace(s) }

// Unescape is the inverse of Escape.
func Unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return unescaper.Replace(s)
}
