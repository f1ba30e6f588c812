package sql

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// The vocabulary the SQL readings share: the functions injection calls, the
// words only SQL uses, the words SQL reserves.

// Func reports whether the word names a SQL function that injection uses
// for timing, file access or error-based extraction.
func Func(w string) int {
	switch w {
	case "sleep", "pg_sleep", "benchmark", "randomblob", "dbms_pipe.receive_message", "dbms_lock.sleep", "load_file", "extractvalue", "updatexml", "xp_cmdshell", "utl_http.request", "utl_inaddr.get_host_address", "dbms_ldap.init", "make_set", "elt", "sys_eval", "sys_exec", "lo_import", "lo_export", "pg_read_file", "exp", "geometrycollection", "polygon", "multipoint", "json_keys", "gtid_subset", "name_const", "xmltype", "find_in_set", "sqlite_compileoption_used", "sqlite_compileoption_get", "sqlite_version", "load_extension", "starts_with", "jsonb_pretty", "json_build_object", "current_setting", "pg_ls_dir", "pg_read_binary_file", "sysdate", "db_name", "schema_name", "procedure_analyse", "row_count", "found_rows", "uuid_short", "master_pos_wait", "get_lock", "release_lock", "is_srvrolemember", "has_dbaccess", "openrowset", "opendatasource", "lo_get", "lo_from_bytea", "lo_put":
		return 8
	case "char", "chr", "concat", "concat_ws", "group_concat", "ascii", "substring", "substr", "mid", "ord", "hex", "unhex", "cast", "convert", "count", "version", "database", "user", "current_user", "system_user", "schema", "length", "if", "iif", "ifnull", "nullif", "coalesce", "case", "md5", "sha1", "rand", "floor", "char_length", "lower", "upper", "left", "right", "instr", "locate", "waitfor", "user_name", "@@version", "session_user", "pg_user", "sin", "cos", "tan", "pow", "power", "trim", "ltrim", "rtrim", "abs", "ceil", "ceiling", "sqrt", "log", "ln", "round", "sign", "now", "curdate", "curtime", "bin", "oct", "soundex", "reverse", "repeat", "space", "strcmp", "field", "elt_", "export_set", "insert", "lpad", "rpad", "current_date", "current_time", "localtime", "utc_date", "last_insert_id", "connection_id", "charset", "collation", "coercibility", "benchmark_", "encode", "decode", "aes_encrypt", "aes_decrypt", "compress", "uncompress", "to_base64", "from_base64", "quote", "nvl", "isnull", "datalength", "len":
		return 5
	}
	return 0
}

// KeywordIn reports whether s holds a word that only SQL uses in
// injections: statements, UNION, timing and file functions.
func KeywordIn(s string) bool {
	l := strings.ToLower(s)
	for _, w := range [...]string{"select", "union", "insert", "update", "delete", "drop", "exec", "sleep", "benchmark", "waitfor", "from", "where", "having", "order by", "group by", "null", "char(", "concat", "0x"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// ReservedWordIn reports whether lower-cased s has a word (a run of
// letters) that SQL reserves (Reserved).
func ReservedWordIn(s string) bool {
	for i := 0; i < len(s); {
		if !lex.IsAlpha(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && lex.IsAlpha(s[j]) {
			j++
		}
		if Reserved[s[i:j]] {
			return true
		}
		i = j
	}
	return false
}

// Reserved are the SQL words an injected fragment is made of: clauses,
// logic, literals and the statements injection runs.
var Reserved = map[string]bool{
	"select": true, "union": true, "all": true, "distinct": true, "from": true, "where": true, "and": true, "or": true,
	"xor": true, "not": true, "null": true, "is": true, "like": true, "rlike": true, "regexp": true, "in": true,
	"between": true, "order": true, "group": true, "by": true, "having": true, "limit": true, "offset": true,
	"insert": true, "into": true, "values": true, "update": true, "set": true, "delete": true, "drop": true,
	"table": true, "create": true, "alter": true, "exec": true, "execute": true, "declare": true, "begin": true,
	"end": true, "case": true, "when": true, "then": true, "else": true, "as": true, "on": true, "join": true,
	"true": true, "false": true, "waitfor": true, "delay": true, "procedure": true, "into_outfile": true,
	"outfile": true, "dumpfile": true, "exists": true, "asc": true, "desc": true, "top": true, "dual": true,
	"information_schema": true, "replace": true, "change": true, "modify": true, "rename": true, "add": true,
	"column": true, "enum": true, "character": true, "charset": true, "collate": true, "primary": true, "key": true,
	"default": true, "constraint": true, "references": true, "index": true, "unique": true, "engine": true,
	"int": true, "varchar": true, "text": true, "unsigned": true, "view": true, "database": true, "schema": true, "merge": true, "call": true, "with": true, "sysobjects": true, "shutdown": true, "truncate": true, "grant": true,
}

// JSONFunc reports whether w names a SQL JSON query function (MySQL,
// SQLite, PostgreSQL, SQL Server).
func JSONFunc(w string) bool {
	switch w {
	case "json_extract", "json_value", "json_query", "json_contains", "json_contains_path", "json_search", "json_unquote",
		"json_type", "json_valid", "json_length", "json_overlaps", "json_each", "json_tree", "jsonb_extract_path",
		"jsonb_extract_path_text", "json_extract_path", "json_extract_path_text", "jsonb_path_query", "jsonb_path_exists",
		"json_array_length", "jsonb_array_length", "openjson", "isjson":
		return true
	}
	return false
}
