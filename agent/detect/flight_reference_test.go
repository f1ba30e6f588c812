package detect

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// flightReferenceAtEachDollar is flightReference as it was first written,
// a walk from every '$' (quadratic on a run of "$A:"): the oracle the
// resuming walk is held to.
func flightReferenceAtEachDollar(s string) int {
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '$')
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		j := i + 1
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != ':' {
			continue
		}
		for j < len(s) && s[j] == ':' {
			k := j + 1
			for k < len(s) && (isWord(s[k]) || s[k] == '$') {
				k++
			}
			switch s[j+1 : k] {
			case "constructor", "prototype", "__proto__":
				return i
			}
			j = k
		}
	}
	return -1
}

// TestFlightReferenceAgreesWithAWalkFromEachDollar: the same answer on
// random texts over the pieces the function reads and on the known
// shapes, and linear time on a run of references.
func TestFlightReferenceAgreesWithAWalkFromEachDollar(t *testing.T) {
	pieces := []string{"$", "$", "3", "A", "a", "_", ":", ":", "::", "constructor", "prototype", "__proto__", "x", "%", " ", "$1:", "-", "."}
	r := rand.New(rand.NewPCG(5, 9))
	texts := []string{"$3:constructor:constructor", "$7:Module:prototype", "a $1:b:c", "::$A:::$A:::$A:", "$A:x$B:constructor", "$A:b_$C:__proto__", "$:constructor"}
	for range 300000 {
		var b strings.Builder
		for n := r.IntN(14); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		if got, want := flightReference(s), flightReferenceAtEachDollar(s); got != want {
			t.Fatalf("flightReference(%q) = %d, the walk from each '$' says %d", s, got, want)
		}
	}
	// a run of references whose paths never end: once through
	run := strings.Repeat("::$A:", 200000)
	if got := flightReference(run); got != -1 {
		t.Fatalf("run: %d", got)
	}
}
