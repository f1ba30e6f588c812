package event

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// headerMap and paramMap read a JSON object whose values are strings or
// arrays of strings (headers, multiValueHeaders, query parameters, VPC
// Lattice v2 lists) into map[string][]string with a handful of allocations
// instead of two per entry: the object's text is copied once and every
// name and value without escapes is a substring of that copy. headerMap
// lower-cases the names (in the copy, so no extra allocation).
type (
	headerMap map[string][]string
	paramMap  map[string][]string
)

func (h *headerMap) UnmarshalJSON(b []byte) error {
	m, err := readStringLists(b, true)
	*h = m
	return err
}

func (p *paramMap) UnmarshalJSON(b []byte) error {
	m, err := readStringLists(b, false)
	*p = m
	return err
}

var errNotStringMap = errors.New("expected an object of strings or string arrays")

func readStringLists(b []byte, lower bool) (map[string][]string, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	buf := bytes.Clone(b)
	// The copy is never modified after the names are lower-cased below, so
	// viewing it as a string is safe.
	text := unsafe.String(unsafe.SliceData(buf), len(buf))
	n := bytes.Count(buf, []byte{':'})
	m := make(map[string][]string, n)
	vals := make([]string, 0, n)
	var s jsonscan.Scanner
	s.Reset(buf, 3)
	t, err := s.Next()
	if err != nil {
		return nil, err
	}
	if t.Kind != jsonscan.ObjectStart {
		return nil, errNotStringMap
	}
	var owned map[string]bool // names whose values no longer share vals
	str := func(t jsonscan.Token) string {
		if !t.Escaped {
			return text[t.Start:t.End]
		}
		return jsonscan.UnquoteString(buf[t.Start:t.End])
	}
	for {
		k, err := s.Next()
		if err != nil {
			return nil, err
		}
		if k.Kind == jsonscan.ObjectEnd {
			break
		}
		if lower {
			lowerASCII(buf[k.Start:k.End])
		}
		name := str(k)
		if lower && k.Escaped {
			name = string(bytes.ToLower([]byte(name)))
		}
		v, err := s.Next()
		if err != nil {
			return nil, err
		}
		start := len(vals)
		switch v.Kind {
		case jsonscan.Null:
			continue
		case jsonscan.String:
			vals = append(vals, str(v))
		case jsonscan.ArrayStart:
			for {
				e, err := s.Next()
				if err != nil {
					return nil, err
				}
				if e.Kind == jsonscan.ArrayEnd {
					break
				}
				if e.Kind != jsonscan.String {
					return nil, fmt.Errorf("%w: %s in list %q", errNotStringMap, e.Kind, name)
				}
				vals = append(vals, str(e))
			}
		default:
			return nil, fmt.Errorf("%w: %s at %q", errNotStringMap, v.Kind, name)
		}
		got := vals[start:len(vals):len(vals)]
		prev, ok := m[name]
		switch {
		case !ok:
			m[name] = got
		case owned[name]:
			m[name] = append(prev, got...) // amortised growth
		default:
			// prev shares vals: move it to an array of its own (once per
			// name, so that a name repeated many times stays linear)
			if owned == nil {
				owned = make(map[string]bool)
			}
			owned[name] = true
			m[name] = append(slices.Clip(prev), got...)
		}
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

func lowerASCII(b []byte) {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
}

// flatJSON flattens a JSON object (authorizer context, JWT claims, Lattice
// identity) into c as prefix.name = value: strings as they are, nested
// objects as dotted names, anything else (numbers, booleans, arrays) as its
// JSON text. It reads raw once and allocates only the names it builds.
func (c *claimSet) flatJSON(prefix string, raw []byte) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	text := string(raw)
	var s jsonscan.Scanner
	s.Reset(raw, 16)
	t, err := s.Next()
	if err != nil || t.Kind != jsonscan.ObjectStart {
		return
	}
	c.flatObject(claimLocation+prefix, text, raw, &s)
}

// flatObject reads the members of one object into c; prefix is their
// location (claimLocation and the dotted path), built once per name so
// that put's location costs no second string.
func (c *claimSet) flatObject(prefix, text string, raw []byte, s *jsonscan.Scanner) {
	for {
		k, err := s.Next()
		if err != nil || k.Kind != jsonscan.Key {
			return
		}
		name := text[k.Start:k.End]
		if k.Escaped {
			name = jsonscan.UnquoteString(raw[k.Start:k.End])
		}
		name = prefix + "." + name
		v, err := s.Next()
		if err != nil {
			return
		}
		switch v.Kind {
		case jsonscan.String:
			if v.Escaped {
				c.putAt(name, jsonscan.UnquoteString(raw[v.Start:v.End]))
			} else {
				c.putAt(name, text[v.Start:v.End])
			}
		case jsonscan.ObjectStart:
			c.flatObject(name, text, raw, s)
		case jsonscan.ArrayStart:
			start := v.Start
			if err := s.Skip(v); err != nil {
				return
			}
			c.putAt(name, text[start:s.Offset()])
		case jsonscan.Null:
		default:
			c.putAt(name, text[v.Start:v.End])
		}
	}
}
