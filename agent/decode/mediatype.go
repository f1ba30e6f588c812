package decode

import (
	"mime"
	"slices"
	"strings"
)

// headerParams is a header value with parameters (Content-Type,
// Content-Disposition) read two ways: by mime.ParseMediaType, the RFC 2045
// and 2231 grammar Go's handlers use, and by a lenient split that keeps
// every occurrence of every parameter, the way other parsers read broken or
// duplicated parameters. Where they disagree, each reading is a value the
// handler may see, so callers judge them all.
type headerParams struct {
	value  string       // lower-cased first token (media type, disposition)
	params []paramValue // every parameter, each name once
	// std is what mime.ParseMediaType read (nil when it failed): the
	// parameters mime/multipart hands to Go handlers (Part.FormName)
	std map[string]string
	// dropped counts readings beyond maxParamReadings, left out
	dropped int
}

// paramValue is a lower-cased parameter name and its distinct readings. A
// header has a handful of parameters: a slice, not a map, so a body of
// many small parts does not allocate a map per part.
type paramValue struct {
	name     string
	readings []string
}

// maxParamReadings bounds the readings of one parameter; more are a
// LayerLimit where they matter (boundaries).
const maxParamReadings = 4

func parseHeaderParams(h string) headerParams {
	first, rest, _ := strings.Cut(h, ";")
	hp := headerParams{value: strings.ToLower(strings.TrimSpace(first))}
	add := func(name, v string) {
		i := slices.IndexFunc(hp.params, func(p paramValue) bool { return p.name == name })
		if i < 0 {
			hp.params = append(hp.params, paramValue{name: name})
			i = len(hp.params) - 1
		}
		vs := hp.params[i].readings
		switch {
		case slices.Contains(vs, v):
		case len(vs) < maxParamReadings:
			hp.params[i].readings = append(vs, v)
		default:
			hp.dropped++
		}
	}
	if mt, ps, err := mime.ParseMediaType(h); err == nil {
		hp.value, hp.std = mt, ps
		for k, v := range ps {
			add(k, v) // filename* and continuations already merged and decoded
		}
	}
	for _, p := range splitParams(rest) {
		name, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		v = unquoteParam(strings.TrimSpace(v))
		if base, ext := strings.CutSuffix(name, "*"); ext {
			// RFC 2231/5987 extended value: charset'language'%XX...
			if _, enc, ok := strings.Cut(v, "'"); ok {
				if _, enc, ok = strings.Cut(enc, "'"); ok {
					if d, changed, _, _ := percentDecode(enc, false); changed {
						enc = d
					}
					add(base, enc)
					continue
				}
			}
			name = base
		}
		add(name, v)
	}
	return hp
}

// get returns the readings of a parameter.
func (hp headerParams) get(name string) []string {
	for _, p := range hp.params {
		if p.name == name {
			return p.readings
		}
	}
	return nil
}

// formName is the field name mime/multipart's Part.FormName returns for
// a part whose Content-Disposition this is: the name parameter as
// mime.ParseMediaType reads it, of a form-data disposition only.
func (hp headerParams) formName() string {
	if hp.value != "form-data" {
		return ""
	}
	return hp.std["name"]
}

// splitParams splits a parameter list on ';' outside quoted strings.
func splitParams(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// unquoteParam removes the quotes and backslash escapes of a quoted
// string; an unterminated quote runs to the end.
func unquoteParam(v string) string {
	if !strings.HasPrefix(v, `"`) {
		return v
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			if i+1 < len(v) {
				i++
				b.WriteByte(v[i])
			}
		case '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mediaType returns the lower-cased media type of a Content-Type header
// and every multipart boundary a handler's parser may take from it (at
// most maxParamReadings; more makes the list end in "", which
// walkMultipart reports as a LayerLimit).
func mediaType(ct string) (media string, boundaries []string) {
	if ct == "" {
		return "", nil
	}
	hp := parseHeaderParams(ct)
	if !strings.HasPrefix(hp.value, "multipart/") {
		return hp.value, nil
	}
	b := hp.get("boundary")
	if hp.dropped > 0 {
		b = append(b[:len(b):len(b)], "")
	}
	return hp.value, b
}

// charsetsOf returns the charset parameters of the content type ct,
// lower-cased, every one of them: parsers disagree on which of two counts
// (Python's email module takes the first, Django's and Werkzeug's header
// parsers the last), so each is honoured. At most maxCharsets are kept;
// all is false when some were left out (or parameters were dropped
// before any charset was seen), which the caller reports as a bound.
func charsetsOf(ct string) (charsets []string, all bool) {
	hp := parseHeaderParams(ct)
	all = hp.dropped == 0
	for _, cs := range hp.get("charset") {
		cs = strings.ToLower(strings.TrimSpace(cs))
		switch {
		case slices.Contains(charsets, cs):
		case len(charsets) < maxCharsets:
			charsets = append(charsets, cs)
		default:
			all = false
		}
	}
	return charsets, all
}

// maxCharsets bounds the charsets one body is read in: each is another
// reading of the whole body.
const maxCharsets = 3

// isUTF7 reports whether cs names UTF-7.
func isUTF7(cs string) bool {
	return cs == "utf-7" || cs == "utf7" || cs == "unicode-1-1-utf-7" || cs == "csunicode11utf7"
}
