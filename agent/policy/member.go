package policy

import (
	"bytes"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// maxMemberDepth bounds the nesting jsonMember walks.
const maxMemberDepth = 64

// jsonMember returns the member at path (object keys, outermost first) of
// a JSON document as a string — strings unquoted, other scalars as
// written, "{" or "[" for a container — and whether it is there. When a
// key repeats, the last occurrence wins, as Go's, Python's and Node's
// parsers read it: a login body cannot show the agent one user name and
// the handler another. The document is tokenised once, without building
// it.
func jsonMember(doc []byte, path []string) (string, bool) {
	doc = bytes.TrimSpace(doc)
	if len(doc) == 0 || doc[0] != '{' || len(path) == 0 {
		return "", false
	}
	var s jsonscan.Scanner
	s.Reset(doc, maxMemberDepth)
	var (
		found   bool
		value   []byte
		escaped bool
		kind    jsonscan.Kind
	)
	// matched is how many path elements lead to the object being read;
	// only keys at depth matched+1 can continue the path.
	matched := 0
	for {
		t, err := s.Next()
		if err != nil {
			return "", false // not JSON: the handler reads nothing either
		}
		switch t.Kind {
		case jsonscan.EOF:
			if !found {
				return "", false
			}
			switch kind {
			case jsonscan.String:
				if escaped {
					return string(jsonscan.AppendUnquote(nil, value)), true
				}
				return string(value), true
			case jsonscan.ObjectStart:
				return "{", true
			case jsonscan.ArrayStart:
				return "[", true
			}
			return string(value), true
		case jsonscan.ObjectEnd:
			// Leaving an object on the path: the path resumes above it.
			matched = min(matched, max(s.Depth()-1, 0))
		case jsonscan.Key:
			if s.Depth() != matched+1 || !keyIs(doc[t.Start:t.End], t.Escaped, path[matched]) {
				continue
			}
			v, err := s.Next()
			if err != nil {
				return "", false
			}
			if matched == len(path)-1 {
				found, kind, escaped, value = true, v.Kind, v.Escaped, doc[v.Start:v.End]
				continue
			}
			if v.Kind == jsonscan.ObjectStart {
				matched++
			}
		}
	}
}

func keyIs(raw []byte, escaped bool, name string) bool {
	if !escaped {
		return string(raw) == name
	}
	return string(jsonscan.AppendUnquote(nil, raw)) == name
}
