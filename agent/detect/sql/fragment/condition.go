package fragment

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/sql"
)

// Blind SQL injection conditions: the probes that ask the database a
// yes/no question without breaking out of a quote. Each is read from the
// SQL tokens of the value, so prose that happens to contain the words
// ("in case when it rains, then...", "order by date") does not parse as
// one: the reading needs the comparison or comment that makes it a query
// fragment.

// Condition reports a blind-injection condition in lower-cased s:
//
//   - CASE WHEN a <op> b THEN: a boolean probe (sqlmap's blind payloads);
//   - a value that opens with OR/AND/XOR, WHERE or HAVING and a
//     tautology (or 1=1,
//     and 2=2#, ' or 'a'='a), a comparison of two numbers (and 1=0,
//     or 2>1: the false and true halves of a boolean probe), or with
//     OR/AND EXISTS(: a condition appended to a WHERE clause;
//   - WHERE or HAVING and such a comparison after a few words (as x
//     where 1=1 and 1=0);
//   - ORDER BY n (or n,m,…) alone or followed by a comment: counting a
//     query's columns.
func Condition(s string) (off, end, score int, ok bool) {
	var buf [12]sql.Token
	if i := lex.IndexWord(s, "case"); i >= 0 {
		if t := sql.LexN(s, i, buf[:8]); caseWhenCondition(t, s) {
			return i, t[len(t)-1].End, 7, true
		}
	}
	t := sql.LexN(s, 0, buf[:8])
	k := 0
	for k < len(t) && (t[k].Kind == sql.OpenStr || t[k].Kind == sql.Str || t[k].Kind == sql.Num || t[k].Kind == sql.RParen) && k < 2 {
		k++ // the value the condition is appended to: 1 or ..., ' or ...
	}
	if k < len(t) && (t[k].Kind == sql.Logic && t[k].Text(s) != "not" || clauseLead(t[k], s)) {
		if tautology(t[k+1:], s) || numericConstant(t[k+1:], s) {
			return t[k].Start, t[len(t)-1].End, 7, true
		}
		if k+2 < len(t) && t[k+1].Text(s) == "exists" && (t[k+2].Kind == sql.LParen || t[k+2].Kind == sql.RParen) {
			return t[k].Start, t[k+2].End, 7, true
		}
	}
	for j := k + 1; j < len(t)-3 && j <= 4; j++ {
		// WHERE or HAVING after a few words (as x where 1=1 and 1=0):
		// the value closes a table reference and sets its own filter
		if clauseLead(t[j], s) && (tautology(t[j+1:], s) || numericConstant(t[j+1:], s)) {
			return t[j].Start, t[len(t)-1].End, 7, true
		}
	}
	if len(t) >= 3 && t[0].Text(s) == "order" && t[1].Text(s) == "by" && t[2].Kind == sql.Num && columnCount(t[2:], s) {
		return 0, t[len(t)-1].End, 7, true
	}
	return 0, 0, 0, false
}

// columnCount reports whether t, after ORDER BY, is what a probe counting
// a query's columns writes: column numbers (2, or 1,2,3) and then a
// comment or the end of the value. Prose that orders by a number goes on
// with words ("order by 5 pm").
func columnCount(t []sql.Token, s string) bool {
	// t is a prefix of the value's tokens: the value ends with the last
	// one only if nothing but blanks follows it
	for k := 0; k < len(t); k++ {
		switch {
		case t[k].Kind == sql.Num && (k == 0 || t[k-1].Kind == sql.Comma):
		case t[k].Kind == sql.Comma && k > 0 && t[k-1].Kind == sql.Num:
		case t[k].Kind == sql.Comment && k > 0 && t[k-1].Kind == sql.Num:
			return true
		default:
			return false
		}
	}
	return t[len(t)-1].Kind == sql.Num && strings.TrimSpace(s[t[len(t)-1].End:]) == ""
}

// caseWhenCondition reports whether t reads CASE WHEN a <op> b THEN, the
// operands optionally parenthesised.
func caseWhenCondition(t []sql.Token, s string) bool {
	if len(t) < 6 || t[1].Text(s) != "when" {
		return false
	}
	k := 2
	if t[k].Kind == sql.LParen {
		k++
	}
	if k+3 >= len(t) || !sql.IsOperand(t[k], s) || !sql.IsComparison(t[k+1], s) || !sql.IsOperand(t[k+2], s) {
		return false
	}
	k += 3
	if t[k].Kind == sql.RParen {
		k++
	}
	return k < len(t) && t[k].Text(s) == "then"
}

// tautology reports whether t opens with a comparison of a literal with
// itself (1=1, 'a'='a, 2>1 is not: only equal literals), optionally
// followed by the end of the value or a comment.
func tautology(t []sql.Token, s string) bool {
	if len(t) < 3 || !sql.IsComparison(t[1], s) || t[1].Text(s) != "=" {
		return false
	}
	a, b := t[0], t[2]
	if a.Kind == sql.Word && b.Kind == sql.Word && a.Text(s) == b.Text(s) {
		// a column compared with itself (or x=x#): true for every row,
		// as a probe writes it, with a comment cutting off the rest
		return len(t) > 3 && t[3].Kind == sql.Comment
	}
	if a.Kind != sql.Num && a.Kind != sql.Str || b.Kind != sql.Num && b.Kind != sql.Str && b.Kind != sql.OpenStr {
		return false
	}
	av := strings.Trim(a.Text(s), `'"`)
	bv := strings.Trim(b.Text(s), `'"`)
	if av != bv {
		return false
	}
	return len(t) == 3 || t[3].Kind == sql.Comment || t[3].Kind == sql.Logic || t[3].Kind == sql.Semi
}

// numericConstant reports whether t opens with a comparison of two
// numbers (1=0, 2 > 1), optionally followed by the end of the value or a
// comment, or by another condition (and 1=0 and '%'='): a condition
// whose answer the writer already knows, which only a probe asks. A
// column compared with a number is a filter, not this.
func numericConstant(t []sql.Token, s string) bool {
	if len(t) < 3 || t[0].Kind != sql.Num || !sql.IsComparison(t[1], s) || t[2].Kind != sql.Num {
		return false
	}
	return len(t) == 3 || t[3].Kind == sql.Comment || t[3].Kind == sql.Semi || t[3].Kind == sql.Logic
}

// clauseLead reports whether t is WHERE or HAVING: a clause that, opening
// the value, sets the condition the rows are filtered by (having 1=1#,
// where 1=1 and 1=0--).
func clauseLead(t sql.Token, s string) bool {
	return t.Kind == sql.Word && (t.Text(s) == "where" || t.Text(s) == "having")
}
