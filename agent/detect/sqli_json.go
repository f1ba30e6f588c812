package detect

import "strings"

// sqlJSONOperator finds JSON queried inside SQL, which lets an injection
// build a tautology that no numeric or string comparison shows: a string
// literal holding a JSON document followed by a JSON operator (->, ->>, #>,
// @>, <@, ?, ?|, ?&, or a comparison with a '$.path') and a literal or
// ARRAY[...] operand ('{"a":2}' -> '$.a' = 2), or a JSON function called
// right after OR/AND (OR json_extract('{...}', '$.name') = 'x').
func sqlJSONOperator(s string) (off, end int, ok bool) {
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
		j := skipSpace(s, q+1)
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
		k := skipSpace(s, j+len(op))
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
			i := indexWord(s[off:], w)
			if i < 0 {
				break
			}
			i += off
			a := skipSpace(s, i+len(w))
			b := a
			for b < len(s) && isWord(s[b]) {
				b++
			}
			if b > a && b < len(s) && s[b] == '(' && sqlJSONFunc(s[a:b]) && a > i+len(w) {
				if c := skipSpace(s, b+1); c < len(s) && (s[c] == '\'' || s[c] == '"' || isWord(s[c])) {
					return i, b + 1, true
				}
			}
			off = i + len(w)
		}
	}
	return 0, 0, false
}

// sqlJSONFunc reports whether w names a SQL JSON query function (MySQL,
// SQLite, PostgreSQL, SQL Server).
func sqlJSONFunc(w string) bool {
	switch w {
	case "json_extract", "json_value", "json_query", "json_contains", "json_contains_path", "json_search", "json_unquote",
		"json_type", "json_valid", "json_length", "json_overlaps", "json_each", "json_tree", "jsonb_extract_path",
		"jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "jsonb_path_query", "jsonb_path_exists",
		"json_array_length", "jsonb_array_length", "openjson", "isjson":
		return true
	}
	return false
}
