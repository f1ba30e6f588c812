package jsonscan

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func tokens(t testing.TB, s string, depth int) ([]Token, error) {
	t.Helper()
	sc := New([]byte(s), depth)
	var out []Token
	for {
		tok, err := sc.Next()
		if err != nil {
			return out, err
		}
		out = append(out, tok)
		if tok.Kind == EOF {
			return out, nil
		}
		if len(out) > len(s)+2 {
			t.Fatalf("scanner does not advance on %q", s)
		}
	}
}

func TestScan(t *testing.T) {
	s := ` {"a": [1, "x\"y", true, false, null, {}], "b\u00e9": {"c": -1.5e3}} `
	toks, err := tokens(t, s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, tk := range toks {
		kinds = append(kinds, tk.Kind.String())
	}
	want := "{ key [ number string true false null { } ] key { key number } } EOF"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("kinds %q, want %q", got, want)
	}
	if got := string(AppendUnquote(nil, []byte(s[toks[4].Start:toks[4].End]))); got != `x"y` || !toks[4].Escaped {
		t.Errorf("string %q escaped=%v", got, toks[4].Escaped)
	}
}

func TestScanErrors(t *testing.T) {
	bad := []string{``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a":1]`, `"abc`, `"\x"`, `"\u12"`, `tru`, `{} {}`, "\"a\x01\"", `{1:2}`, `]`, `[}`, `000`, `01`, `-`, `1.`, `1e`, `.5`, `+1`, `1.5e+`, `--1`}
	for _, s := range bad {
		if _, err := tokens(t, s, 0); err == nil {
			t.Errorf("%q accepted", s)
		} else {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%q: error %T", s, err)
			}
		}
	}
	if _, err := tokens(t, `[[[[1]]]]`, 3); !errors.Is(err, ErrDepth) {
		t.Errorf("depth: %v", err)
	}
	if _, err := tokens(t, `[[[1]]]`, 3); err != nil {
		t.Errorf("depth 3 rejected: %v", err)
	}
}

func TestUnquote(t *testing.T) {
	for _, s := range []string{`"plain"`, `"a\nb\tc\\d\/e"`, `"\u00e9\u4e2d"`, `"\ud83d\ude00"`, `"\ud800x"`, `"\udc00"`, `"\b\f\r"`} {
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if got := string(AppendUnquote(nil, []byte(s[1:len(s)-1]))); got != want {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
		if got := UnquoteString([]byte(s[1 : len(s)-1])); got != want {
			t.Errorf("UnquoteString %s: %q, want %q", s, got, want)
		}
	}
}

// TestUnquoteStringMatchesEncodingJSON: strings of random escapes (lone
// and paired surrogates next to each other, runs between them) read the
// same through UnquoteString, AppendUnquote and encoding/json, and the
// scanner finds their end where encoding/json does.
func TestUnquoteStringMatchesEncodingJSON(t *testing.T) {
	pieces := []string{`a`, `xyz<>`, `\n`, `\\`, `\"`, `\/`, `\u0041`, `\ud83d`, `\ude00`, `\udc00`, `\ud800`, `\u00e9`, `é`, ` `}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b strings.Builder
		b.WriteByte('"')
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		b.WriteByte('"')
		s := b.String()
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		toks, err := tokens(t, s, 4)
		if err != nil || toks[0].Kind != String || toks[0].End != len(s)-1 {
			t.Fatalf("%s: tokens %v, %v", s, toks, err)
		}
		raw := []byte(s[1 : len(s)-1])
		if got := UnquoteString(raw); got != want {
			t.Fatalf("UnquoteString %s = %q, want %q", s, got, want)
		}
		if got := string(AppendUnquote(nil, raw)); got != want {
			t.Fatalf("AppendUnquote %s = %q, want %q", s, got, want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{`{"a":[1,"b",{"c":null}]}`, `"\u0041\ud83d\ude00"`, `[true,false]`, `{"a":"\\\""}`, `-1.5e10`, `{`, `[1,,2]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := tokens(t, s, 64)
		valid := json.Valid([]byte(s))
		if errors.Is(err, ErrDepth) {
			return
		}
		if valid != (err == nil) {
			t.Fatalf("json.Valid = %v, scanner error = %v for %q", valid, err, s)
		}
		if err != nil {
			return
		}
		// every string token unquotes to what encoding/json reads
		for _, tk := range toks {
			if tk.Kind != String && tk.Kind != Key {
				continue
			}
			if !utf8.ValidString(s[tk.Start:tk.End]) {
				// encoding/json replaces invalid UTF-8 with U+FFFD; the
				// scanner keeps the bytes so detectors see overlong and
				// other malformed sequences as sent.
				continue
			}
			var want string
			if err := json.Unmarshal([]byte(s[tk.Start-1:tk.End+1]), &want); err != nil {
				t.Fatalf("token %q: %v", s[tk.Start:tk.End], err)
			}
			if got := string(AppendUnquote(nil, []byte(s[tk.Start:tk.End]))); got != want {
				t.Fatalf("unquote %q = %q, want %q", s[tk.Start:tk.End], got, want)
			}
			if got := UnquoteString([]byte(s[tk.Start:tk.End])); got != want {
				t.Fatalf("UnquoteString %q = %q, want %q", s[tk.Start:tk.End], got, want)
			}
		}
	})
}

// nested builds depth containers alternating object and array, innermost
// holding one number, so that each level's closing bracket must match
// what the nesting stack remembers.
func nested(depth int) string {
	var open, closing strings.Builder
	for i := range depth {
		if i%2 == 0 {
			open.WriteString(`{"k":`)
			closing.WriteString("}")
		} else {
			open.WriteString(`[0,`)
			closing.WriteString("]")
		}
	}
	c := []byte(closing.String())
	for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
		c[i], c[j] = c[j], c[i]
	}
	return open.String() + "1" + string(c)
}

func TestNestingBeyondTheInlineStackMatchesBrackets(t *testing.T) {
	for _, depth := range []int{1, 31, 32, 33, 64, 200} {
		doc := nested(depth)
		if !json.Valid([]byte(doc)) {
			t.Fatalf("depth %d: test document is not JSON: %s", depth, doc)
		}
		if _, err := tokens(t, doc, depth+1); err != nil {
			t.Errorf("depth %d: %v", depth, err)
		}
		if _, err := tokens(t, doc, depth-1); depth > 1 && !errors.Is(err, ErrDepth) {
			t.Errorf("depth %d with limit %d: err %v, want ErrDepth", depth, depth-1, err)
		}
		// a mismatched bracket at the innermost level is refused
		bad := strings.Replace(doc, "1]", "1}", 1)
		if depth%2 == 0 && bad != doc {
			if _, err := tokens(t, bad, depth+1); err == nil {
				t.Errorf("depth %d: mismatched bracket accepted", depth)
			}
		}
	}
}

func TestResetAfterADeepDocumentStartsShallow(t *testing.T) {
	var sc Scanner
	for _, doc := range []string{nested(100), `{"a":[1]}`, nested(40), `[]`} {
		sc.Reset([]byte(doc), 0)
		for {
			tok, err := sc.Next()
			if err != nil {
				t.Fatalf("%.40s: %v", doc, err)
			}
			if tok.Kind == EOF {
				break
			}
		}
		if d := sc.Depth(); d != 0 {
			t.Errorf("%.40s: depth %d at the end, want 0", doc, d)
		}
	}
}
