package detect

import "strings"

// Blind SQL injection conditions: the probes that ask the database a
// yes/no question without breaking out of a quote. Each is read from the
// SQL tokens of the value, so prose that happens to contain the words
// ("in case when it rains, then...", "order by date") does not parse as
// one: the reading needs the comparison or comment that makes it a query
// fragment.

// sqlCondition reports a blind-injection condition in lower-cased s:
//
//   - CASE WHEN a <op> b THEN: a boolean probe (sqlmap's blind payloads);
//   - a value that opens with OR/AND/XOR and a tautology (or 1=1,
//     and 2=2#, ' or 'a'='a), a comparison of two numbers (and 1=0,
//     or 2>1: the false and true halves of a boolean probe), or with
//     OR/AND EXISTS(: a condition appended to a WHERE clause;
//   - ORDER BY n followed by a comment: counting a query's columns.
func sqlCondition(s string) (off, end, score int, ok bool) {
	var buf [12]tok
	if i := indexWord(s, "case"); i >= 0 {
		if t := lexN(s, i, buf[:8]); caseWhenCondition(t, s) {
			return i, t[len(t)-1].end, 7, true
		}
	}
	t := lexN(s, 0, buf[:8])
	k := 0
	for k < len(t) && (t[k].k == tOpenStr || t[k].k == tStr || t[k].k == tNum || t[k].k == tRParen) && k < 2 {
		k++ // the value the condition is appended to: 1 or ..., ' or ...
	}
	if k < len(t) && t[k].k == tLogic && t[k].text(s) != "not" {
		if tautology(t[k+1:], s) || numericConstant(t[k+1:], s) {
			return t[k].start, t[len(t)-1].end, 7, true
		}
		if k+2 < len(t) && t[k+1].text(s) == "exists" && (t[k+2].k == tLParen || t[k+2].k == tRParen) {
			return t[k].start, t[k+2].end, 7, true
		}
	}
	if len(t) >= 4 && t[0].text(s) == "order" && t[1].text(s) == "by" && t[2].k == tNum && t[3].k == tComment {
		return 0, t[3].end, 7, true
	}
	return 0, 0, 0, false
}

// caseWhenCondition reports whether t reads CASE WHEN a <op> b THEN, the
// operands optionally parenthesised.
func caseWhenCondition(t []tok, s string) bool {
	if len(t) < 6 || t[1].text(s) != "when" {
		return false
	}
	k := 2
	if t[k].k == tLParen {
		k++
	}
	if k+3 >= len(t) || !isOperand(t[k], s) || !isComparison(t[k+1], s) || !isOperand(t[k+2], s) {
		return false
	}
	k += 3
	if t[k].k == tRParen {
		k++
	}
	return k < len(t) && t[k].text(s) == "then"
}

// tautology reports whether t opens with a comparison of a literal with
// itself (1=1, 'a'='a, 2>1 is not: only equal literals), optionally
// followed by the end of the value or a comment.
func tautology(t []tok, s string) bool {
	if len(t) < 3 || !isComparison(t[1], s) || t[1].text(s) != "=" {
		return false
	}
	a, b := t[0], t[2]
	if a.k != tNum && a.k != tStr || b.k != tNum && b.k != tStr && b.k != tOpenStr {
		return false
	}
	av := strings.Trim(a.text(s), `'"`)
	bv := strings.Trim(b.text(s), `'"`)
	if av != bv {
		return false
	}
	return len(t) == 3 || t[3].k == tComment || t[3].k == tLogic || t[3].k == tSemi
}

// numericConstant reports whether t opens with a comparison of two
// numbers (1=0, 2 > 1), optionally followed by the end of the value or a
// comment: a condition whose answer the writer already knows, which only
// a probe asks. A column compared with a number is a filter, not this.
func numericConstant(t []tok, s string) bool {
	if len(t) < 3 || t[0].k != tNum || !isComparison(t[1], s) || t[2].k != tNum {
		return false
	}
	return len(t) == 3 || t[3].k == tComment || t[3].k == tSemi
}
