package lex

import "unsafe"

// Pairs is a Bloom filter of the adjacent byte pairs of a short text: 512
// bits, one per hash of a pair. A word of two bytes or more occurs in the
// text only if every pair of it does, so a word one of whose pairs'
// bits is clear is not searched for at all. A ByteSet tells a keyword
// list which of its words' bytes a text holds; prose and User-Agents
// hold most bytes of most words, and then only their pairs tell the
// words apart ("exec" needs "ex", "xe", "ec": a sentence seldom has all).
//
// One text's Pairs serve every keyword list that reads the text or a
// part of it (WordList.Index checks that the text searched lies within
// the one the Pairs were made of, by its memory, and otherwise reads the
// bytes alone). They are made only for texts shorter than onePassMin,
// which Index searches word by word; a longer text is read once for all
// the words of a list.
type Pairs struct {
	text string // the text the bits are of ("" when none)
	bits [8]uint64
	// the text's shapes (textShapes), as far as asked: known says which
	// were looked for, have which of those it holds
	known, have uint8
}

// shapes returns which of the shapes in want the text holds, reading the
// text only for those not asked about before: every list asks, and most
// ask the same.
func (p *Pairs) shapes(want uint8) uint8 {
	if todo := want &^ p.known; todo != 0 {
		p.have |= textShapes(p.text, todo)
		p.known |= todo
	}
	return p.have & want
}

// BytesAndPairsOf returns the ByteSet of s and, when s is shorter than
// onePassMin, makes p the Pairs of s and ties them to the set. p must
// outlive every use of the set, and s must not change while it lasts.
func BytesAndPairsOf(s string, p *Pairs) ByteSet {
	if len(s) >= onePassMin || len(s) < 2 {
		return BytesOf(s)
	}
	var b ByteSet
	*p = Pairs{text: s}
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
	bit [4]uint16
	n   uint8
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
	}
	var best [4]cand
	for i := 0; i+1 < len(w); i++ {
		a, c := commonness[w[i]], commonness[w[i+1]]
		rank := uint16(max(a, c))<<8 | uint16(min(a, c))
		cd := cand{rank: rank, bit: uint16(pairHash(w[i], w[i+1]))}
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
		k.bit[j] = best[j].bit
	}
	return k
}

// mayHold reports whether every pair k names is in p.
func (p *Pairs) mayHold(k *pairKey) bool {
	for j := 0; j < int(k.n); j++ {
		if b := k.bit[j]; p.bits[b>>6]&(1<<(b&63)) == 0 {
			return false
		}
	}
	return true
}
