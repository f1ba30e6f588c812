package event

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// An event that a caller builds itself (a direct invoke, a forwarding
// service, a test harness pointed at production) can say the same thing
// twice, differently: rawQueryString and queryStringParameters,
// multiValueHeaders and headers, cookies[] and the cookie header. Handlers
// and frameworks pick one representation each, and not the same one, so
// lambdawaf judges the union: every value any representation carries.
// The helpers below merge representations into the Request (so that the
// policy sees them too) or, where a merge would change what RawQuery
// means, add the difference as Fields.

// unionLists adds to dst every value of src that dst does not hold under
// the same name, after dst's own values, and returns dst (allocated when
// nil and src has values).
func unionLists(dst, src map[string][]string) map[string][]string {
	for name, vs := range src {
		have := dst[name]
		for _, v := range vs {
			if slices.Contains(have, v) {
				continue
			}
			if dst == nil {
				dst = make(map[string][]string, len(src))
			}
			have = append(have, v)
			dst[name] = have
		}
	}
	return dst
}

// queryFields returns, as query Fields, the parameters of q (as API Gateway
// delivers them: decoded, repeated names comma-joined) that rawQuery does
// not carry. For an event API Gateway built the two agree and nothing is
// returned; a forged event that hides a value in one of them has it judged.
func queryFields(rawQuery string, q map[string][]string) []Field {
	if len(q) == 0 {
		return nil
	}
	raw := map[string][]string{}
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, v = unescapeOr(k), unescapeOr(v)
		raw[k] = append(raw[k], v)
	}
	var out []Field
	for name, vs := range q {
		have, ok := raw[name]
		joined := strings.Join(have, ",")
		for _, v := range vs {
			if ok && (v == joined || slices.Contains(have, v)) {
				continue
			}
			loc := "query." + name
			if !ok {
				out = append(out, Field{Part: PartQuery, Location: loc, Key: name, Text: name, IsKey: true})
				ok = true // the name once
			}
			out = append(out, Field{Part: PartQuery, Location: loc, Key: name, Text: v})
		}
	}
	return out
}

// unescapeOr decodes a query component as application/x-www-form-urlencoded,
// or returns it unchanged when it does not decode.
func unescapeOr(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// mapFields returns one Field per entry of a string map the event carries
// as an object (pathParameters, stageVariables), names included.
func mapFields(part Part, prefix string, m map[string][]string) []Field {
	var out []Field
	for name, vs := range m {
		loc := prefix + "." + name
		out = append(out, Field{Part: part, Location: loc, Key: name, Text: name, IsKey: true})
		for _, v := range vs {
			out = append(out, Field{Part: part, Location: loc, Key: name, Text: v})
		}
	}
	return out
}

// leafFields appends to dst every string leaf of the JSON value raw, and
// every object key, with its path under prefix ("event.detail.items[2].sku").
// Numbers, booleans and nulls carry no text worth judging and are skipped;
// an array of byte values (0-255), how Kafka and RabbitMQ deliver headers,
// is judged as the text it spells. Invalid JSON yields what was read up to
// the error, and false.
func leafFields(dst []Field, part Part, prefix string, raw []byte) ([]Field, bool) {
	if len(raw) == 0 {
		return dst, true
	}
	s := jsonscan.New(raw, sniffDepth)
	t, err := s.Next()
	if err != nil {
		return dst, false
	}
	l := leafWalker{s: s, raw: raw, part: part, out: dst}
	ok := l.value(prefix, lastName(prefix), t)
	if ok {
		if end, err := s.Next(); err != nil || end.Kind != jsonscan.EOF {
			ok = false
		}
	}
	return l.out, ok
}

type leafWalker struct {
	s    *jsonscan.Scanner
	raw  []byte
	part Part
	out  []Field
}

func (l *leafWalker) text(t jsonscan.Token) string {
	if t.Escaped {
		return jsonscan.UnquoteString(l.raw[t.Start:t.End])
	}
	return string(l.raw[t.Start:t.End])
}

func (l *leafWalker) value(loc, key string, t jsonscan.Token) bool {
	switch t.Kind {
	case jsonscan.String:
		l.out = append(l.out, Field{Part: l.part, Location: loc, Key: key, Text: l.text(t)})
		return true
	case jsonscan.ObjectStart:
		for {
			k, err := l.s.Next()
			if err != nil {
				return false
			}
			if k.Kind == jsonscan.ObjectEnd {
				return true
			}
			name := l.text(k)
			child := loc + "." + name
			l.out = append(l.out, Field{Part: l.part, Location: child, Key: name, Text: name, IsKey: true})
			v, err := l.s.Next()
			if err != nil || !l.value(child, name, v) {
				return false
			}
		}
	case jsonscan.ArrayStart:
		var bytes []byte
		isBytes := true
		for i := 0; ; i++ {
			e, err := l.s.Next()
			if err != nil {
				return false
			}
			if e.Kind == jsonscan.ArrayEnd {
				if isBytes && len(bytes) > 0 {
					l.out = append(l.out, Field{Part: l.part, Location: loc, Key: key, Text: string(bytes)})
				}
				return true
			}
			if isBytes {
				n, err := strconv.Atoi(string(l.raw[e.Start:e.End]))
				if e.Kind == jsonscan.Number && err == nil && n >= 0 && n <= 255 {
					bytes = append(bytes, byte(n))
				} else {
					isBytes = false
				}
			}
			if !l.value(loc+"["+strconv.Itoa(i)+"]", key, e) {
				return false
			}
		}
	}
	return true // numbers, booleans, null
}

// lastName returns the last dotted element of a location.
func lastName(loc string) string {
	if i := strings.LastIndexByte(loc, '.'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

// contextCopies returns the request context's copies of the path and the
// User-Agent (at pathLoc and uaLoc) where they differ from the request's
// own: API Gateway writes the same text in both, but an event a caller
// builds itself (a direct invoke, a forwarding service) need not, and
// handlers read either (requestContext.http.path in some adapters, the
// context's userAgent in Powertools' event classes). "" for one not read.
func contextCopies(req *Request, path, pathLoc, userAgent, uaLoc string) []Field {
	var out []Field
	if path != "" && path != req.Path {
		out = append(out, Field{Part: PartPath, Location: pathLoc, Key: "path", Text: path})
	}
	if userAgent != "" && !slices.Contains(req.Headers["user-agent"], userAgent) {
		out = append(out, Field{Part: PartHeader, Location: uaLoc, Key: "userAgent", Text: userAgent})
	}
	return out
}
