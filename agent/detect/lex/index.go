package lex

import (
	"math/bits"
	"strings"
)

// Index returns the index of the first occurrence of sep in s, or -1: what
// strings.Index returns, at a cost that does not grow with how often sep's
// first byte occurs. strings.Index jumps from one occurrence of the first
// byte to the next and goes over to a vector search only when more than
// one byte in eight is such a false start, so a hostile text with one
// every ten or twenty bytes ("<a<b<c…" for "<(") costs it a call per
// occurrence, most of its time. Index jumps the same way while false
// starts are sparse (at most one in 64 bytes, after eight), then looks for
// sep's first two bytes together, eight positions a step, and compares
// the rest of sep only where both are found; where they are as dense as
// one in eight it hands the rest to strings.Index, whose vector search
// is faster there.
func Index(s, sep string) int {
	n := len(sep)
	switch {
	case n == 0:
		return 0
	case n == 1:
		return strings.IndexByte(s, sep[0])
	case n > len(s):
		return -1
	}
	c0, c1 := sep[0], sep[1]
	t := len(s) - n + 1 // sep can start only before t
	for i, fails := 0, 0; i < t; {
		if s[i] != c0 {
			o := strings.IndexByte(s[i+1:t], c0)
			if o < 0 {
				return -1
			}
			i += o + 1
		}
		if s[i+1] == c1 && s[i:i+n] == sep {
			return i
		}
		i++
		if fails++; fails > 8+i>>6 {
			if fails > 4+i>>3 {
				// more than one in eight: strings.Index's vector
				// search, which it goes over to at once, is faster
				if k := strings.Index(s[i:], sep); k >= 0 {
					return i + k
				}
				return -1
			}
			return indexPairs(s, i, t, sep)
		}
	}
	return -1
}

// SWAR constants: a one and a high bit in every byte of a word.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
	swarLow  = 0x7f7f7f7f7f7f7f7f
)

// indexPairs is Index from i on, reading s sixteen positions a step (then
// eight, then one): it marks the positions where sep's first two bytes
// both occur and compares the rest of sep there.
func indexPairs(s string, i, t int, sep string) int {
	b0, b1 := swarOnes*uint64(sep[0]), swarOnes*uint64(sep[1])
	for ; i < t && i+17 <= len(s); i += 16 {
		// a byte of a word XORed with b0 (b1) is zero where it is
		// sep[0] (sep[1]): the OR is zero where both are
		m0 := zeroBytes((load64(s, i) ^ b0) | (load64(s, i+1) ^ b1))
		m1 := zeroBytes((load64(s, i+8) ^ b0) | (load64(s, i+9) ^ b1))
		if m0|m1 == 0 {
			continue
		}
		if k := pairMatch(s, i, t, m0, sep); k != -2 {
			return k
		}
		if k := pairMatch(s, i+8, t, m1, sep); k != -2 {
			return k
		}
	}
	for ; i < t && i+9 <= len(s); i += 8 {
		if k := pairMatch(s, i, t, zeroBytes((load64(s, i)^b0)|(load64(s, i+1)^b1)), sep); k != -2 {
			return k
		}
	}
	for ; i < t; i++ {
		if s[i] == sep[0] && s[i:i+len(sep)] == sep {
			return i
		}
	}
	return -1
}

// pairMatch compares sep at the positions m marks (a high bit per byte,
// byte k for s[i+k]) in order, and returns the first where it occurs, -1
// at a position from t on (no later one can hold sep), or -2 for none.
func pairMatch(s string, i, t int, m uint64, sep string) int {
	for ; m != 0; m &= m - 1 {
		k := i + bits.TrailingZeros64(m)>>3
		if k >= t {
			return -1
		}
		if s[k:k+len(sep)] == sep {
			return k
		}
	}
	return -2
}

// load64 reads s[i:i+8] as a little-endian word (the compiler makes it
// one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// zeroBytes returns v with the high bit of each zero byte set and every
// other bit clear; no byte's answer depends on another's (no borrow
// crosses bytes, as in the shorter has-a-zero-byte test).
func zeroBytes(v uint64) uint64 {
	return ^((v&swarLow + swarLow) | v) & swarHigh
}

// LastIndexByte returns the index of the last c in s, or -1: what
// strings.LastIndexByte returns, which reads a byte at a time from the
// end. A text without c is ruled out by a forward vector search, and the
// rest is read backwards eight bytes a step down to the first c.
func LastIndexByte(s string, c byte) int {
	first := strings.IndexByte(s, c)
	if first < 0 {
		return -1
	}
	b := swarOnes * uint64(c)
	i := len(s) // s[i:] holds no c
	for ; i-8 > first; i -= 8 {
		if m := zeroBytes(load64(s, i-8) ^ b); m != 0 {
			return i - 8 + (63-bits.LeadingZeros64(m))>>3
		}
	}
	for i--; i > first; i-- {
		if s[i] == c {
			return i
		}
	}
	return first
}
