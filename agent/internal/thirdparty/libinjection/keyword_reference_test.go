package libinjection

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// searchKeywordReference is searchKeyword as it was before it asked
// keywordFilter ahead of the upper-cased copy.
func searchKeywordReference(key string, keywords keywordTable) byte {
	var buf [tokenSize]byte
	upper, ok := appendUpperASCII(buf[:0], key)
	if !ok {
		return searchKeywordUnicode(key, keywords)
	}
	return searchUpper(upper, keywords)
}

// mergeReference is merge's look-up of a pair as it was before the
// filter: the pair upper-cased into a stack buffer, else concatenated.
func mergeReference(s *sqliState, a, b string) byte {
	var buf [tokenSize]byte
	upper, ok := appendUpperASCII(buf[:0], a)
	if ok {
		upper = append(upper, ' ')
		upper, ok = appendUpperASCII(upper, b)
	}
	if ok {
		return searchUpper(upper, sqlKeywords)
	}
	return s.lookupWord(sqliLookupWord, a+" "+b)
}

// keywordProbes returns every key of sqlKeywords in upper, lower and
// mixed case, each with a byte changed at either end, cut short and
// grown, words with bytes that are not ASCII (some upper-case to ASCII
// keys), and random words of the bytes keys are made of.
func keywordProbes() []string {
	var out []string
	for _, kw := range sqlKeywords {
		k := kw.key
		out = append(out, k, strings.ToLower(k), strings.ToLower(k[:len(k)/2])+k[len(k)/2:],
			"x"+k[1:], k[:len(k)-1]+"x", k[:len(k)-1], k+"S", "ſ"+k, strings.ReplaceAll(strings.ToLower(k), "s", "ſ"),
			strings.ReplaceAll(strings.ToLower(k), "k", "\u212a"))
	}
	r := rand.New(rand.NewPCG(5, 8))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ .@$#<>=!|&*+-/%^~:\x80\xc5\xbf"
	for range 200000 {
		b := make([]byte, r.IntN(tokenSize+4))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		out = append(out, string(b))
	}
	return append(out, "", " ", "\x00", strings.Repeat("A", tokenSize), strings.Repeat("A", tokenSize+1))
}

// TestSearchKeywordMatchesReference holds searchKeyword, which asks the
// filter before it copies, to the copy-first look-up on every key, its
// variants and random words.
func TestSearchKeywordMatchesReference(t *testing.T) {
	found := 0
	for _, k := range keywordProbes() {
		got, want := searchKeyword(k, sqlKeywords), searchKeywordReference(k, sqlKeywords)
		if got != want {
			t.Errorf("searchKeyword(%q) = %q, reference %q", k, got, want)
		}
		if got != byteNull {
			found++
		}
	}
	if found < len(sqlKeywords) {
		t.Errorf("only %d probes are keywords, the table has %d", found, len(sqlKeywords))
	}
}

// TestMergeMatchesReference holds merge to the look-up it made before
// the filter on every phrase of sqlKeywords split at each blank, in
// either case, and on random pairs of probes; the pair is a keyword and
// a bareword, so every length check before the look-up passes.
func TestMergeMatchesReference(t *testing.T) {
	var pairs [][2]string
	for _, kw := range sqlKeywords {
		for i := 0; i < len(kw.key); i++ {
			if kw.key[i] == ' ' {
				a, b := kw.key[:i], kw.key[i+1:]
				pairs = append(pairs, [2]string{a, b}, [2]string{strings.ToLower(a), b}, [2]string{a, strings.ToLower(b) + "x"})
			}
		}
	}
	probes := keywordProbes()
	r := rand.New(rand.NewPCG(9, 2))
	for range 100000 {
		pairs = append(pairs, [2]string{probes[r.IntN(len(probes))], probes[r.IntN(len(probes))]})
	}
	merged := 0
	var s sqliState
	sqliInit(&s, "", 0)
	for _, p := range pairs {
		a, b := p[0], p[1]
		if len(a)+len(b)+1 > tokenSize {
			continue
		}
		var ta, tb sqliToken
		ta.assign(sqliTokenTypeKeyword, 0, len(a), a)
		tb.assign(sqliTokenTypeBareWord, len(a)+1, len(b), b)
		want := mergeReference(&s, a, b)
		if got := s.merge(&ta, &tb); got != (want != byteNull) || got && (ta.category != want || ta.val != a+" "+b) {
			t.Errorf("merge(%q, %q) = %v %q %q, reference %q", a, b, got, ta.category, ta.val, want)
		}
		if want != byteNull {
			merged++
		}
	}
	if merged < 100 {
		t.Errorf("only %d pairs merged", merged)
	}
}
