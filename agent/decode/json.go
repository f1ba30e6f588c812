package decode

import (
	"errors"
	"strconv"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// frame is one open JSON container during a walk.
type frame struct {
	base  int    // length of w.path at the container
	array bool   // array (else object)
	index int    // next element index (arrays)
	key   string // name of the member holding the container, for Key
}

// walkJSON yields the leaves of the JSON document s: every object key as a
// key value and every string as a value, located as loc.a.b[2].c. Numbers,
// booleans and null carry no payload and are skipped. It reports whether s
// was well-formed JSON; malformed input is reported as an issue only when
// strict (the content type promised JSON).
func (w *walker) walkJSON(s, loc string, depth int, strict bool) bool {
	budget := w.lim.MaxDepth - w.nest - len(w.chain)
	if budget <= 0 {
		w.issue(DepthLimit, loc)
		return true
	}
	// Locations are built in w.path[pathBase:]; an enclosing document's
	// path is left untouched before it.
	pathBase, frameBase := len(w.path), len(w.frames)
	w.path = append(w.path, loc...)
	sc := w.scanner()
	defer func() {
		w.path = w.path[:pathBase]
		w.frames = w.frames[:frameBase]
		w.releaseScanner()
	}()
	sc.Reset(bytesOf(s), budget)
	curLoc, curKey := loc, ""
	for !w.stop {
		t, err := sc.Next()
		if err != nil {
			if errors.Is(err, jsonscan.ErrDepth) {
				w.issue(DepthLimit, loc)
				return true
			}
			if strict {
				w.issue(MalformedJSON, loc)
			}
			return false
		}
		// the location of a value inside an array is its element path
		if n := len(w.frames); n > frameBase && w.frames[n-1].array && isValue(t.Kind) {
			f := &w.frames[n-1]
			w.path = append(w.path[:f.base], '[')
			w.path = strconv.AppendInt(w.path, int64(f.index), 10)
			w.path = append(w.path, ']')
			f.index++
			curLoc, curKey = "", f.key
		}
		switch t.Kind {
		case jsonscan.EOF:
			return true
		case jsonscan.ObjectStart, jsonscan.ArrayStart:
			w.frames = append(w.frames, frame{base: len(w.path), array: t.Kind == jsonscan.ArrayStart, key: curKey})
			w.nest++
		case jsonscan.ObjectEnd, jsonscan.ArrayEnd:
			w.frames = w.frames[:len(w.frames)-1]
			w.nest--
		case jsonscan.Key:
			f := &w.frames[len(w.frames)-1]
			key := w.jsonString(s, t)
			w.path = append(w.path[:f.base], '.')
			w.path = append(w.path, key...)
			curLoc, curKey = w.location(w.path[pathBase:]), key
			w.emitJSONString(curLoc, key, key, s, t, true, depth)
		case jsonscan.String:
			if curLoc == "" {
				curLoc = w.location(w.path[pathBase:])
			}
			text := w.jsonString(s, t)
			w.emitJSONString(curLoc, curKey, text, s, t, false, depth)
		}
	}
	return true
}

func isValue(k jsonscan.Kind) bool {
	switch k {
	case jsonscan.ObjectStart, jsonscan.ArrayStart, jsonscan.String, jsonscan.Number,
		jsonscan.True, jsonscan.False, jsonscan.Null:
		return true
	}
	return false
}

// jsonString returns the value of a string token: a substring of s when it
// has no escapes (no copy), else a fresh unquoted copy.
func (w *walker) jsonString(s string, t jsonscan.Token) string {
	raw := s[t.Start:t.End]
	if !t.Escaped {
		return raw
	}
	return jsonscan.UnquoteString(bytesOf(raw))
}

// emitJSONString yields a key or string, recording \u escapes as an
// encoding (they are a classic filter evasion), and expands string values.
func (w *walker) emitJSONString(loc, key, text, s string, t jsonscan.Token, isKey bool, depth int) {
	unicode := t.Escaped && strings.Contains(s[t.Start:t.End], `\u`)
	if unicode && !w.push(encJSONEscape) {
		return
	}
	if isKey {
		if w.emit(loc, key, text, true) && len(text) >= minBase64 {
			// keys are rarely encoded; expand only long ones
			w.expandNoEmit(loc, key, text, depth+1)
		}
	} else {
		w.expand(loc, key, text, depth)
	}
	if unicode {
		w.pop()
	}
}

// scanner returns a jsonscan.Scanner for the current JSON nesting level
// (JSON inside JSON strings needs one per level), reusing storage.
func (w *walker) scanner() *jsonscan.Scanner {
	if w.scanDepth == len(w.scanners) {
		w.scanners = append(w.scanners, &jsonscan.Scanner{})
	}
	sc := w.scanners[w.scanDepth]
	w.scanDepth++
	return sc
}

func (w *walker) releaseScanner() { w.scanDepth-- }

// MaxLocation bounds the length of a Location. Paths are built from
// attacker-chosen names and repeat their ancestors' names, so without a
// bound one long key above many leaves would make locations cost
// quadratic time and memory. Longer locations are cut and end in "...".
const MaxLocation = 256

// location returns path as a Location. Locations are carved from an
// append-only arena of this walk (locChunk bytes at a time) instead of one
// allocation each: a JSON body has a location per leaf. Bytes below the
// arena's length are never written again and the arena is dropped, not
// reused, when the walker is reset, so a location handed out stays valid
// and unshared with any other walk.
func (w *walker) location(path []byte) string {
	if len(path) > MaxLocation {
		return string(path[:MaxLocation-3]) + "..."
	}
	if len(w.locs)+len(path) > cap(w.locs) {
		w.locs = make([]byte, 0, max(locChunk, len(path)))
	}
	start := len(w.locs)
	w.locs = append(w.locs, path...)
	return stringOf(w.locs[start:])
}

// locChunk is the size of a location arena block: the locations of a
// typical 1 KB JSON body fit in one or two.
const locChunk = 512
