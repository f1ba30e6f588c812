package statement

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/detect/internal/difftest"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// lexReference is Lex as it was before its scans were made cheaper on
// long hostile values (it lexed eight tokens after every ";"): the oracle
// for TestLexAgreesWithReference.
func lexReference(s string, have *lex.ByteSet) (off, end, score int, ok bool) {
	var buf [24]sql.Token
	if i := lex.IndexWord(s, "union"); i >= 0 {
		t := sql.LexN(s, i, buf[:6])
		k := 1
		for k < len(t) && t[k].Kind == sql.Comment {
			k++
		}
		if k > 1 && k < len(t) {
			t = append(t[:1], t[k:]...)
		}
		if len(t) >= 3 && t[1].Text(s) == "distinctrow" && t[2].Text(s) == "select" {
			return i, t[2].End, 9, true
		}
		if len(t) >= 2 {
			w := t[1].Text(s)
			if w == "select" || (w == "all" || w == "distinct") && len(t) > 2 && t[2].Text(s) == "select" ||
				t[1].Kind == sql.LParen && len(t) > 2 && t[2].Text(s) == "select" {
				return i, t[len(t)-1].End, 9, true
			}
		}
	}
	for off := 0; off < len(s); {
		j := strings.IndexByte(s[off:], ';')
		if j < 0 {
			break
		}
		j += off
		if t := sql.LexN(s[:min(len(s), j+1+sql.LexWindow)], j+1, buf[:8]); isStatement(t, s) {
			return j, t[len(t)-1].End, 8, true
		}
		off = j + 1
	}
	if w, i := statementWords.Index(s, have, func(i int, _ string) bool { return i == 0 || !lex.IsWord(s[i-1]) }); i >= 0 {
		return i, i + len(w), 7, true
	}
	if off, end, sc := funcCallReference(s); sc >= 8 {
		return off, end, sc, true
	}
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], ".e")
		if i < 0 {
			break
		}
		i += off
		if i > 0 && lex.IsDigit(s[i-1]) && i+2 < len(s) && (s[i+2] == '(' || s[i+2] == '.') && (i < 2 || !lex.IsWord(s[i-2]) || lex.IsDigit(s[i-2])) {
			return i - 1, i + 8, 6, true
		}
		off = i + 2
	}
	if i := strings.Index(s, "::"); i > 0 && (s[i-1] == ')' || s[i-1] == '\'' || lex.IsDigit(s[i-1]) || lex.IsWord(s[i-1]) && !strings.ContainsAny(s, " \t\n(") && strings.Count(s, "::") == 1) {
		j := i + 2
		for j < len(s) && lex.IsAlpha(s[j]) {
			j++
		}
		if lex.IsWord(s[i-1]) && !lex.IsDigit(s[i-1]) && j < len(s) {
			j = i + 2
		}
		switch s[i+2 : j] {
		case "int", "integer", "int4", "int8", "bigint", "text", "json", "jsonb", "varchar", "numeric", "bool", "boolean", "regclass", "oid", "bytea", "float", "char", "date", "inet":
			return i, j, 7, true
		}
	}
	if off, end, ok := jsonOperatorReference(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := clauseStart(s); ok {
		return off, end, 7, true
	}
	if off, end, ok := statementStartReference(s); ok {
		return off, end, 7, true
	}
	if wholeCall(s) {
		return 0, len(s), 5, true
	}
	if t := strings.TrimRight(s, " \t\r\n"); strings.HasSuffix(t, "(") {
		k := len(t) - 1
		for k > 0 && lex.IsSpace(t[k-1]) {
			k--
		}
		b := k
		for b > 0 && lex.IsWord(t[b-1]) {
			b--
		}
		pre := strings.TrimLeft(t[:b], " \t=,")
		if sql.Func(t[b:k]) > 0 && (pre == "" || pre == "select " || pre == "select") || sql.Func(t[b:k]) >= 8 {
			return b, len(t), 5, true
		}
	}
	t := sql.LexN(s, 0, buf[:8])
	if len(t) >= 3 && (t[0].Kind == sql.Num || t[0].Kind == sql.Op && t[0].Text(s) == "-" && t[1].Kind == sql.Num) {
		k := 1
		if t[0].Kind == sql.Op {
			k = 2
		}
		for k < len(t) && t[k].Kind == sql.RParen {
			k++
		}
		if off, end, sc, hit := afterBreakout(s, t[k:], true); hit {
			return off, end, sc, true
		}
	}
	for _, q := range [...]byte{'\'', '"', '`'} {
		p := strings.IndexByte(s, q)
		if p < 0 {
			continue
		}
		t := sql.LexN(s, p+1, buf[:12])
		k := 0
		for k < len(t) && t[k].Kind == sql.RParen {
			k++
		}
		if off, end, sc, hit := afterBreakout(s, t[k:], false); hit {
			if sc >= 7 || !strings.ContainsAny(s[:p], " \t\n") {
				return p, end, sc, true
			}
			_ = off
		}
		if len(t) >= 1 && t[0].Kind == sql.Comment && !strings.ContainsAny(s[:p], " \t\n") && p < 64 && !wordComment(s, t[0]) {
			return p, t[0].End, 7, true
		}
	}
	return 0, 0, 0, false
}

// statementStartReference is statementStart as it was before its
// leading bytes were read by a switch (strings.IndexByte per byte).
func statementStartReference(s string) (off, end int, ok bool) {
	base := 0
	for base < len(s) && strings.IndexByte(" \t\r\n'\"`;(", s[base]) >= 0 {
		base++
	}
	// Cheap gate before lexing: most values open with no SQL verb.
	e := base
	for e < len(s) && lex.IsAlpha(s[e]) {
		e++
	}
	switch s[base:e] {
	case "select", "alter", "create", "update", "delete", "insert", "replace", "execute", "exec", "copy":
	default:
		return 0, 0, false
	}
	var buf [24]sql.Token
	t := sql.LexN(s, base, buf[:])
	if len(t) < 2 || t[0].Kind != sql.Word {
		return 0, 0, false
	}
	end = t[len(t)-1].End
	has := func(w string) int {
		for i, x := range t {
			if x.Kind == sql.Word && x.Text(s) == w {
				return i
			}
		}
		return -1
	}
	switch t[0].Text(s) {
	case "select":
		w := t[1].Text(s)
		switch {
		case t[1].Start == t[0].End && t[1].Kind == sql.LParen: // select(user(
			return base, end, true
		case w == "*" && has("from") > 1:
			return base, end, true
		case t[1].Kind == sql.Word && sql.Func(w) >= 8:
			return base, end, true
		case t[1].Kind == sql.Word && sql.Func(w) > 0 && len(t) > 2 && t[2].Kind == sql.LParen:
			return base, end, true
		case t[1].Kind == sql.Num && len(w) > 2 && w[0] == '0' && w[1] == 'x': // select 0x616263: a string in hex
			return base, end, true
		case t[1].Kind == sql.LParen && len(t) > 2 && t[2].Text(s) == "select": // select (select ...
			return base, end, true
		}
		if f := has("from"); f > 1 && f+2 < len(t) {
			for _, c := range [...]string{"where", "order", "group", "limit", "having", "union"} {
				if has(c) > f+1 {
					return base, end, true
				}
			}
		}
		if g := has("group"); g > 0 && g+1 < len(t) && t[g+1].Text(s) == "by" && has("having") > g {
			return base, end, true
		}
	case "alter", "create":
		if len(t) < 4 {
			return 0, 0, false
		}
		switch t[1].Text(s) {
		case "table", "function", "procedure", "trigger", "view", "user", "database":
		default:
			return 0, 0, false
		}
		for _, x := range t[3:] {
			switch x.Text(s) {
			case "add", "change", "modify", "returns", "character", "engine", "as", "begin", "identified":
				return base, end, true
			}
			if x.Kind == sql.LParen && s[x.Start-1] != ' ' || x.Kind == sql.Semi {
				return base, end, true
			}
		}
		if t[2].Kind == sql.Str && strings.HasPrefix(t[2].Text(s), "`") {
			return base, end, true
		}
	case "update":
		if len(t) > 4 && t[2].Text(s) == "set" && t[4].Kind == sql.Op && t[4].Text(s) == "=" {
			return base, end, true
		}
	case "delete":
		if t[1].Text(s) == "from" && has("where") > 2 {
			return base, end, true
		}
	case "insert", "replace":
		if isStatement(t, s) && (t[1].Text(s) != "into" || has("values") > 2 || has("select") > 2) {
			return base, end, true
		}
	case "copy":
		if isStatement(t, s) {
			return base, end, true
		}
	case "execute", "exec":
		// "exec (" alone is prose or a PHP probe; EXECUTE IMMEDIATE and
		// stored procedures are SQL
		if w := t[1].Text(s); w == "immediate" || strings.HasPrefix(w, "xp_") || strings.HasPrefix(w, "sp_") || strings.HasPrefix(w, "master") {
			return base, end, true
		}
	}
	return 0, 0, false
}

// jsonOperatorReference is jsonOperator as it was before it found each
// quote with strings.IndexByte (it tested every byte).
func jsonOperatorReference(s string) (off, end int, ok bool) {
	for p := 0; p < len(s); p++ {
		if s[p] != '\'' || p+1 >= len(s) || s[p+1] != '{' && s[p+1] != '[' {
			continue
		}
		q := strings.IndexByte(s[p+1:], '\'')
		if q < 0 {
			return 0, 0, false
		}
		q += p + 1
		if c := s[q-1]; c != '}' && c != ']' {
			p = q
			continue
		}
		j := lex.SkipSpace(s, q+1)
		op := ""
		for _, o := range [...]string{"->>", "->", "#>>", "#>", "@>", "<@", "?|", "?&", "?", "<", ">"} {
			if strings.HasPrefix(s[j:], o) {
				op = o
				break
			}
		}
		if op == "" {
			p = q
			continue
		}
		k := lex.SkipSpace(s, j+len(op))
		switch {
		case op == "<" || op == ">":
			if strings.HasPrefix(s[k:], "'$") {
				return p, k + 2, true
			}
		case strings.HasPrefix(s[k:], "'") || strings.HasPrefix(s[k:], "array["):
			return p, k + 1, true
		}
		p = q
	}
	if !strings.Contains(s, "json") {
		return 0, 0, false
	}
	for _, w := range [...]string{"or", "and"} {
		for off := 0; off < len(s); {
			i := lex.IndexWord(s[off:], w)
			if i < 0 {
				break
			}
			i += off
			a := lex.SkipSpace(s, i+len(w))
			b := a
			for b < len(s) && lex.IsWord(s[b]) {
				b++
			}
			if b > a && b < len(s) && s[b] == '(' && sql.JSONFunc(s[a:b]) && a > i+len(w) {
				if c := lex.SkipSpace(s, b+1); c < len(s) && (s[c] == '\'' || s[c] == '"' || lex.IsWord(s[c])) {
					return i, b + 1, true
				}
			}
			off = i + len(w)
		}
	}
	return 0, 0, false
}

// funcCallReference is funcCall as it was before it found each "(" with
// indexByteFrom and passed over those with no word before them.
func funcCallReference(s string) (off, end, score int) {
	for off := 0; off < len(s); {
		j := strings.IndexByte(s[off:], '(')
		if j < 0 {
			return 0, 0, 0
		}
		j += off
		k := j
		for k > 0 && lex.IsSpace(s[k-1]) {
			k--
		}
		b := k
		for b > 0 && (lex.IsWord(s[b-1]) || s[b-1] == '.' || s[b-1] == '@') {
			b--
		}
		if b > 0 && s[b-1] >= 0x80 { // part of a non-ASCII word: "Haßelt (1599)"
			off = j + 1
			continue
		}
		if sc := sql.Func(s[b:k]); sc >= 8 {
			// require an argument that looks like SQL: a number, a quote,
			// a nested call or select, not prose.
			a := lex.SkipSpace(s, j+1)
			if a < len(s) && (lex.IsDigit(s[a]) || s[a] == '\'' || s[a] == '"' || s[a] == '(' || s[a] == ')' || s[a] == '0' || strings.HasPrefix(s[a:], "select") || strings.HasPrefix(s[a:], "concat") || s[a] == '@' || lex.CallAfterWord(s, a) && funcAt(s, a)) {
				return b, j + 1, sc
			}
		}
		off = j + 1
	}
	return 0, 0, 0
}

// sqlPieces are what the random texts are made of: the words and
// punctuation every check of Lex looks at, stacked-statement verbs and
// what follows them included.
var sqlPieces = []string{
	" ", " ", " ", "\n", "\t", ";", ";", "'", "\"", "`", "(", ")", ",", "=", "<", ">", "-", "+", "*", "|", "||", "&", "&&",
	"--", "#", "/*", "*/", "/*!", "/*!50000", "@", "@@", "@a", "1", "0x41", "1.e", ".e", "::", "::int", "'{\"a\":1}'", "'[1]'", "'{", "}'", "->", "->>", "?",
	"array[", "$.a", "'$", "select", "union", "all", "distinct", "distinctrow", "from", "where", "or", "and", "not", "!", "true", "null",
	"drop", "table", "create", "alter", "truncate", "rename", "delete", "insert", "into", "values", "replace", "update", "set",
	"exec", "execute", "immediate", "xp_cmdshell", "sp_who", "master", "shutdown", "declare", "waitfor", "delay", "time",
	"grant", "revoke", " to ", "load", "data", "copy", "program", "if", "begin", "sleep", "version", "user", "char", "concat",
	"json_extract", "json", "as", "procedure", "analyse", "order", "by", "group", "having", "limit", "case when ", " then ",
	"information_schema", "into outfile", "x", "ab", "é", "\u00a0", "\xa0", "\x00", "\v", "\f", "\r", "/**/", "%25", "&amp;", "<", "%u0041",
}

// randomTexts returns n texts of random pieces.
func randomTexts(r *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 1 + r.IntN(30) {
			b.WriteString(sqlPieces[r.IntN(len(sqlPieces))])
		}
		out[i] = b.String()
	}
	return out
}

// openers are the starts of statements and JSON comparisons that the
// mutations put before a text.
var openers = []string{"select * from t where ", "select (", "\"; select sleep(", " (update t set a = ", "delete from t where ", "insert into t ", "alter table t ", "exec xp_", "'{\"a\":1}' -> '", "'[1]' @> ", "x' or json_extract(", "declare @a ", ") like ("}

// mutations returns variants of s that move what Lex reads: a statement
// stacked after it, s after a stacked separator, s after the start of a
// statement, s cut at a random byte, a random piece inserted, and s
// repeated.
func mutations(r *rand.Rand, s string) []string {
	cut := r.IntN(len(s) + 1)
	p := sqlPieces[r.IntN(len(sqlPieces))]
	return []string{
		openers[r.IntN(len(openers))] + s,
		s + ";" + sqlPieces[r.IntN(len(sqlPieces))] + " " + sqlPieces[r.IntN(len(sqlPieces))],
		"1';" + s,
		s[:cut],
		s[:cut] + p + s[cut:],
		strings.Repeat(s, 1+r.IntN(3)),
	}
}

// finding is what a reading returns, whatever its signature.
type finding struct {
	off, end, score int
	ok              bool
}

// spanned adapts a reading that returns a span.
func spanned(f func(string) (int, int, bool)) func(string) finding {
	return func(s string) finding {
		off, end, ok := f(s)
		return finding{off: off, end: end, ok: ok}
	}
}

// scored adapts a reading that returns a span and a score.
func scored(f func(string) (int, int, int)) func(string) finding {
	return func(s string) finding {
		off, end, sc := f(s)
		return finding{off: off, end: end, score: sc}
	}
}

// TestLexAgreesWithReference holds Lex to the reading it replaced, span
// and score included: on every corpus line, on mutations of them, on
// random texts of SQL pieces and of difftest's hostile tokens, and on
// long runs of the worst-case units.
func TestLexAgreesWithReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(13, 6))
	var texts []string
	seen := map[string]bool{}
	for _, l := range difftest.Corpus(t) {
		l = strings.ToLower(l) // Lex reads lower-cased text
		if seen[l] {
			continue
		}
		seen[l] = true
		texts = append(texts, l)
		texts = append(texts, mutations(r, l)...)
	}
	for _, s := range randomTexts(r, 40000) {
		texts = append(texts, s)
		texts = append(texts, mutations(r, s)...)
	}
	for _, s := range difftest.Hostile(r, 20000, 12) {
		texts = append(texts, strings.ToLower(s))
	}
	units := []string{"<;&amp;%25", "&amp;%2e%2e/<?+", "= %u0041;<-|[", ";", ";a", "; select", "${", "$(", "\\", "\"", "'", "/*", "::", ".e", "'{", "as ", "/*!", "(", ";s"}
	for _, s := range difftest.Long(r, units, 16<<10) {
		texts = append(texts, s, s+";drop table users", s+"' or 1=1--")
	}
	// the readings that changed, each against its own reference too:
	// Lex returns at its first finding and would hide their differences
	// behind an earlier one
	readings := []struct {
		name      string
		got, want func(string) finding
	}{
		{"jsonOperator", spanned(jsonOperator), spanned(jsonOperatorReference)},
		{"statementStart", spanned(statementStart), spanned(statementStartReference)},
		{"funcCall", scored(funcCall), scored(funcCallReference)},
	}
	hits := 0
	for _, s := range texts {
		for _, r := range readings {
			if got, want := r.got(s), r.want(s); got != want {
				t.Fatalf("%s(%.200q) = %+v; reference %+v", r.name, s, got, want)
			}
		}
		have := lex.BytesOf(s)
		o, e, sc, ok := Lex(s, &have)
		ro, re, rsc, rok := lexReference(s, &have)
		if o != ro || e != re || sc != rsc || ok != rok {
			t.Fatalf("Lex(%.200q) = %d, %d, %d, %v; reference %d, %d, %d, %v", s, o, e, sc, ok, ro, re, rsc, rok)
		}
		if ok {
			hits++
		}
	}
	if hits < len(texts)/20 {
		t.Errorf("only %d of %d texts match: the inputs do not exercise Lex", hits, len(texts))
	}
	t.Logf("%d texts, %d matched", len(texts), hits)
}
