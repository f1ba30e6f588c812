package detect

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/fragment"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/prose"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/shape"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/statement"
	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/libinjection"
)

// judgeSQLiReference is judgeSQLi as it was before it asked
// libinjectionMoot first and left libinjection out on texts where every
// finding of it is set aside: the oracle for
// TestJudgeSQLiAgreesWithReference.
func judgeSQLiReference(in *input) bool {
	n := len(in.dst)
	m := in.mask
	if prose.PastedQuery(in.lower()) {
		// a statement pasted into a comment: only the level-2
		// fragments judge it
		if in.paranoid() {
			if off, end, ok := fragment.Match(in.lower(), in.lowerBytes()); ok {
				in.emit(SQLi, "sqli-fragment", 5, off, end)
			}
		}
		return len(in.dst) > n
	}
	if !m.plain() || m.has(bColon) {
		if ok, fp := libinjection.IsSQLi(in.text); ok && !libinjectionFalsePositiveReference(in.text, m, fp) && !prose.Math(in.text, in.lowerBytes(), fp) &&
			!prose.StrayWhen(in.lower(), in.lowerBytes()) && !prose.QuotedStatement(in.text, in.lowerBytes(), fp) && !(m.has(bDQuote) && prose.JSONMembers(in.text)) {
			if score := libinjectionScore(in.lower()); score > 0 {
				in.emit(SQLi, "sqli-libinjection", score, 0, len(in.text))
				return len(in.dst) > n
			}
		}
	}
	s := in.lower()
	if off, end, score, ok := statement.Lex(s, in.lowerBytes()); ok && lexerScore(s, score) > 0 {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if rule, off, end, score, ok := shape.Match(s, in.lowerBytes()); ok {
		in.emit(SQLi, rule, score, off, end)
		return len(in.dst) > n
	}
	if off, end, score, ok := fragment.Condition(s); ok {
		in.emit(SQLi, "sqli-lexer", score, off, end)
		return len(in.dst) > n
	}
	if in.paranoid() {
		if off, end, ok := fragment.Match(s, in.lowerBytes()); ok {
			in.emit(SQLi, "sqli-fragment", 5, off, end)
		}
	}
	return len(in.dst) > n
}

// libinjectionFalsePositiveReference is libinjectionFalsePositive as it
// was before its fingerprint-free part became libinjectionMoot.
func libinjectionFalsePositiveReference(s string, m mask, fp string) bool {
	// Control flow in code snippets: "if (a && b) { ... }" fingerprints as
	// a function call followed by boolean logic.
	if strings.HasPrefix(fp, "f(") && !m.has(bQuote|bDQuote|bBacktick|bHash|bSemi&0) {
		t := strings.TrimLeft(strings.ToLower(s), " \t\n")
		for _, kw := range [...]string{"if", "while", "for", "switch", "catch", "function", "elif", "elseif"} {
			if strings.HasPrefix(t, kw) && len(t) > len(kw) && !isWord(t[len(kw)]) {
				return true
			}
		}
	}
	// A T-SQL keyword opening a balanced call, "print(f\"{x}\")", is code,
	// not an injected fragment.
	if strings.HasPrefix(fp, "T(") && strings.Count(s, "\"")%2 == 0 && strings.Count(s, "'")%2 == 0 && !m.has(bSemi|bHash) && !strings.Contains(s, "--") {
		return true
	}
	// A word followed by a comment, with no quote to close first:
	// "application/*; charset=utf-8".
	if fp == "nc" && !m.has(bQuote|bDQuote|bBacktick) {
		return true
	}
	// Prose with parentheses, "One quarter (24%) of people ..." or a
	// list of manual pages "ascii(7), charsets(7), utf-8(7)": words,
	// nothing to break out of a literal with, no operator, no SQL
	// keyword. A short value must also do without SQL's logic ("1 or
	// 1", "1) and (2"): in a numeric context those words are the
	// injection.
	if n := strings.Count(s, " "); (n >= 6 || n >= 2 && !sql.ReservedWordIn(strings.ToLower(s))) && !m.has(bQuote|bDQuote|bBacktick|bSemi|bHash|bEq|bLT|bGT) && !strings.Contains(s, "--") && !strings.Contains(s, "/*") && !sql.KeywordIn(s) {
		return true
	}
	// No letters and nothing to break out with: phone numbers "(03) 9876
	// 5432", arithmetic. Without keywords there is no injection.
	if !m.has(bAlpha|bQuote|bDQuote|bBacktick|bHash|bSemi) && !strings.Contains(s, "--") && !strings.Contains(s, "/*") {
		return true
	}
	if m.has(bQuote | bDQuote | bBacktick | bSpace | bParen | bSemi | bHash | bCtl | bLT | bGT | bNewline) {
		return false
	}
	if strings.Contains(s, "--") || strings.Contains(s, "/*") {
		return false
	}
	// Tokens: only base64/url-safe alphabet, '|' '&' and trailing padding.
	t := strings.TrimRight(s, "=")
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_' || c == '.' || c == '|' || c == '&' || c == '@' || c == ',') {
			return false
		}
	}
	return true
}

// sqliPieces are the bytes and words that decide libinjectionMoot and
// libinjection's fold: letters or none, quotes, comments, separators,
// base64 and url-safe token bytes, and the units of the worst cases.
var sqliPieces = []string{
	"$", "{", "}", "${", "\\", "(", ")", "1", "42", "-", "--", "/*", "*/", "#", ";", "'", "\"", "`", " ", "\t", "\n", "\x01",
	"=", "==", "+", "/", "_", ".", ",", "|", "&", "@", "<", ">", ":", "%", "%25", "&amp;", "a", "Ab", "dXNlcg", "select", "or",
	"union", "if", "print", "nc", "/*!", "0x41", "1=1", "é",
}

// sqliTexts returns n random texts of sqliPieces.
func sqliTexts(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + r.IntN(16) {
			b.WriteString(sqliPieces[r.IntN(len(sqliPieces))])
		}
		out[i] = b.String()
	}
	return out
}

// judgedSQLi runs judge over text as a query value and returns the
// signals it added and what it reported.
func judgedSQLi(e *Engine, text string, judge func(*input) bool) ([]Signal, bool) {
	in := input{e: e, v: q("q", text), text: text, mask: scanMask(text), sc: &scratch{}}
	ok := judge(&in)
	return in.dst, ok
}

// TestJudgeSQLiAgreesWithReference holds judgeSQLi to the judgement it
// replaced, signal for signal, at both paranoia levels: on every corpus
// line and its variants, on random texts of the pieces that decide
// whether libinjection runs, and on long runs of the worst-case units.
// libinjectionFalsePositive is held to its reference on the same texts
// with every fingerprint libinjection gives them and the ones its
// fingerprint-bound exceptions name.
func TestJudgeSQLiAgreesWithReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 23))
	var texts []string
	for _, l := range difftest.Corpus(t) {
		texts = append(texts, l, "'"+l)
	}
	texts = append(texts, sqliTexts(r, 20000)...)
	// tokens of the alphabet libinjectionMoot lets through, where
	// libinjection has known false positives ("12345||12345")
	const tokenBytes = "0123456789abxyzXY+/-_.|&@,="
	for range 10000 {
		b := make([]byte, 1+r.IntN(14))
		for i := range b {
			b[i] = tokenBytes[r.IntN(len(tokenBytes))]
		}
		texts = append(texts, string(b))
	}
	units := []string{"${", "\\", "$(", "\"", ";", "<;&amp;%25", "&amp;%2e%2e/<?+", "dXNlcg==", "12345||", "a-b_c.d", "::", "&#", "#"}
	for _, s := range difftest.Long(r, units, 8<<10) {
		texts = append(texts, s, s+"' or 1=1--")
	}
	engines := []*Engine{New(Options{}), New(Options{Paranoia: 2})}
	skipped, flagged := 0, 0
	for _, s := range texts {
		for _, e := range engines {
			got, gotOK := judgedSQLi(e, s, (*input).judgeSQLi)
			want, wantOK := judgedSQLi(e, s, judgeSQLiReference)
			if gotOK != wantOK || !reflect.DeepEqual(got, want) {
				t.Fatalf("paranoia %d, judgeSQLi(%.200q) = %v %v; reference %v %v", e.paranoia, s, gotOK, got, wantOK, want)
			}
		}
		m := scanMask(s)
		_, fp := libinjection.IsSQLi(s)
		for _, f := range []string{fp, "f(", "T(", "nc", "s&1", ""} {
			if got, want := libinjectionFalsePositive(s, m, f), libinjectionFalsePositiveReference(s, m, f); got != want {
				t.Fatalf("libinjectionFalsePositive(%.200q, %q) = %v; reference %v", s, f, got, want)
			}
		}
		if libinjectionMoot(s, m) {
			skipped++
			if ok, _ := libinjection.IsSQLi(s); ok {
				flagged++
			}
		}
	}
	if skipped < 1000 || flagged < 10 {
		t.Errorf("libinjection left out on %d texts, %d of them flagged by it: the texts do not exercise libinjectionMoot", skipped, flagged)
	}
	t.Logf("%d texts; libinjection left out on %d, %d of which it flags", len(texts), skipped, flagged)
}
