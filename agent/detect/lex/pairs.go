package lex

import "unsafe"

// Pairs is a filter of the adjacent byte pairs of a text. A word of two
// bytes or more occurs in the text only if every pair of it does, so a
// word one of whose pairs is missing is not searched for at all. A
// ByteSet tells a keyword list which of its words' bytes a text holds;
// prose and User-Agents hold most bytes of most words, and then only
// their pairs tell the words apart ("exec" needs "ex", "xe", "ec": a
// sentence seldom has all). A hostile long text holds most bytes too
// (every punctuation mark and letter the lists search by), but in few
// pairs: a 1,000-byte cycle of 56 bytes has 56 pairs, where the lists'
// words need hundreds.
//
// For a short text (under onePassMin) the filter is a Bloom filter of
// 512 bits, one per hash of a pair, cheap to make for each value. For a
// longer one it is exact, a bit for each of the 65,536 pairs (a table of
// 8 KiB, kept from one long text to the next): made in the pass that
// also makes the text's ByteSet, it spares every keyword list that reads
// the text a pass over it for words it cannot hold, and answers the
// text's shapes (textShapes) without reading it again.
//
// One text's Pairs serve every keyword list that reads the text or a
// part of it (WordList.Index checks that the text searched lies within
// the one the Pairs were made of, by its memory, and otherwise reads the
// bytes alone).
type Pairs struct {
	text string // the text the bits are of ("" when none)
	bits [8]uint64
	// table holds every pair of a long text (long is set): pair (a, c)
	// is bit c&63 of table[a][c>>6]. Nil until a long text needs it.
	table *pairTable
	long  bool
	// the text's shapes (textShapes), as far as asked: known says which
	// were looked for, have which of those it holds
	known, have uint8
}

// pairTable is the exact pair set of a long text (see Pairs).
type pairTable [256][4]uint64

// has reports whether the pair (a, c) occurs.
func (t *pairTable) has(a, c byte) bool { return t[a][c>>6]&(1<<(c&63)) != 0 }

// shapes returns which of the shapes in want the text holds, reading the
// text only for those not asked about before: every list asks, and most
// ask the same.
func (p *Pairs) shapes(want uint8) uint8 {
	if todo := want &^ p.known; todo != 0 {
		if p.long {
			p.have |= p.table.shapes(todo)
		} else {
			p.have |= textShapes(p.text, todo)
		}
		p.known |= todo
	}
	return p.have & want
}

// asciiLetters is the bits of the ASCII letters in a pairTable row's
// second word (bytes 64 to 127): 'A'-'Z' and 'a'-'z'.
const asciiLetters = (1<<26-1)<<('A'-64) | (1<<26-1)<<('a'-64)

// shapes returns which of the shapes in want the table's text holds:
// what textShapes reads the text for, each a pair or a row of pairs.
func (t *pairTable) shapes(want uint8) uint8 {
	var have uint8
	if want&shapeDotLetter != 0 && t['.'][1]&asciiLetters != 0 {
		have |= shapeDotLetter
	}
	if want&shapeBlankDash != 0 && t.has(' ', '-') {
		have |= shapeBlankDash
	}
	if want&shapeBlankSlash != 0 && t.has(' ', '/') {
		have |= shapeBlankSlash
	}
	return have
}

// BytesAndPairsOf returns the ByteSet of s, makes p the Pairs of s and
// ties them to the set. p must outlive every use of the set, and s must
// not change while it lasts.
func BytesAndPairsOf(s string, p *Pairs) ByteSet {
	if len(s) < 2 {
		return BytesOf(s)
	}
	if len(s) >= onePassMin {
		return longBytesAndPairs(s, p)
	}
	var b ByteSet
	*p = Pairs{text: s, table: p.table}
	prev := s[0]
	b.Add(prev)
	for i := 1; i < len(s); i++ {
		c := s[i]
		b.Add(c)
		h := pairHash(prev, c)
		p.bits[h>>6] |= 1 << (h & 63)
		prev = c
	}
	b.pairs = p
	return b
}

// longBytesAndPairs is BytesAndPairsOf for a long text: one pass marks
// every pair in p's table, and the bytes are read off the table (a byte
// opens a pair unless it is only the last).
func longBytesAndPairs(s string, p *Pairs) ByteSet {
	t := p.table
	if t == nil {
		t = new(pairTable)
	} else {
		*t = pairTable{}
	}
	*p = Pairs{text: s, table: t, long: true}
	prev := s[0]
	for i := 1; i < len(s); i++ {
		c := s[i]
		// a pair seen before is only read: a hostile text repeats a few
		// pairs, and a store to each would wait for the last to the
		// same word
		if w, bit := &t[prev][c>>6], uint64(1)<<(c&63); *w&bit == 0 {
			*w |= bit
		}
		prev = c
	}
	var b ByteSet
	for a := range t {
		if t[a][0]|t[a][1]|t[a][2]|t[a][3] != 0 {
			b.Add(byte(a))
		}
	}
	b.Add(prev)
	b.pairs = p
	return b
}

// pairHash is the bit of the pair (a, c) in Pairs.
func pairHash(a, c byte) uint32 {
	return (uint32(a)<<8 | uint32(c)) * 0x9E3779B1 >> 23
}

// holds reports whether s lies within the text p was made of (the same
// bytes in memory, or a part of them): only then do p's pairs include
// s's.
func (p *Pairs) holds(s string) bool {
	if p.text == "" || s == "" {
		return false
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(p.text)))
	at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return at >= base && at+uintptr(len(s)) <= base+uintptr(len(p.text))
}

// pairKey holds the Pairs bits of up to four pairs of a word, those of
// its rarest bytes (see commonness); n is how many.
type pairKey struct {
	bit  [4]uint16
	pair [4][2]byte // the pairs themselves, for a long text's table
	n    uint8
}

// pairKeyOf picks the pairs of w whose bytes are the least common: the
// ones a text that lacks w is most likely to lack too.
func pairKeyOf(w string) pairKey {
	var k pairKey
	if len(w) < 2 {
		return k
	}
	// the pairs by the commonness of their rarer byte, then their other
	type cand struct {
		rank uint16
		bit  uint16
		pair [2]byte
	}
	var best [4]cand
	for i := 0; i+1 < len(w); i++ {
		a, c := commonness[w[i]], commonness[w[i+1]]
		rank := uint16(max(a, c))<<8 | uint16(min(a, c))
		cd := cand{rank: rank, bit: uint16(pairHash(w[i], w[i+1])), pair: [2]byte{w[i], w[i+1]}}
		if int(k.n) < len(best) {
			best[k.n] = cd
			k.n++
			continue
		}
		worst := 0
		for j := 1; j < len(best); j++ {
			if best[j].rank > best[worst].rank {
				worst = j
			}
		}
		if cd.rank < best[worst].rank {
			best[worst] = cd
		}
	}
	for j := 0; j < int(k.n); j++ {
		k.bit[j], k.pair[j] = best[j].bit, best[j].pair
	}
	return k
}

// IndexIn returns lex.Index(s, w): the index of the first w in s, or -1.
// have is the ByteSet of s or of a text s lies within (or a superset):
// when s lacks one of w's bytes, or have holds the Pairs of s and one of
// w's pairs is not among them, w is not in s and s is not read. A
// hostile long text holds most bytes but few pairs, and a detector that
// looks for a handful of delimiters or markers in it then asks a table
// instead of reading the text once for each.
func IndexIn(s string, have *ByteSet, w string) int {
	if !have.mayHold(s, w) {
		return -1
	}
	return Index(s, w)
}

// mayHold reports whether w can occur in s, where b is the ByteSet of s
// or of a text s lies within: false when s lacks one of w's bytes or,
// where b holds the Pairs of s, one of its pairs.
func (b *ByteSet) mayHold(s, w string) bool {
	for i := 0; i < len(w); i++ {
		if !b.Has(w[i]) {
			return false
		}
	}
	p := pairsOf(s, b)
	if p == nil {
		return true
	}
	for i := 0; i+1 < len(w); i++ {
		if p.long {
			if !p.table.has(w[i], w[i+1]) {
				return false
			}
		} else if h := pairHash(w[i], w[i+1]); p.bits[h>>6]&(1<<(h&63)) == 0 {
			return false
		}
	}
	return true
}

// mayHold reports whether every pair k names is in p.
func (p *Pairs) mayHold(k *pairKey) bool {
	if p.long {
		for j := 0; j < int(k.n); j++ {
			if !p.table.has(k.pair[j][0], k.pair[j][1]) {
				return false
			}
		}
		return true
	}
	for j := 0; j < int(k.n); j++ {
		if b := k.bit[j]; p.bits[b>>6]&(1<<(b&63)) == 0 {
			return false
		}
	}
	return true
}
