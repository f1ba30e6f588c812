package telemetry

import "encoding/binary"

// gramSet holds the 8-byte pieces of a request's secrets, each read as a
// uint64, in one open-addressing table: a record asks it once per byte of
// every string it scrubs, and a map of strings cost a third of a record's
// build (its growth and string hashing).
type gramSet struct {
	slots   []uint64 // 0 is an empty slot; a zero piece is zero instead
	zero    bool
	shift   uint
	entries int
}

// add adds every gram-byte piece of v.
func (g *gramSet) add(v string) {
	for i := 0; i+gram <= len(v); i++ {
		g.insert(binary.LittleEndian.Uint64([]byte(v[i : i+gram])))
	}
}

// reserve sizes the table for n pieces, so that adding them never grows it.
func (g *gramSet) reserve(n int) {
	if n == 0 || 2*n <= len(g.slots) {
		return
	}
	size := 64
	for size < 2*n {
		size *= 2
	}
	g.resize(size)
}

func (g *gramSet) insert(k uint64) {
	if k == 0 {
		g.zero = true
		return
	}
	if 2*(g.entries+1) > len(g.slots) {
		g.grow()
	}
	for i := g.slot(k); ; i = (i + 1) & uint64(len(g.slots)-1) {
		switch g.slots[i] {
		case k:
			return
		case 0:
			g.slots[i] = k
			g.entries++
			return
		}
	}
}

func (g *gramSet) grow() { g.resize(max(64, 2*len(g.slots))) }

// resize moves the pieces to a table of n slots, a power of two.
func (g *gramSet) resize(n int) {
	old := g.slots
	g.slots = make([]uint64, n)
	g.shift = 64
	for m := n; m > 1; m >>= 1 {
		g.shift--
	}
	g.entries = 0
	for _, k := range old {
		if k != 0 {
			g.insert(k)
		}
	}
}

// slot is k's first slot: Fibonacci hashing, the top bits of k times 2^64/φ.
func (g *gramSet) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> g.shift }

// empty reports whether the set holds no piece.
func (g *gramSet) empty() bool { return g.entries == 0 && !g.zero }

// has reports whether the gram-byte piece at s[i:] is in the set.
func (g *gramSet) has(s string, i int) bool {
	k := binary.LittleEndian.Uint64([]byte(s[i : i+gram]))
	if k == 0 {
		return g.zero
	}
	if g.entries == 0 {
		return false
	}
	for j := g.slot(k); ; j = (j + 1) & uint64(len(g.slots)-1) {
		switch g.slots[j] {
		case k:
			return true
		case 0:
			return false
		}
	}
}
