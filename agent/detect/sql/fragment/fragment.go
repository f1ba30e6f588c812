// Package fragment holds the SQL conditions (tautologies, CASE WHEN, ORDER
// BY probes; level 1) and the level-2 fragments of a condition or clause
// an attacker appends to the developer's query.
package fragment

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql/statement"
)

// Level-2 SQL fragments: pieces of a condition or clause that an attacker
// appends to the developer's query ("AND 2771=1709)", "|| (c=!1)",
// ") AS x FROM", "HAVING 1="). Each is SQL, but short free text can take
// the same shape ("Q&A: and x = y"), so they run only at paranoia 2
// (Options.Paranoia), for APIs whose parameters are narrow.

// Match judges lower-cased s, whose byte set is have, for level-2
// fragments and returns the span of the first.
func Match(s string, have *lex.ByteSet) (off, end int, ok bool) {
	var buf [10]sql.Token
	b := 0
	for b < len(s) && lex.IsSpace(s[b]) {
		b++
	}
	t := sql.LexN(s, b, buf[:])
	if len(t) == 0 {
		return 0, 0, false
	}
	last := t[len(t)-1].End
	if off, end, ok := conditionFragment(s, t); ok {
		return off, end, true
	}
	if off, end, ok := literalComparison(s, t); ok {
		return off, end, true
	}
	if clauseFragment(s, t) {
		return t[0].Start, last, true
	}
	if danglingLogic(s[b:]) {
		return b, len(s), true
	}
	if (have.Has(0xe2) || have.Has(0xc2)) && strings.ContainsAny(s, "\u2018\u2019\u00b4") {
		// Typographic quotes some drivers and "best fit" code page
		// conversions turn into ASCII ones: 1’ OR ’1’=’x’#.
		a := typographicQuotes.Replace(s)
		if _, _, _, ok := statement.Lex(a, bytesOfPtr(a)); ok {
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
func comparisonOp(t sql.Token, s string) bool {
	if t.Kind != sql.Op {
		return false
	}
	if sql.IsComparison(t, s) {
		return true
	}
	switch s[t.Start] {
	case '=', '<', '>':
		return true
	case '!':
		return t.End > t.Start+1 && s[t.Start+1] == '='
	}
	switch t.Text(s) {
	case "not", "glob", "ilike":
		return true
	}
	return false
}

func isLiteral(t sql.Token) bool { return t.Kind == sql.Num || t.Kind == sql.Str }

// conditionFragment finds a value that opens with a boolean operator
// and a comparison, the condition an injection appends: "AND 2771=1709)",
// "or 1='", "|| langCode == '", "&&(l=!0)", "OR (7319=8742)",
// "AND uid!=(", "and (select ...". A HAVING or WHERE opening the value
// the same way ("HAVING 1=") is the clause form of it.
func conditionFragment(s string, t []sql.Token) (off, end int, ok bool) {
	if len(t) < 3 {
		return 0, 0, false
	}
	switch {
	case t[0].Kind == sql.Logic:
	case t[0].Kind == sql.Word && (t[0].Text(s) == "having" || t[0].Text(s) == "where"):
	default:
		return 0, 0, false
	}
	k := 1
	for k < len(t) && t[k].Kind == sql.LParen {
		k++
	}
	if k >= len(t) {
		return 0, 0, false
	}
	if t[k].Text(s) == "select" && k > 1 {
		return t[0].Start, t[k].End, true
	}
	if k+1 < len(t) && (sql.IsOperand(t[k], s) && t[k].Kind != sql.OpenStr) && comparisonOp(t[k+1], s) {
		return t[0].Start, t[k+1].End, true
	}
	return 0, 0, false
}

// literalComparison finds a comparison of two literals where a value
// starts or after a comma: "1=1", "b,1=1", "42 like 42", "11!=1",
// "1 is not 2", "'1' not regexp '2'". The answer is fixed, which is what
// blind injection probes for.
func literalComparison(s string, t []sql.Token) (off, end int, ok bool) {
	for k := 1; k+1 < len(t); k++ {
		if !comparisonOp(t[k], s) || !isLiteral(t[k-1]) {
			continue
		}
		if k >= 2 && t[k-2].Kind != sql.Comma && t[k-2].Kind != sql.LParen && t[k-2].Kind != sql.Logic {
			continue
		}
		r := k + 1
		for r < len(t) && t[r].Kind == sql.Op && (t[r].Text(s) == "not" || t[r].Text(s) == "like" || t[r].Text(s) == "regexp" || t[r].Text(s) == "rlike") {
			r++
		}
		if r >= len(t) || !isLiteral(t[r]) {
			continue
		}
		if r+1 < len(t) {
			switch t[r+1].Kind {
			case sql.Comment, sql.Semi, sql.RParen, sql.Logic:
			default:
				continue
			}
		}
		return t[k-1].Start, t[r].End, true
	}
	return 0, 0, false
}

// clauseFragment recognises the clause pieces CRS calls SQL at its
// paranoia 2: a select-list tail ") AS alias FROM", a CASE tail
// ") WHEN 1 THEN", a FROM with a table and a clause after it, SELECT
// (CASE, VALUES with a literal tuple, EXCEPT/INTERSECT SELECT, SET @var,
// CREATE TABLE name, a quote followed by a statement keyword ("'UNION A",
// "' alter"), and a comparison left open for the developer's quote
// ("something LIKE '", "OR name = \"").
func clauseFragment(s string, t []sql.Token) bool {
	n := len(t)
	w := func(k int) string {
		if k < n && t[k].Kind == sql.Word {
			return t[k].Text(s)
		}
		return ""
	}
	k := 0
	if t[0].Kind == sql.RParen {
		k = 1
	}
	switch w(k) {
	case "as":
		if k+2 < n && (t[k+1].Kind == sql.Word || t[k+1].Kind == sql.Str) && w(k+2) == "from" {
			return true
		}
	case "when":
		if k == 1 && k+2 < n && sql.IsOperand(t[k+1], s) && w(k+2) == "then" {
			return true
		}
	case "from":
		// FROM, a table, and a clause that continues the query
		if k == 0 {
			quoted := false
			for j := 1; j < n && j < 8; j++ {
				if t[j].Kind == sql.Str {
					quoted = true
				}
				c := w(j)
				if j == 1 || c == "" {
					continue
				}
				switch c {
				case "where", "having":
					return j+2 < n && sql.IsOperand(t[j+1], s) && comparisonOp(t[j+2], s)
				case "group", "order":
					return w(j+1) == "by"
				case "limit":
					return j+1 < n && t[j+1].Kind == sql.Num || j+1 == n && quoted
				case "union":
					return w(j+1) == "select"
				}
			}
		}
	case "values":
		if k == 0 && n > 2 && t[1].Kind == sql.LParen && isLiteral(t[2]) {
			return true
		}
	case "except", "intersect":
		if k == 0 && n > 1 && (strings.HasPrefix(w(1), "select") && (len(w(1)) == 6 || w(1)[6] == '.') || w(1) == "values" && n > 2 && t[2].Kind == sql.LParen) {
			return true
		}
	case "select":
		if k == 0 && n > 2 && t[1].Kind == sql.LParen && (w(2) == "case" || w(2) == "select") {
			return true
		}
	case "set":
		if k == 0 && n > 1 && t[1].Kind == sql.Var {
			return true
		}
	case "create":
		if n > 2 && w(k+1) == "table" && t[k+2].Kind == sql.Word {
			return true
		}
	}
	if t[0].Kind == sql.Op {
		switch t[0].Text(s) {
		case "like", "is", "in", "regexp", "rlike":
			// a predicate opening the value: LIKE NULL, IS NOT NULL, IN (0,1)
			if predicateValue(s, t) {
				return true
			}
		}
	}
	// "/CREATE TABLE x", ">SET @x": one punctuation mark before the verb
	if k == 0 && n > 2 && (t[0].Kind == sql.Op || t[0].Kind == sql.Other) && t[0].End-t[0].Start == 1 {
		if w(1) == "create" && w(2) == "table" || w(1) == "set" && t[2].Kind == sql.Var {
			return true
		}
	}
	q := 0
	if t[0].Kind == sql.Other && s[t[0].Start] == '\\' && n > 1 {
		q = 1 // an escaped quote: \'and
	}
	if t[q].Kind == sql.OpenStr || t[q].Kind == sql.Str {
		// a quote opening the value, then a statement keyword or an
		// operator: "'UNION A", "' alter/", "` REGEXP ", "\'and"
		j := lex.SkipCodeSpace(s, t[q].Start+1)
		e := j
		for e < len(s) && lex.IsAlpha(s[e]) {
			e++
		}
		switch s[j:e] {
		case "union", "alter", "select", "drop", "insert", "update", "delete", "create", "truncate", "exec", "declare",
			"regexp", "rlike", "like", "or", "and", "xor", "sounds", "glob":
			if e == len(s) || !lex.IsWord(s[e]) {
				return true
			}
		}
	}
	// a subquery opening the value, or compared with: "(select",
	// "x = (select"
	if t[0].Kind == sql.LParen && w(1) == "select" || n > 3 && sql.IsOperand(t[0], s) && comparisonOp(t[1], s) && t[2].Kind == sql.LParen && w(3) == "select" {
		return true
	}
	// a comparison left open: x = ' (the developer's quote closes it)
	if n >= 2 && t[n-1].Kind == sql.OpenStr && t[n-1].End-t[n-1].Start == 1 && comparisonOp(t[n-2], s) {
		return true
	}
	return false
}

// danglingLogic reports a value of one operand and a trailing boolean
// operator, "/3 or ", "x_R AND (": the developer's next condition is
// meant to become the right operand.
func danglingLogic(s string) bool {
	sp := strings.IndexAny(s, " \t")
	if sp <= 0 {
		return false
	}
	r := lex.TrimBlanksLeft(s[sp:])
	trailing := false
	if strings.HasSuffix(r, "(") {
		r = lex.TrimBlanksRight(r[:len(r)-1])
		trailing = true
	}
	t := lex.TrimBlanksRight(r)
	if len(t) < len(r) {
		trailing = true
	}
	return trailing && (t == "or" || t == "and" || t == "xor")
}

// predicateValue reports a value that is a predicate's right-hand side
// and nothing else: "LIKE NULL", "IS NOT NULL", "IN (0,1)" (a list, with
// a comma: "in (2019)" reads as prose).
func predicateValue(s string, t []sql.Token) bool {
	k := 1
	for k < len(t) && t[k].Kind == sql.Op && t[k].Text(s) == "not" {
		k++
	}
	if k >= len(t) {
		return false
	}
	if t[k].Kind == sql.Word && t[k].Text(s) == "null" || t[0].Text(s) != "in" && isLiteral(t[k]) {
		return k+1 == len(t)
	}
	if t[0].Text(s) == "in" && t[k].Kind == sql.LParen {
		commas := 0
		for _, x := range t[k+1:] {
			switch x.Kind {
			case sql.Comma:
				commas++
			case sql.Num, sql.Str, sql.Op, sql.Word:
			case sql.RParen:
				return commas > 0
			default:
				return false
			}
		}
	}
	return false
}
