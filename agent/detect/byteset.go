package detect

import "strings"

// byteSet records which byte values occur in a text. A keyword can only
// occur in a text whose byteSet covers the keyword's, so one pass over the
// text lets the keyword-list scans skip most of their strings.Index calls
// on ordinary values (a name without '/' cannot hold "etc/passwd"). The
// skipped keywords could not have matched, so the results are unchanged.
type byteSet [4]uint64

// bytesOf returns the set of bytes in s.
func bytesOf(s string) byteSet {
	var b byteSet
	for i := 0; i < len(s); i++ {
		c := s[i]
		b[c>>6] |= 1 << (c & 63)
	}
	return b
}

// covers reports whether every byte of p occurs in b.
func (b *byteSet) covers(p *byteSet) bool {
	return b[0]&p[0] == p[0] && b[1]&p[1] == p[1] && b[2]&p[2] == p[2] && b[3]&p[3] == p[3]
}

// wordList is a keyword list with the byteSet of each word.
type wordList struct {
	words []string
	sets  []byteSet
}

func newWordList(words ...string) wordList {
	return wordList{words: words, sets: bytesOfAll(words)}
}

// index returns the first word of the list, in list order, whose first
// occurrence in s ok accepts (nil accepts any), and that occurrence; i is
// -1 when there is none. Only words whose bytes all occur in have (the
// byteSet of s) are searched for.
func (l *wordList) index(s string, have *byteSet, ok func(i int, w string) bool) (w string, i int) {
	for k, w := range l.words {
		if !have.covers(&l.sets[k]) {
			continue
		}
		if i := strings.Index(s, w); i >= 0 && (ok == nil || ok(i, w)) {
			return w, i
		}
	}
	return "", -1
}

// bytesOfAll returns the byteSet of each word, in order; the keyword lists
// build theirs once at start-up.
func bytesOfAll(words []string) []byteSet {
	sets := make([]byteSet, len(words))
	for i, w := range words {
		sets[i] = bytesOf(w)
	}
	return sets
}

// firstIndex files the words of a keyword list by their first byte (with
// their second byte, to skip most candidates without a comparison), so a
// list can be searched in one pass over a text instead of one pass per
// word. That matters for long values, which hold most of the bytes of most
// words and get little from a byteSet.
type firstIndex struct {
	words []string
	by    [256][]wordCandidate // ascending word index
}

type wordCandidate struct {
	k      uint16
	second byte
}

// newFirstIndex indexes words; every word must be at least two bytes long.
func newFirstIndex(words []string) *firstIndex {
	x := &firstIndex{words: words}
	for k, w := range words {
		x.by[w[0]] = append(x.by[w[0]], wordCandidate{k: uint16(k), second: w[1]})
	}
	return x
}

// find returns the index in the list of the first word (in list order)
// that occurs in s at a position accepted by ok (nil accepts any), and its
// leftmost accepted position; k is -1 when there is none. It is what
// trying each word in turn with strings.Index, over all its occurrences,
// would return.
func (x *firstIndex) find(s string, ok func(s string, i int, w string) bool) (k, at int) {
	best, at := len(x.words), -1
	for i := 0; i+1 < len(s); i++ {
		for _, c := range x.by[s[i]] {
			if int(c.k) >= best {
				break // ascending: the rest come later in the list
			}
			if c.second != s[i+1] {
				continue
			}
			if w := x.words[c.k]; strings.HasPrefix(s[i:], w) && (ok == nil || ok(s, i, w)) {
				// a later position can only improve on a word earlier in
				// the list, so this is the leftmost match of c.k
				best, at = int(c.k), i
				break
			}
		}
	}
	if at < 0 {
		return -1, -1
	}
	return best, at
}
