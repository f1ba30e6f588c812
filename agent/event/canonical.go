package event

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// canonicalTopLevel returns payload, a JSON object, with every top-level
// member whose key occurs again later removed, so that each key occurs
// once, with its last value: the one encoding/json, Python's json and
// JavaScript's JSON.parse read, and the one Parse judges. changed is false
// when no key repeats (out is then payload itself).
//
// Why canonicalise rather than refuse: an event with a repeated key is
// never built by AWS, but refusing it would make the agent's verdict on
// it a matter of configuration, while the handler would still read one of
// the occurrences. Rewriting the envelope makes the question moot: the
// handler receives exactly the members that were judged. Repeated keys
// deeper in the event are left alone: there the agent's readers merge
// every occurrence (headers, parameters) or, like the handler's parser,
// take the last.
func canonicalTopLevel(payload []byte) (out []byte, changed bool, err error) {
	type member struct {
		key        string
		start, end int // from the key's opening quote to the value's end
	}
	var members []member
	s := jsonscan.New(payload, sniffDepth)
	t, err := s.Next()
	if err != nil {
		return nil, false, err
	}
	if t.Kind != jsonscan.ObjectStart {
		return payload, false, nil
	}
	last := map[string]int{}
	for {
		k, err := s.Next()
		if err != nil {
			return nil, false, err
		}
		if k.Kind == jsonscan.ObjectEnd {
			break
		}
		key := string(payload[k.Start:k.End])
		if k.Escaped {
			key = jsonscan.UnquoteString(payload[k.Start:k.End])
		}
		v, err := s.Next()
		if err != nil {
			return nil, false, err
		}
		if err := s.Skip(v); err != nil {
			return nil, false, err
		}
		end := s.Offset()
		if v.Kind != jsonscan.ObjectStart && v.Kind != jsonscan.ArrayStart {
			end = v.End
			if v.Kind == jsonscan.String {
				end++
			}
		}
		last[key] = len(members)
		members = append(members, member{key: key, start: k.Start - 1, end: end})
	}
	if end, err := s.Next(); err != nil || end.Kind != jsonscan.EOF {
		if err == nil {
			err = fmt.Errorf("trailing data after the event")
		}
		return nil, false, err
	}
	if len(last) == len(members) {
		return payload, false, nil
	}
	out = make([]byte, 0, len(payload))
	out = append(out, payload[:members[0].start]...)
	first := true
	for i, m := range members {
		if last[m.key] != i {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, payload[m.start:m.end]...)
	}
	out = append(out, payload[members[len(members)-1].end:]...)
	return out, true, nil
}

// caseVariantKeys reports whether some object of payload has two keys
// that differ only in letter case ("body" and "Body"). encoding/json
// matches struct fields case-insensitively (the last such key wins) while
// Python and JavaScript index by exact name, so the field Parse reads and
// the one the handler reads can differ. Parse then judges every string of
// the event as well (see Parse).
func caseVariantKeys(payload []byte, spans *jsonscan.Spans) bool {
	s := jsonscan.New(payload, sniffDepth)
	s.Share(spans)
	var stack [8]caseObject
	var keys [64][]byte
	c := caseKeys{stack: stack[:0], keys: keys[:0]}
	for !c.found {
		t, err := s.Next()
		if err != nil || t.Kind == jsonscan.EOF {
			return false
		}
		c = c.see(t, payload)
	}
	return true
}

// caseKeys is caseVariantKeys fed one token at a time, so that a pass
// over the payload made for another reason (sniff's) can answer it too.
// The keys of every open object share one stack: an object's keys are
// keys[start:], and an object's end truncates the stack to its start, so
// nested objects cost no allocation of their own. An object with more
// than smallObject keys switches to a map of folded keys.
//
// Its slices start in arrays of the caller's (var stack [8]caseObject;
// var keys [64][]byte), and see takes and returns it by value, so that
// the common event costs no allocation (a store through a pointer would
// move those arrays to the heap).
type caseKeys struct {
	found bool // two keys of one object differ only in case
	stack []caseObject
	keys  [][]byte // views of payload (or of an unquoted copy)
}

type caseObject struct {
	start  int
	folded map[string]string
}

// see takes the next token of payload and returns c updated.
func (c caseKeys) see(t jsonscan.Token, payload []byte) caseKeys {
	switch t.Kind {
	case jsonscan.ObjectStart:
		c.stack = append(c.stack, caseObject{start: len(c.keys)})
	case jsonscan.ObjectEnd:
		if len(c.stack) == 0 {
			return c
		}
		c.keys = c.keys[:c.stack[len(c.stack)-1].start]
		c.stack = c.stack[:len(c.stack)-1]
	case jsonscan.Key:
		if len(c.stack) == 0 {
			return c
		}
		raw := payload[t.Start:t.End]
		if t.Escaped {
			raw = jsonscan.AppendUnquote(nil, raw)
		}
		o := &c.stack[len(c.stack)-1]
		if o.folded == nil {
			for _, prev := range c.keys[o.start:] {
				if !bytes.Equal(prev, raw) && bytes.EqualFold(prev, raw) { // folds as encoding/json does (ſ, K)
					c.found = true
					return c
				}
			}
			c.keys = append(c.keys, raw)
			if len(c.keys)-o.start <= smallObject {
				return c
			}
			o.folded = make(map[string]string, 2*smallObject)
			for _, prev := range c.keys[o.start:] {
				o.folded[fold(string(prev))] = string(prev)
			}
			return c
		}
		k := string(raw)
		f := fold(k)
		if prev, ok := o.folded[f]; ok && prev != k {
			c.found = true
			return c
		}
		o.folded[f] = k
	}
	return c
}

// smallObject is the number of keys compared pairwise before a map is
// worth its allocation.
const smallObject = 16

// fold maps a key to a form equal for every spelling encoding/json treats
// as the same name.
func fold(k string) string { return strings.ToLower(strings.ToUpper(k)) }
