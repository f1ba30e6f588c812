package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Level-2 SQL fragments: pieces of a condition or clause that an attacker
// appends to the developer's query ("AND 2771=1709)", "|| (c=!1)",
// ") AS x FROM", "HAVING 1="). Each is SQL, but short free text can take
// the same shape ("Q&A: and x = y"), so they run only at paranoia 2
// (Options.Paranoia), for APIs whose parameters are narrow.

// sqlFragment judges lower-cased s for level-2 fragments and returns the
// span of the first.
func sqlFragment(s string, m mask) (off, end int, ok bool) {
	var buf [10]tok
	b := 0
	for b < len(s) && isSpace(s[b]) {
		b++
	}
	t := lexN(s, b, buf[:])
	if len(t) == 0 {
		return 0, 0, false
	}
	last := t[len(t)-1].end
	if off, end, ok := sqlConditionFragment(s, t); ok {
		return off, end, true
	}
	if off, end, ok := sqlLiteralComparison(s, t); ok {
		return off, end, true
	}
	if sqlClauseFragment(s, t) {
		return t[0].start, last, true
	}
	if sqlDanglingLogic(s[b:]) {
		return b, len(s), true
	}
	if m.has(bHigh) && strings.ContainsAny(s, "\u2018\u2019\u00b4") {
		// Typographic quotes some drivers and "best fit" code page
		// conversions turn into ASCII ones: 1’ OR ’1’=’x’#.
		a := typographicQuotes.Replace(s)
		if _, _, _, ok := sqlLex(a, bytesOfPtr(a)); ok {
			return 0, len(s), true
		}
	}
	return 0, 0, false
}

var typographicQuotes = strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u00b4", "'")

func bytesOfPtr(s string) *lex.ByteSet {
	b := lex.BytesOf(s)
	return &b
}

// comparisonOp reports a token that compares: =, ==, ===, !=, <>, <=>,
// <, >, LIKE, REGEXP, IS, IN, ... (the lexer glues "=!" and "!==" into
// one operator token; any operator that opens with a comparison sign is
// one).
func comparisonOp(t tok, s string) bool {
	if t.k != tOp {
		return false
	}
	if isComparison(t, s) {
		return true
	}
	switch s[t.start] {
	case '=', '<', '>':
		return true
	case '!':
		return t.end > t.start+1 && s[t.start+1] == '='
	}
	switch t.text(s) {
	case "not", "glob", "ilike":
		return true
	}
	return false
}

func isLiteral(t tok) bool { return t.k == tNum || t.k == tStr }

// sqlConditionFragment finds a value that opens with a boolean operator
// and a comparison, the condition an injection appends: "AND 2771=1709)",
// "or 1='", "|| langCode == '", "&&(l=!0)", "OR (7319=8742)",
// "AND uid!=(", "and (select ...". A HAVING or WHERE opening the value
// the same way ("HAVING 1=") is the clause form of it.
func sqlConditionFragment(s string, t []tok) (off, end int, ok bool) {
	if len(t) < 3 {
		return 0, 0, false
	}
	switch {
	case t[0].k == tLogic:
	case t[0].k == tWord && (t[0].text(s) == "having" || t[0].text(s) == "where"):
	default:
		return 0, 0, false
	}
	k := 1
	for k < len(t) && t[k].k == tLParen {
		k++
	}
	if k >= len(t) {
		return 0, 0, false
	}
	if t[k].text(s) == "select" && k > 1 {
		return t[0].start, t[k].end, true
	}
	if k+1 < len(t) && (isOperand(t[k], s) && t[k].k != tOpenStr) && comparisonOp(t[k+1], s) {
		return t[0].start, t[k+1].end, true
	}
	return 0, 0, false
}

// sqlLiteralComparison finds a comparison of two literals where a value
// starts or after a comma: "1=1", "b,1=1", "42 like 42", "11!=1",
// "1 is not 2", "'1' not regexp '2'". The answer is fixed, which is what
// blind injection probes for.
func sqlLiteralComparison(s string, t []tok) (off, end int, ok bool) {
	for k := 1; k+1 < len(t); k++ {
		if !comparisonOp(t[k], s) || !isLiteral(t[k-1]) {
			continue
		}
		if k >= 2 && t[k-2].k != tComma && t[k-2].k != tLParen && t[k-2].k != tLogic {
			continue
		}
		r := k + 1
		for r < len(t) && t[r].k == tOp && (t[r].text(s) == "not" || t[r].text(s) == "like" || t[r].text(s) == "regexp" || t[r].text(s) == "rlike") {
			r++
		}
		if r >= len(t) || !isLiteral(t[r]) {
			continue
		}
		if r+1 < len(t) {
			switch t[r+1].k {
			case tComment, tSemi, tRParen, tLogic:
			default:
				continue
			}
		}
		return t[k-1].start, t[r].end, true
	}
	return 0, 0, false
}

// sqlClauseFragment recognises the clause pieces CRS calls SQL at its
// paranoia 2: a select-list tail ") AS alias FROM", a CASE tail
// ") WHEN 1 THEN", a FROM with a table and a clause after it, SELECT
// (CASE, VALUES with a literal tuple, EXCEPT/INTERSECT SELECT, SET @var,
// CREATE TABLE name, a quote followed by a statement keyword ("'UNION A",
// "' alter"), and a comparison left open for the developer's quote
// ("something LIKE '", "OR name = \"").
func sqlClauseFragment(s string, t []tok) bool {
	n := len(t)
	w := func(k int) string {
		if k < n && t[k].k == tWord {
			return t[k].text(s)
		}
		return ""
	}
	k := 0
	if t[0].k == tRParen {
		k = 1
	}
	switch w(k) {
	case "as":
		if k+2 < n && (t[k+1].k == tWord || t[k+1].k == tStr) && w(k+2) == "from" {
			return true
		}
	case "when":
		if k == 1 && k+2 < n && isOperand(t[k+1], s) && w(k+2) == "then" {
			return true
		}
	case "from":
		// FROM, a table, and a clause that continues the query
		if k == 0 {
			quoted := false
			for j := 1; j < n && j < 8; j++ {
				if t[j].k == tStr {
					quoted = true
				}
				c := w(j)
				if j == 1 || c == "" {
					continue
				}
				switch c {
				case "where", "having":
					return j+2 < n && isOperand(t[j+1], s) && comparisonOp(t[j+2], s)
				case "group", "order":
					return w(j+1) == "by"
				case "limit":
					return j+1 < n && t[j+1].k == tNum || j+1 == n && quoted
				case "union":
					return w(j+1) == "select"
				}
			}
		}
	case "values":
		if k == 0 && n > 2 && t[1].k == tLParen && isLiteral(t[2]) {
			return true
		}
	case "except", "intersect":
		if k == 0 && n > 1 && (strings.HasPrefix(w(1), "select") && (len(w(1)) == 6 || w(1)[6] == '.') || w(1) == "values" && n > 2 && t[2].k == tLParen) {
			return true
		}
	case "select":
		if k == 0 && n > 2 && t[1].k == tLParen && (w(2) == "case" || w(2) == "select") {
			return true
		}
	case "set":
		if k == 0 && n > 1 && t[1].k == tVar {
			return true
		}
	case "create":
		if n > 2 && w(k+1) == "table" && t[k+2].k == tWord {
			return true
		}
	}
	if t[0].k == tOp {
		switch t[0].text(s) {
		case "like", "is", "in", "regexp", "rlike":
			// a predicate opening the value: LIKE NULL, IS NOT NULL, IN (0,1)
			if sqlPredicateValue(s, t) {
				return true
			}
		}
	}
	// "/CREATE TABLE x", ">SET @x": one punctuation mark before the verb
	if k == 0 && n > 2 && (t[0].k == tOp || t[0].k == tOther) && t[0].end-t[0].start == 1 {
		if w(1) == "create" && w(2) == "table" || w(1) == "set" && t[2].k == tVar {
			return true
		}
	}
	q := 0
	if t[0].k == tOther && s[t[0].start] == '\\' && n > 1 {
		q = 1 // an escaped quote: \'and
	}
	if t[q].k == tOpenStr || t[q].k == tStr {
		// a quote opening the value, then a statement keyword or an
		// operator: "'UNION A", "' alter/", "` REGEXP ", "\'and"
		j := skipCodeSpace(s, t[q].start+1)
		e := j
		for e < len(s) && isAlpha(s[e]) {
			e++
		}
		switch s[j:e] {
		case "union", "alter", "select", "drop", "insert", "update", "delete", "create", "truncate", "exec", "declare",
			"regexp", "rlike", "like", "or", "and", "xor", "sounds", "glob":
			if e == len(s) || !isWord(s[e]) {
				return true
			}
		}
	}
	// a subquery opening the value, or compared with: "(select",
	// "x = (select"
	if t[0].k == tLParen && w(1) == "select" || n > 3 && isOperand(t[0], s) && comparisonOp(t[1], s) && t[2].k == tLParen && w(3) == "select" {
		return true
	}
	// a comparison left open: x = ' (the developer's quote closes it)
	if n >= 2 && t[n-1].k == tOpenStr && t[n-1].end-t[n-1].start == 1 && comparisonOp(t[n-2], s) {
		return true
	}
	return false
}

// sqlDanglingLogic reports a value of one operand and a trailing boolean
// operator, "/3 or ", "x_R AND (": the developer's next condition is
// meant to become the right operand.
func sqlDanglingLogic(s string) bool {
	sp := strings.IndexAny(s, " \t")
	if sp <= 0 {
		return false
	}
	r := strings.TrimLeft(s[sp:], " \t")
	trailing := false
	if strings.HasSuffix(r, "(") {
		r = strings.TrimRight(r[:len(r)-1], " \t")
		trailing = true
	}
	t := strings.TrimRight(r, " \t")
	if len(t) < len(r) {
		trailing = true
	}
	return trailing && (t == "or" || t == "and" || t == "xor")
}

// sqlRawBodyFields judges a request body that arrived without a content
// type the way an application that parses it as a form would read it:
// "+" as a blank, and each field's value on its own ("pay=AND+1%3D1" is
// the field pay with the value "AND 1=1"). Only the SQL judgement runs on
// these readings; the whole body has already been judged as it is.
func (in *input) sqlRawBodyFields() {
	if in.v.Part != event.PartBody || in.v.Key != "" || in.isKey || len(in.text) > 64<<10 {
		return
	}
	form := formShaped(in.text)
	if !form && (!in.mask.has(bPlus) || in.mask.has(bSpace)) {
		return
	}
	tmp := append(in.sc.tmp[:0], in.text...)
	for i, c := range tmp {
		if c == '+' {
			tmp[i] = ' '
		}
	}
	in.sc.tmp = tmp
	text := unsafeString(tmp)
	defer func() {
		// the sub-judgements overwrote the scratch buffer lower() returns
		in.hasLow, in.hasLowSet = false, false
	}()
	if !form {
		in.sqlReading(text)
		return
	}
	for len(text) > 0 {
		f := text
		if i := nextField(text); i >= 0 {
			f, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if i := strings.IndexByte(f, '='); i >= 0 {
			f = f[i+1:]
		}
		if f != "" && in.sqlReading(f) {
			return
		}
	}
}

// sqlReading judges text, another reading of in.text, for SQL injection;
// it reports whether a signal was added.
func (in *input) sqlReading(text string) bool {
	in2 := input{e: in.e, v: in.v, text: text, isKey: in.isKey, sink: in.sink, sc: in.sc, dst: in.dst, base: in.base}
	in2.mask = scanMask(text)
	n := len(in.dst)
	in2.judgeSQLi()
	in.dst = in2.dst
	return len(in.dst) > n
}

// formShaped reports whether s opens like a form body: a field name and
// "=" (name characters as PHP and the CRS tests use them).
func formShaped(s string) bool {
	for i := 0; i < len(s) && i < 128; i++ {
		c := s[i]
		switch {
		case isWord(c) || c == '.' || c == '[' || c == ']' || c == '$' || c == '-' || c == '@':
		case c == '=':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// nextField returns the index of the "&" that starts the next field of a
// form body, "&name=", or -1. An "&" not followed by a name and "=" is
// read as part of the value ("pay=&&(a=1)"), as the sender meant it.
func nextField(s string) int {
	for o := 0; o < len(s); {
		i := strings.IndexByte(s[o:], '&')
		if i < 0 {
			return -1
		}
		i += o
		if formShaped(s[i+1:]) {
			return i
		}
		o = i + 1
	}
	return -1
}

// sqlPredicateValue reports a value that is a predicate's right-hand side
// and nothing else: "LIKE NULL", "IS NOT NULL", "IN (0,1)" (a list, with
// a comma: "in (2019)" reads as prose).
func sqlPredicateValue(s string, t []tok) bool {
	k := 1
	for k < len(t) && t[k].k == tOp && t[k].text(s) == "not" {
		k++
	}
	if k >= len(t) {
		return false
	}
	if t[k].k == tWord && t[k].text(s) == "null" || t[0].text(s) != "in" && isLiteral(t[k]) {
		return k+1 == len(t)
	}
	if t[0].text(s) == "in" && t[k].k == tLParen {
		commas := 0
		for _, x := range t[k+1:] {
			switch x.k {
			case tComma:
				commas++
			case tNum, tStr, tOp, tWord:
			case tRParen:
				return commas > 0
			default:
				return false
			}
		}
	}
	return false
}
