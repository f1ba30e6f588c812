package libinjection

import (
	"reflect"
	"sync"
)

// (This file is not in upstream; see CHANGES.md.)

const (
	// trailMin is the input length from which IsXSS's passes share a
	// passTrail; shorter inputs run every pass to its end, as upstream.
	trailMin = 1024
	// trailShift sets the block a pass marks once: 1<<trailShift bytes.
	trailShift = 8
)

// A passTrail remembers where the passes of one IsXSS call have been: for
// each block of 256 bytes of the input, the whole state of the first pass
// to end a token in it (tokenizer position, state function, close flag,
// the token, and the attribute context the detection loop carries).
//
// The tokenizer and the detection loop are a deterministic function of
// that state and the input. So a later pass that ends a token in exactly
// the state an earlier pass was in repeats that pass token by token from
// there on; and the earlier pass found nothing after that point (IsXSS
// stops at the first pass that finds something, and a pass that stopped
// here ran, from its own mark on, a pass that found nothing), so the later
// pass stops with false. The passes start differently (in text, or inside
// an attribute value, each quote), but usually fall into step at the
// first '>' or so: on a long input the passes after the first cost a few
// blocks each instead of the whole input. The verdict is the one every
// pass run to its end gives; only work that cannot change it is left out.
type passTrail struct {
	marks []trailMark
	pass  int8 // the pass under way, from 1
}

// trailMark is a pass's state where it ended a token.
type trailMark struct {
	state     uintptr // code of the state function (reflect's Func pointer)
	pos       int32
	tokenOff  int32 // the token is input[tokenOff:][:tokenLen]
	tokenLen  int32
	pass      int8 // the pass that left it; 0: no mark
	isClose   bool
	attr      int8
	tokenType int8
}

var trailPool sync.Pool // *passTrail

// newPassTrail returns an empty trail for an input of n bytes (below
// 1<<31); release returns it.
func newPassTrail(n int) *passTrail {
	t, _ := trailPool.Get().(*passTrail)
	if t == nil {
		t = new(passTrail)
	}
	k := n>>trailShift + 1
	if cap(t.marks) < k {
		t.marks = make([]trailMark, k)
	} else {
		t.marks = t.marks[:k]
		clear(t.marks)
	}
	t.pass = 0
	return t
}

func (t *passTrail) release() { trailPool.Put(t) }

// next starts the next pass; nil stays nil (no trail).
func (t *passTrail) next() *passTrail {
	if t != nil {
		t.pass++
	}
	return t
}

// visit is called where the pass under way ended a token in a block it
// had not ended one in just before (block is h.pos>>trailShift) and the
// detection loop found nothing in it; attr is the context the loop
// carries to the next token. It marks an unmarked block, and reports
// whether an earlier pass left a mark in exactly this state.
func (t *passTrail) visit(block int, h *h5State, attr int) bool {
	if block >= len(t.marks) {
		return false
	}
	m := trailMark{
		state:     reflect.ValueOf(h.state).Pointer(),
		pos:       int32(h.pos),
		tokenOff:  int32(h.len - len(h.tokenStart)), // every token is a suffix of the input
		tokenLen:  int32(h.tokenLen),
		pass:      t.pass,
		isClose:   h.isClose,
		attr:      int8(attr),
		tokenType: int8(h.tokenType),
	}
	old := &t.marks[block]
	switch old.pass {
	case 0:
		*old = m
		return false
	case t.pass:
		return false
	}
	m.pass = old.pass
	return *old == m
}
