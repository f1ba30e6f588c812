package detect

import (
	"hash/maphash"
	"strings"
	"sync/atomic"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// repeatMemo remembers values of the headers a client sends unchanged on
// every request (User-Agent, Origin, Referer, the client hints), request
// paths and the names of an API's fields, that the detectors found
// nothing in, so that the next
// request bringing the same value is not judged again: a browser's
// User-Agent costs 5-15 µs to judge, a path of a few bytes 2-4 µs, and the
// environment sees the same few over and over.
//
// Judging a value is a pure function of the value and the Engine's
// options, so a remembered verdict is the verdict. Only benign verdicts
// are kept (an attack is judged every time, and reported with its own
// location), only for the headers memoHeader names (never a credential,
// a cookie or a token: their values differ per client and are secrets),
// only for raw values up to memoMaxText bytes, each copied out of the
// event. The table is direct-mapped: a value evicts whatever held its
// slot, so it never grows, and readers and writers share it without a
// lock (each slot is an atomic pointer to an immutable entry).
type repeatMemo struct {
	seed  maphash.Seed
	slots [memoSlots]atomic.Pointer[memoEntry]
}

// memoEntry is a value judged benign: what the judgement reads of it
// (location, name, text, whether it is a name) and nothing else.
type memoEntry struct {
	loc, key, text string
	isKey          bool
}

const (
	memoSlots   = 1024
	memoMaxText = 512
	memoMaxName = 64
)

// memoHeader reports whether name (any case) is a header whose values a
// client repeats and that holds no secret.
func memoHeader(name string) bool {
	if len(name) > len("sec-ch-ua-platform-version") {
		return false
	}
	var buf [32]byte
	switch string(lex.AppendLower(buf[:0], name)) {
	case "user-agent", "host", "origin", "referer", "via", "x-forwarded-host",
		"sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "sec-ch-ua-platform-version":
		return true
	}
	return false
}

// memoizable reports whether v is a value the memo may answer for: a raw
// value of one of the memoHeader headers, the request's path (every
// request to a route without parameters in its path brings the same), or
// a name in a query or a body (a JSON key, a form field's name: an API's
// requests bring the same names at the same places).
func memoizable(v *event.Value) bool {
	if len(v.Decoded) != 0 || v.Text == "" || len(v.Text) > memoMaxText {
		return false
	}
	if v.IsKey {
		return (v.Part == event.PartBody || v.Part == event.PartQuery) && len(v.Text) <= memoMaxName && len(v.Location) <= 128
	}
	switch v.Part {
	case event.PartHeader:
		return len(v.Location) <= 64 && memoHeader(v.Key)
	case event.PartPath:
		return v.Location == "path"
	}
	return false
}

func (m *repeatMemo) slot(v *event.Value) *atomic.Pointer[memoEntry] {
	h := maphash.String(m.seed, v.Text) + maphash.String(m.seed, v.Location)
	return &m.slots[h%memoSlots]
}

// benign reports whether v was judged benign before.
func (m *repeatMemo) benign(v *event.Value) bool {
	e := m.slot(v).Load()
	return e != nil && e.text == v.Text && e.loc == v.Location && e.key == v.Key && e.isKey == v.IsKey
}

// remember records that v was judged benign.
func (m *repeatMemo) remember(v *event.Value) {
	m.slot(v).Store(&memoEntry{loc: strings.Clone(v.Location), key: strings.Clone(v.Key), text: strings.Clone(v.Text), isKey: v.IsKey})
}
