package lex

import "strings"

// ByteSet records which byte values occur in a text. A keyword can only
// occur in a text whose ByteSet covers the keyword's, so one pass over the
// text lets the keyword-list scans skip most of their strings.Index calls
// on ordinary values (a name without '/' cannot hold "etc/passwd"). The
// skipped keywords could not have matched, so the results are unchanged.
type ByteSet [4]uint64

// BytesOf returns the set of bytes in s.
func BytesOf(s string) ByteSet {
	var b ByteSet
	for i := 0; i < len(s); i++ {
		c := s[i]
		b[c>>6] |= 1 << (c & 63)
	}
	return b
}

// Covers reports whether every byte of p occurs in b.
func (b *ByteSet) Covers(p *ByteSet) bool {
	return b[0]&p[0] == p[0] && b[1]&p[1] == p[1] && b[2]&p[2] == p[2] && b[3]&p[3] == p[3]
}

// WordList is a keyword list with the ByteSet of each word.
type WordList struct {
	words []string
	sets  []ByteSet
}

func NewWordList(words ...string) WordList {
	return WordList{words: words, sets: BytesOfAll(words)}
}

// Index returns the first word of the list, in list order, whose first
// occurrence in s ok accepts (nil accepts any), and that occurrence; i is
// -1 when there is none. Only words whose bytes all occur in have (the
// ByteSet of s) are searched for.
func (l *WordList) Index(s string, have *ByteSet, ok func(i int, w string) bool) (w string, i int) {
	for k, w := range l.words {
		if !have.Covers(&l.sets[k]) {
			continue
		}
		if i := strings.Index(s, w); i >= 0 && (ok == nil || ok(i, w)) {
			return w, i
		}
	}
	return "", -1
}

// ProperPrefix reports whether a word of the list whose bytes all occur in
// have is a proper prefix of s (the name "array_map" after "array_").
func (l *WordList) ProperPrefix(s string, have *ByteSet) bool {
	for k, w := range l.words {
		if have.Covers(&l.sets[k]) && len(s) > len(w) && strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// BytesOfAll returns the ByteSet of each word, in order; the keyword lists
// build theirs once at start-up.
func BytesOfAll(words []string) []ByteSet {
	sets := make([]ByteSet, len(words))
	for i, w := range words {
		sets[i] = BytesOf(w)
	}
	return sets
}

// FirstIndex files the words of a keyword list by their first byte (with
// their second byte, to skip most candidates without a comparison), so a
// list can be searched in one pass over a text instead of one pass per
// word. That matters for long values, which hold most of the bytes of most
// words and get little from a ByteSet.
type FirstIndex struct {
	words []string
	by    [256][]wordCandidate // ascending word index
}

type wordCandidate struct {
	k      uint16
	second byte
}

// NewFirstIndex indexes words; every word must be at least two bytes long.
func NewFirstIndex(words []string) *FirstIndex {
	x := &FirstIndex{words: words}
	for k, w := range words {
		x.by[w[0]] = append(x.by[w[0]], wordCandidate{k: uint16(k), second: w[1]})
	}
	return x
}

// Find returns the index in the list of the first word (in list order)
// that occurs in s at a position accepted by ok (nil accepts any), and its
// leftmost accepted position; k is -1 when there is none. It is what
// trying each word in turn with strings.Index, over all its occurrences,
// would return.
func (x *FirstIndex) Find(s string, ok func(s string, i int, w string) bool) (k, at int) {
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
