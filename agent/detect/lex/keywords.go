package lex

import (
	"math/bits"
	"strings"
	"sync"
)

// ByteSet records which byte values occur in a text. A keyword can only
// occur in a text whose ByteSet covers the keyword's, so one pass over the
// text lets the keyword-list scans skip most of their strings.Index calls
// on ordinary values (a name without '/' cannot hold "etc/passwd"). The
// skipped keywords could not have matched, so the results are unchanged.
//
// A ByteSet made by BytesAndPairsOf also holds the byte pairs of its text
// (see Pairs), which WordList.Index and Contains then read as well.
type ByteSet struct {
	b     [4]uint64
	pairs *Pairs // nil unless made by BytesAndPairsOf
}

// bytesOfTableMin is the length from which BytesOf marks a table of 256
// flags instead of setting bits. Setting a bit reads the word the last
// byte wrote, a chain of dependent loads and stores through the text;
// marking a flag is a store no other byte waits for (about 7 times faster
// a byte), but folding the table into bits costs a fixed 256 steps.
const bytesOfTableMin = 256

// BytesOf returns the set of bytes in s.
func BytesOf(s string) ByteSet {
	if len(s) >= bytesOfTableMin {
		return bytesOfTable(s)
	}
	var b ByteSet
	for i := 0; i < len(s); i++ {
		b.Add(s[i])
	}
	return b
}

// bytesOfTable is BytesOf for long texts: it marks every byte's flag, eight
// bytes a step, then folds the flags into the set.
func bytesOfTable(s string) ByteSet {
	var seen [256]bool
	for len(s) >= 8 {
		seen[s[0]], seen[s[1]], seen[s[2]], seen[s[3]] = true, true, true, true
		seen[s[4]], seen[s[5]], seen[s[6]], seen[s[7]] = true, true, true, true
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		seen[s[i]] = true
	}
	var b ByteSet
	for c, ok := range seen {
		if ok {
			b.Add(byte(c))
		}
	}
	return b
}

// Add puts byte c in b.
func (b *ByteSet) Add(c byte) { b.b[c>>6] |= 1 << (c & 63) }

// Has reports whether byte c occurs in b.
func (b *ByteSet) Has(c byte) bool { return b.b[c>>6]&(1<<(c&63)) != 0 }

// HasAny reports whether any byte of chars occurs in b.
func (b *ByteSet) HasAny(chars string) bool {
	for i := 0; i < len(chars); i++ {
		if b.Has(chars[i]) {
			return true
		}
	}
	return false
}

// Covers reports whether every byte of p occurs in b.
func (b *ByteSet) Covers(p *ByteSet) bool {
	return b.b[0]&p.b[0] == p.b[0] && b.b[1]&p.b[1] == p.b[1] && b.b[2]&p.b[2] == p.b[2] && b.b[3]&p.b[3] == p.b[3]
}

// count returns how many bytes b holds.
func (b *ByteSet) count() int {
	return bits.OnesCount64(b.b[0]) + bits.OnesCount64(b.b[1]) + bits.OnesCount64(b.b[2]) + bits.OnesCount64(b.b[3])
}

// Missing returns how many bytes of p do not occur in b.
func (b *ByteSet) Missing(p *ByteSet) int {
	return bits.OnesCount64(p.b[0]&^b.b[0]) + bits.OnesCount64(p.b[1]&^b.b[1]) + bits.OnesCount64(p.b[2]&^b.b[2]) + bits.OnesCount64(p.b[3]&^b.b[3])
}

// WordList is a keyword list with the ByteSet of each word, and bit masks
// of the words by their first and second bytes so that a long text is
// searched for all of them in one pass. The sets and masks are built on
// first use, not at start-up: the lists are package variables, and what
// package initialisation builds comes before the agent registers with
// Lambda, in every cold start, while most lists are never needed by a
// given function's traffic.
type WordList struct {
	words []string
	built *wordTables
}

// wordTables is what a WordList builds on first use.
type wordTables struct {
	once   sync.Once
	sets   []ByteSet
	firsts ByteSet    // the first bytes of the words
	pairs  *wordPairs // nil for lists too long for one pass
	// needs holds, for each word, the shapes (see textShapes) it is
	// made with, such as a '.' followed by a letter ("java.lang",
	// "os.system") or a flag after a blank ("bash -i"): no such word can
	// occur in a text without them, which most prose is (its dots end
	// sentences, its dashes stand between words). anyNeeds is their union.
	needs    []uint8
	anyNeeds uint8
	// anchor is, for each word, the offset of its rarest byte in text
	// (see commonness): a short text is searched for that byte, where a
	// first byte such as 'e' or 'i' stops the search at every few bytes
	// of prose.
	anchor []int
	// pairKeys holds, for each word, the Pairs bits of its rarest byte
	// pairs: a short text whose Pairs lack one cannot hold the word.
	pairKeys []pairKey
}

// commonness ranks bytes by how often text holds them: blanks, then
// English letters by frequency, digits, then common punctuation; 0 for
// the rest.
var commonness = func() (t [256]uint8) {
	const order = " etaoinshrdlcumwfgypbvkjxqz" // most common first
	for i := 0; i < len(order); i++ {
		t[order[i]] = uint8(255 - i)
		if c := order[i]; c >= 'a' && c <= 'z' {
			t[c-'a'+'A'] = uint8(255 - i)
		}
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = 200
	}
	for _, c := range []byte(".,-'\n\t") {
		t[c] = 210
	}
	return t
}()

// rarestByte returns the offset in w of its least common byte (the first
// of them).
func rarestByte(w string) int {
	at := 0
	for i := 1; i < len(w); i++ {
		if commonness[w[i]] < commonness[w[at]] {
			at = i
		}
	}
	return at
}

// indexAnchored is IndexWhere(s, w, ok), reading s at the occurrences of
// w's byte at offset a: each occurrence of w has that byte at its own
// offset, so occurrences are still found left to right.
func indexAnchored(s, w string, a int, ok func(i int) bool) int {
	c := w[a]
	for off := a; off < len(s); {
		j := strings.IndexByte(s[off:], c)
		if j < 0 {
			return -1
		}
		start := off + j - a
		if start+len(w) > len(s) {
			return -1 // every later one starts later still
		}
		if s[start:start+len(w)] == w && (ok == nil || ok(start)) {
			return start
		}
		off += j + 1
	}
	return -1
}

// The shapes a text is read for before a list's words are searched one
// by one: each is one vector search of the text, and each rules out the
// words made with it.
const (
	shapeDotLetter  uint8 = 1 << iota // ".x": a member access or a package path
	shapeBlankDash                    // " -": a flag after a blank
	shapeBlankSlash                   // " /": a Windows switch or an absolute path after a blank
)

// shapesOf returns which of the shapes in want s holds, from pairs when
// they are those of s or of a text s is part of (that text's shapes: a
// part has no more), else by reading s.
func shapesOf(s string, pairs *Pairs, want uint8) uint8 {
	if pairs != nil {
		return pairs.shapes(want)
	}
	return textShapes(s, want)
}

// textShapes returns which of the shapes in want s holds.
func textShapes(s string, want uint8) uint8 {
	var have uint8
	if want&shapeDotLetter != 0 && DotLetter(s) {
		have |= shapeDotLetter
	}
	if want&shapeBlankDash != 0 && strings.Contains(s, " -") {
		have |= shapeBlankDash
	}
	if want&shapeBlankSlash != 0 && strings.Contains(s, " /") {
		have |= shapeBlankSlash
	}
	return have
}

// absent reports whether no word of the list can occur in a text whose
// bytes are have (nil: any byte): none of their first bytes is there. A
// short value (a parameter name of punctuation, say) is then passed over
// without asking about each word.
func (t *wordTables) absent(have *ByteSet) bool {
	return have != nil && have.b[0]&t.firsts.b[0]|have.b[1]&t.firsts.b[1]|have.b[2]&t.firsts.b[2]|have.b[3]&t.firsts.b[3] == 0
}

// wordPairs holds, for each byte value, the words (one bit each, in list
// order) whose first byte it is, and those whose second byte it is or that
// have no second byte; a word can start at i only if its bit is in
// first[s[i]] & second[s[i+1]].
type wordPairs struct {
	first, second [256]uint64
	short         uint64   // the one-byte words: all a text's last byte can start
	firstOf       [64]byte // each word's first byte
}

// onePassMin is the text length from which Index searches all the words in
// one pass; shorter texts are cheaper to search word by word.
const onePassMin = 256

// NewWordList makes a list; the order of words is the order Index
// prefers them in.
func NewWordList(words ...string) WordList {
	return WordList{words: words, built: new(wordTables)}
}

// tables returns the list's sets and masks, building them the first time.
func (l *WordList) tables() *wordTables {
	t := l.built
	t.once.Do(func() {
		t.sets = BytesOfAll(l.words)
		t.needs = make([]uint8, len(l.words))
		t.anchor = make([]int, len(l.words))
		for k, w := range l.words {
			if w != "" {
				t.firsts.Add(w[0])
				t.anchor[k] = rarestByte(w)
			}
			t.needs[k] = textShapes(w, ^uint8(0))
			t.anyNeeds |= t.needs[k]
		}
		t.pairKeys = make([]pairKey, len(l.words))
		for k, w := range l.words {
			t.pairKeys[k] = pairKeyOf(w)
		}
		if len(l.words) > 64 { // one bit per word in Index's one pass
			return
		}
		p := new(wordPairs)
		for k, w := range l.words {
			bit := uint64(1) << k
			p.first[w[0]] |= bit
			p.firstOf[k] = w[0]
			if len(w) > 1 {
				p.second[w[1]] |= bit
				continue
			}
			p.short |= bit
			for c := range p.second {
				p.second[c] |= bit
			}
		}
		t.pairs = p
	})
	return t
}

// Index returns the first word of the list, in list order, that ok
// accepts at one of its occurrences in s (nil accepts any), and its first
// accepted occurrence; i is -1 when there is none. Every occurrence is
// asked about, not only the first: an occurrence ok rejects (inside a
// longer word, say) must not hide a later one that counts. ok is called
// once per occurrence, so it must cost little more than a look around i.
// Only words whose bytes all occur in have (the ByteSet of s) are searched
// for. A long text is read once for all the words, not once per word:
// what a hostile 1 MiB value costs.
func (l *WordList) Index(s string, have *ByteSet, ok func(i int, w string) bool) (w string, i int) {
	t := l.tables()
	if t.absent(have) {
		return "", -1
	}
	if len(s) < onePassMin || t.pairs == nil {
		return l.indexEach(s, have, ok)
	}
	return l.indexOnePass(s, have, ok)
}

// DotLetter reports whether s holds a '.' followed by an ASCII letter: a
// member access or a package path ("os.system", "java.lang"), which a
// sentence's full stop is not.
func DotLetter(s string) bool {
	jumps := 0 // vector searches so far: at most one per 16 bytes, past the first 8
	for off := 0; off < len(s); {
		if jumps >= 8+off>>4 {
			// dots are dense ("....", ".1.1"): a search per dot would
			// cost more than reading the rest byte by byte
			for i := off; i+1 < len(s); i++ {
				if s[i] == '.' && IsAlpha(s[i+1]) {
					return true
				}
			}
			return false
		}
		jumps++
		i := strings.IndexByte(s[off:], '.')
		if i < 0 {
			return false
		}
		off += i + 1
		if off < len(s) && IsAlpha(s[off]) {
			return true
		}
	}
	return false
}

// indexEach is Index by one search per word (IndexWhere, every
// occurrence asked about).
func (l *WordList) indexEach(s string, have *ByteSet, ok func(i int, w string) bool) (string, int) {
	t := l.tables()
	sets := t.sets
	pairs := pairsOf(s, have) // nil for another text's: only its bytes say anything of s
	shapes := ^uint8(0)
	if t.anyNeeds != 0 {
		shapes = shapesOf(s, pairs, t.anyNeeds)
	}
	for k, w := range l.words {
		if !have.Covers(&sets[k]) || t.needs[k]&^shapes != 0 || pairs != nil && !pairs.mayHold(&t.pairKeys[k]) {
			continue
		}
		accept := func(i int) bool { return ok == nil || ok(i, w) }
		i := -1
		if w == "" {
			i = IndexWhere(s, w, accept)
		} else {
			i = indexAnchored(s, w, t.anchor[k], accept)
		}
		if i >= 0 {
			return w, i
		}
	}
	return "", -1
}

// indexOnePass is Index in one pass over s. Reading left to right, ok is
// asked about each occurrence of a word still looked for; a word accepted
// is not looked for again, and once one is, only the words before it in
// the list can still change the answer. The pass ends when no word is
// left to look for.
func (l *WordList) indexOnePass(s string, have *ByteSet, ok func(i int, w string) bool) (string, int) {
	live := l.liveIn(s, have) // the words still looked for
	from, best, at := 0, -1, -1
	if j := newFirstByteJump(l.built.pairs, live); j.on {
		from, live, best, at = l.indexJumping(s, &j, live, ok)
	}
	if best, at = l.indexFrom(s, from, live, best, at, ok); best < 0 {
		return "", -1
	}
	return l.words[best], at
}

// indexFrom is indexOnePass from s[from] on, reading every byte, with the
// words live still looked for and the best word accepted so far (-1 for
// none) at at.
func (l *WordList) indexFrom(s string, from int, live uint64, best, at int, ok func(i int, w string) bool) (int, int) {
	p := l.built.pairs
	for i := max(from, 0); i < len(s) && live != 0; i++ {
		if p.first[s[i]]&live != 0 {
			live, best, at = l.matchAt(s, i, live, best, at, ok)
		}
	}
	return best, at
}

// matchAt looks for the live words that start at s[i] and returns the
// words still looked for and the best word accepted so far and where: a
// word accepted is not looked for again, and once one is, only the words
// before it in the list can still change the answer.
func (l *WordList) matchAt(s string, i int, live uint64, best, at int, ok func(i int, w string) bool) (uint64, int, int) {
	cand := l.built.pairs.startingAt(s, i, live)
	for cand != 0 {
		k := bits.TrailingZeros64(cand)
		bit := uint64(1) << k
		cand &^= bit
		w := l.words[k]
		if !strings.HasPrefix(s[i:], w) {
			continue
		}
		if ok == nil || ok(i, w) {
			live &^= bit
			best, at = k, i
			live &= bit - 1 // only earlier words can come before it
			cand &= bit - 1
		}
	}
	return live, best, at
}

// indexJumping is indexOnePass while the first bytes of the words are
// sparse in s: it reads only the positions j stops at, as indexFrom reads
// every position, and returns where it stopped (len(s) at the end, or the
// position after the last it read once j found the first bytes dense), the
// words still looked for, and the best word accepted so far and where.
func (l *WordList) indexJumping(s string, j *firstByteJump, live uint64, ok func(i int, w string) bool) (from int, left uint64, best, at int) {
	best, at = -1, -1
	i := 0
	for ; live != 0 && j.on; i++ {
		if i = j.jump(s, i); i >= len(s) {
			return len(s), live, best, at
		}
		live, best, at = l.matchAt(s, i, live, best, at, ok)
	}
	return i, live, best, at
}

// maxJumpBytes is the most first bytes for which indexOnePass jumps from
// one occurrence of them to the next with strings.IndexByte.
const maxJumpBytes = 4

// firstByteJump finds, for indexOnePass, the next position at which a
// word may start when the words looked for open on at most maxJumpBytes
// bytes ("$_get", "$_post", … all open on '$'): strings.IndexByte finds
// the next occurrence of each of those bytes many bytes a step, where the
// table loop reads every byte. The positions it passes over start no word
// looked for, so the answer is the table loop's. Where those bytes are
// dense ("$$$…") a call per occurrence costs more than the loop, and after
// jumpProbe stops less than jumpMinGap bytes apart on average it hands
// the rest of the text back to the loop.
type firstByteJump struct {
	on    bool
	n     int
	c     [maxJumpBytes]byte
	at    [maxJumpBytes]int // the next occurrence of c[k] at or after the last from, len(s) for none; -1 before the first look
	stops int
}

const (
	jumpProbe  = 64
	jumpMinGap = 16
)

// newFirstByteJump collects the first bytes of the words in live, from
// the words (at most 64) rather than from the 256 bytes.
func newFirstByteJump(p *wordPairs, live uint64) firstByteJump {
	var firsts ByteSet
	for m := live; m != 0; m &= m - 1 {
		firsts.Add(p.firstOf[bits.TrailingZeros64(m)])
	}
	if firsts.count() > maxJumpBytes {
		return firstByteJump{} // too many: the table loop
	}
	var j firstByteJump
	for w, b := range firsts.b {
		for ; b != 0; b &= b - 1 {
			j.c[j.n], j.at[j.n] = byte(w<<6|bits.TrailingZeros64(b)), -1
			j.n++
		}
	}
	j.on = true
	return j
}

// jump returns the first position at or after from at which a word may
// start, len(s) or more for none.
func (j *firstByteJump) jump(s string, from int) int {
	if from >= len(s) {
		return from
	}
	m := len(s)
	for k := 0; k < j.n; k++ {
		if j.at[k] < from {
			if i := strings.IndexByte(s[from:], j.c[k]); i >= 0 {
				j.at[k] = from + i
			} else {
				j.at[k] = len(s)
			}
		}
		m = min(m, j.at[k])
	}
	if j.stops++; j.stops == jumpProbe && m < jumpProbe*jumpMinGap {
		j.on = false // dense: the table loop from here on
	}
	return m
}

// Contains reports whether any word of the list whose bytes all occur in
// have (the ByteSet of s, or a superset; nil for any byte) occurs in s:
// what a strings.Contains per word would say, in one pass over s with the
// first- and second-byte masks, jumping from one first byte to the next
// where the words open on a few (a list of more than 64 words is searched
// word by word).
func (l *WordList) Contains(s string, have *ByteSet) bool {
	t := l.tables()
	if t.absent(have) {
		return false
	}
	p := t.pairs
	if p == nil {
		pairs := pairsOf(s, have)
		for k, w := range l.words {
			if (have == nil || have.Covers(&t.sets[k])) && (pairs == nil || pairs.mayHold(&t.pairKeys[k])) && strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	live := l.liveIn(s, have)
	if live == 0 {
		return false // no word can occur: s is not read
	}
	from := 0
	if j := newFirstByteJump(p, live); j.on {
		// few first bytes: from one occurrence of them to the next, as
		// Index reads, until they turn out dense
		for ; j.on; from++ {
			if from = j.jump(s, from); from >= len(s) {
				return false
			}
			if l.wordAt(p, s, from, live) {
				return true
			}
		}
	}
	for i := from; i < len(s); i++ {
		if p.first[s[i]]&live != 0 && l.wordAt(p, s, i, live) {
			return true
		}
	}
	return false
}

// wordAt reports whether a word of live starts at s[i]; p is the list's
// masks.
func (l *WordList) wordAt(p *wordPairs, s string, i int, live uint64) bool {
	for cand := p.startingAt(s, i, live); cand != 0; {
		k := bits.TrailingZeros64(cand)
		cand &^= 1 << k
		if strings.HasPrefix(s[i:], l.words[k]) {
			return true
		}
	}
	return false
}

// coveredBy returns the bit of every word, of a list of at most 64,
// whose bytes all occur in have (nil: every word).
func (l *WordList) coveredBy(have *ByteSet) uint64 {
	var live uint64
	sets := l.tables().sets
	for k := range l.words {
		if have == nil || have.Covers(&sets[k]) {
			live |= 1 << k
		}
	}
	return live
}

// liveIn is coveredBy less the words made with a shape s lacks (see
// textShapes) and, where have holds the Pairs of s (or of a text s lies
// within), less the words with a pair s lacks: the words a one-pass
// reading of s looks for.
func (l *WordList) liveIn(s string, have *ByteSet) uint64 {
	live := l.coveredBy(have)
	if live == 0 {
		return 0
	}
	t := l.built
	pairs := pairsOf(s, have)
	if pairs != nil {
		for m := live; m != 0; m &= m - 1 {
			if k := bits.TrailingZeros64(m); !pairs.mayHold(&t.pairKeys[k]) {
				live &^= 1 << k
			}
		}
	}
	if t.anyNeeds == 0 || live == 0 {
		return live
	}
	shapes := shapesOf(s, pairs, t.anyNeeds)
	for k, n := range t.needs {
		if n&^shapes != 0 {
			live &^= 1 << k
		}
	}
	return live
}

// pairsOf returns the Pairs have holds when they are of s or of a text s
// lies within, and nil otherwise (have nil, made without Pairs, or of
// another text).
func pairsOf(s string, have *ByteSet) *Pairs {
	if have == nil || have.pairs == nil || !have.pairs.holds(s) {
		return nil
	}
	return have.pairs
}

// startingAt returns the words of live that may start at s[i]: those
// whose first two bytes are s[i] and s[i+1], or a one-byte word at the
// end of s.
func (p *wordPairs) startingAt(s string, i int, live uint64) uint64 {
	cand := p.first[s[i]] & live
	if i+1 < len(s) {
		return cand & p.second[s[i+1]]
	}
	return cand & p.short
}

// ProperPrefix reports whether a word of the list whose bytes all occur in
// have is a proper prefix of s (the name "array_map" after "array_").
func (l *WordList) ProperPrefix(s string, have *ByteSet) bool {
	sets := l.tables().sets
	for k, w := range l.words {
		if have.Covers(&sets[k]) && len(s) > len(w) && strings.HasPrefix(s, w) {
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
	once  sync.Once
	built *firstTables
}

// firstTables is what a FirstIndex builds on first use (see WordList).
type firstTables struct {
	by    [256][]wordCandidate   // ascending word index
	pairs [256 * 256 / 64]uint64 // a bit for the first two bytes of each word
}

type wordCandidate struct {
	k      uint16
	second byte
}

// NewFirstIndex makes the index of words; every word must be at least two
// bytes long.
func NewFirstIndex(words []string) *FirstIndex {
	return &FirstIndex{words: words}
}

// tables returns the index's tables, building them the first time.
func (x *FirstIndex) tables() *firstTables {
	x.once.Do(func() {
		t := new(firstTables)
		for k, w := range x.words {
			t.by[w[0]] = append(t.by[w[0]], wordCandidate{k: uint16(k), second: w[1]})
			t.pairs[uint16(w[0])<<2|uint16(w[1])>>6] |= 1 << (w[1] & 63)
		}
		x.built = t
	})
	return x.built
}

// Find returns the index in the list of the first word (in list order)
// that occurs in s at a position accepted by ok (nil accepts any), and its
// leftmost accepted position; k is -1 when there is none. It is what
// trying each word in turn with strings.Index, over all its occurrences,
// would return.
func (x *FirstIndex) Find(s string, ok func(s string, i int, w string) bool) (k, at int) {
	best, at := len(x.words), -1
	t := x.tables()
	for i := 0; i+1 < len(s); i++ {
		if t.pairs[uint16(s[i])<<2|uint16(s[i+1])>>6]&(1<<(s[i+1]&63)) == 0 {
			continue // no word starts with these two bytes
		}
		for _, c := range t.by[s[i]] {
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

// FindIn is Find where have is the ByteSet of s or of a text s lies
// within (or a superset): when no word can occur in s (each lacks a byte
// of s or, have holding the Pairs of s, a pair), s is not read.
func (x *FirstIndex) FindIn(s string, have *ByteSet, ok func(s string, i int, w string) bool) (k, at int) {
	for _, w := range x.words {
		if have.mayHold(s, w) {
			return x.Find(s, ok)
		}
	}
	return -1, -1
}

// WordFilter holds a bit for the length, the first byte and the last byte
// of every word of a set, so that a word read from a text can be turned
// away before a map lookup: most words of a long value share none of
// these with the set's. A length of 63 or more shares one bit.
type WordFilter struct {
	lens        uint64
	first, last ByteSet
}

// NewWordFilter builds the filter of words; every word must be non-empty.
func NewWordFilter(words ...string) WordFilter {
	var f WordFilter
	for _, w := range words {
		f.lens |= 1 << min(len(w), 63)
		f.first.Add(w[0])
		f.last.Add(w[len(w)-1])
	}
	return f
}

// May reports whether w can be a word of the set: false means it is not.
func (f *WordFilter) May(w string) bool {
	return len(w) > 0 && f.lens&(1<<min(len(w), 63)) != 0 && f.first.Has(w[0]) && f.last.Has(w[len(w)-1])
}
