package decode

import (
	"hash/maphash"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// The speculative expansion of a value: each of its readings (see
// decodings) is yielded and expanded in turn, bounded in depth by
// Limits.MaxLayers and in breadth by the readings budget.

// expand yields s and then every speculative decoding of it (see
// expandNoEmit).
func (w *walker) expand(loc, key, s string, depth int) {
	if w.stop {
		return
	}
	if depth == 0 {
		w.resetReadings(s)
	}
	if !w.emit(loc, key, s, false) {
		return
	}
	w.expandNoEmit(loc, key, s, depth)
}

// resetReadings starts the readings budget of a top-level value s:
// MaxReadings times its length (plus a little for short values). Each
// reading is no longer than what it decodes, so the work on one value
// stays linear in its length however many decodings apply.
func (w *walker) resetReadings(s string) {
	w.readBudget = w.lim.MaxReadings * (len(s) + 64)
	clear(w.readSeen)
}

// newReading reports whether text is a reading not yet judged (or, when
// silent, not yet expanded silently) for the current top-level value, and
// records it. A silent reading's text is recorded apart: the same text
// reached another way is still judged.
func (w *walker) newReading(text string, silent bool) bool {
	if w.readSeen == nil {
		w.readSeen = make(map[uint64]struct{})
		w.seed = maphash.MakeSeed()
	}
	h := maphash.String(w.seed, text)
	if silent {
		h = ^h
	}
	if _, ok := w.readSeen[h]; ok {
		return false
	}
	w.readSeen[h] = struct{}{}
	return true
}

// expandNoEmit judges every reading of s (already yielded): a JSON
// document is walked as such; otherwise every decoding that applies (URL
// escapes, HTML character references, base64, hex, JSON Web Tokens, an
// authorization scheme's credentials) is yielded and expanded in turn, not
// only the first, since the application may apply any of them. Work is
// bounded by MaxLayers (depth) and the readings budget (breadth); a
// reading left undecoded at either bound is a LayerLimit.
func (w *walker) expandNoEmit(loc, key, s string, depth int) {
	if w.stop {
		return
	}
	if len(s) >= dedupMin && !w.firstExpansion(w.keyOf(loc, key, s, false), depth) {
		return // every reading of it was judged already
	}
	if depth == 0 {
		w.resetReadings(s)
	}
	if looksLikeJSON(s) && depth < w.lim.MaxLayers && w.push(encJSON) {
		ok := w.walkJSON(s, loc, depth+1, false)
		w.pop()
		if ok {
			return
		}
	}
	w.readings(loc, key, s, depth)
}

// readings yields and expands every decoding of s that changes it.
func (w *walker) readings(loc, key, s string, depth int) {
	if !textSoFar(bytesOf(s[:min(len(s), 1024)])) {
		// binary: no handler URL- or entity-decodes it, and it is no
		// base64, hex or token either
		return
	}
	var rs [maxReadingsPerText]reading
	n := w.decodings(s, rs[:0])
	if g, ok := w.gzipInBase64(s, loc); ok {
		n = append(n, reading{text: g, enc: encBase64, enc2: encGzip, json: looksLikeJSON(g)})
	}
	if len(n) == 0 {
		return
	}
	if depth >= w.lim.MaxLayers || len(w.chain)+2 > maxChain || len(w.chain) >= w.lim.MaxDepth {
		w.issue(LayerLimit, loc)
		return
	}
	for _, r := range n {
		if w.stop {
			return
		}
		silent := w.silentReading(s, r)
		if !w.newReading(r.text, silent) {
			continue
		}
		if w.readBudget -= len(r.text); w.readBudget < 0 {
			w.issue(LayerLimit, loc)
			return
		}
		w.push(r.enc)
		if r.enc2 != encNone {
			w.push(r.enc2)
		}
		outer := w.silent
		w.silent = silent
		switch {
		case silent:
			w.expandNoEmit(loc, key, r.text, depth+1)
		case r.json:
			if !w.walkJSON(r.text, loc, depth+1, false) {
				w.expand(loc, key, r.text, depth+1)
			}
		default:
			w.expand(loc, key, r.text, depth+1)
			if key == "" && w.part == event.PartBody && looksLikeForm(r.text) {
				// a body that decodes to a form ("pay%3D%3Bdrop", base64
				// of one): the application that decodes it parses that
				w.walkForm(r.text, loc)
			}
		}
		w.silent = outer
		if r.enc2 != encNone {
			w.pop()
		}
		w.pop()
	}
}

// silentReading reports whether reading r of s is expanded without being
// yielded itself: an HTML decoding that turned only "&amp;" into "&" and
// left no character reference behind, or a URL decoding of such a
// reading. Readings reached through HTML decoding are judged by the XSS
// detectors only (the engine's entity readings), and to them "&" and
// "&amp;" read alike where no reference follows: the reading without
// "&amp;" finds nothing the text with it does not (a test in package
// detect holds them to that). Its own decodings (base64, JSON, a second
// HTML layer) are yielded as usual.
func (w *walker) silentReading(s string, r reading) bool {
	switch {
	case r.enc == encHTML:
		return ampOnly(s, r.text) && !referenceLike(r.text)
	case w.silent && (r.enc == encURL || r.enc == encURLUnicode):
		return !referenceLike(r.text)
	}
	return false
}

// ampOnly reports whether d is s with every "&amp;" (any case) turned
// into "&" and nothing else changed.
func ampOnly(s, d string) bool {
	j := 0
	for i := 0; i < len(s); {
		if j >= len(d) {
			return false
		}
		if s[i] == '&' && i+5 <= len(s) && strings.EqualFold(s[i:i+5], "&amp;") {
			if d[j] != '&' {
				return false
			}
			i += 5
			j++
			continue
		}
		// the bytes up to the next '&' must be the same
		k := strings.IndexByte(s[i+1:], '&')
		if k < 0 {
			k = len(s)
		} else {
			k += i + 1
		}
		if j+k-i > len(d) || s[i:k] != d[j:j+k-i] {
			return false
		}
		j += k - i
		i = k
	}
	return j == len(d)
}

// referenceLike reports whether s holds a character reference that HTML
// decoding would still turn into something else.
func referenceLike(s string) bool {
	_, changed := htmlUnescape(s)
	return changed
}

func looksLikeJSON(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return false
	}
	return (s[0] == '{' && s[len(s)-1] == '}') || (s[0] == '[' && s[len(s)-1] == ']')
}
