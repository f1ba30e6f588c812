package detect

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

// bytesOfAll returns the byteSet of each word, in order; the keyword lists
// build theirs once at start-up.
func bytesOfAll(words []string) []byteSet {
	sets := make([]byteSet, len(words))
	for i, w := range words {
		sets[i] = bytesOf(w)
	}
	return sets
}
