package leak

import (
	"bytes"
)

// A marker is a literal that, with an optional check of its surroundings,
// identifies a line to mask.
type marker struct {
	lit   string
	check func(line []byte, at int) bool // at is the literal's offset in line
}

// followedByDigit reports whether line[at+len(lit):] starts with a digit.
func followedByDigit(lit string) func([]byte, int) bool {
	return func(line []byte, at int) bool {
		p := at + len(lit)
		return p < len(line) && isDigit(line[p])
	}
}

// frameWithAt requires "at " earlier on the line (Java and Node frames).
func frameWithAt(lit string) func([]byte, int) bool {
	d := followedByDigit(lit)
	return func(line []byte, at int) bool {
		return d(line, at) && bytes.Contains(line[:at], []byte("at "))
	}
}

var traceMarkers = []marker{
	{lit: "goroutine ", check: func(line []byte, at int) bool {
		p := at + len("goroutine ")
		for p < len(line) && isDigit(line[p]) {
			p++
		}
		return p > at+len("goroutine ") && bytes.HasPrefix(line[p:], []byte(" ["))
	}},
	{lit: "panic: ", check: func(line []byte, at int) bool { return at == 0 }},
	{lit: ".go:", check: func(line []byte, at int) bool {
		return followedByDigit(".go:")(line, at) && (bytes.Contains(line[at:], []byte(" +0x")) || bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("/")))
	}},
	{lit: "Exception in thread \""},
	{lit: ".java:", check: frameWithAt(".java:")},
	{lit: "(Native Method)", check: func(line []byte, at int) bool { return bytes.Contains(line[:at], []byte("at ")) }},
	{lit: "Caused by: ", check: func(line []byte, at int) bool {
		return bytes.Contains(line[at:], []byte("Exception")) || bytes.Contains(line[at:], []byte("Error"))
	}},
	{lit: "Traceback (most recent call last)"},
	{lit: "\", line ", check: func(line []byte, at int) bool {
		return followedByDigit("\", line ")(line, at) && bytes.Contains(line[:at], []byte("File \""))
	}},
	{lit: ".js:", check: frameWithAt(".js:")},
	{lit: ".mjs:", check: frameWithAt(".mjs:")},
	{lit: ".cjs:", check: frameWithAt(".cjs:")},
	{lit: ".ts:", check: frameWithAt(".ts:")},
	{lit: "at process.processTicksAndRejections"},
}

var dbMarkers = []marker{
	// MySQL / MariaDB
	{lit: "You have an error in your SQL syntax"},
	{lit: "Warning: mysql_"},
	{lit: "MySqlException"},
	{lit: "com.mysql.jdbc"},
	{lit: "MySQLSyntaxErrorException"},
	{lit: "ER_PARSE_ERROR"},
	{lit: "SQLSTATE["},
	// PostgreSQL
	{lit: "syntax error at or near"},
	{lit: "unterminated quoted string at or near"},
	{lit: "PSQLException"},
	{lit: "org.postgresql.util"},
	{lit: "pq: ", check: func(line []byte, at int) bool { return at == 0 || !isAlnum(line[at-1]) }},
	{lit: "PG::"},
	{lit: "psycopg2.errors"},
	// SQL Server
	{lit: "Unclosed quotation mark after the character string"},
	{lit: "Incorrect syntax near"},
	{lit: "Microsoft OLE DB Provider for SQL Server"},
	{lit: "[Microsoft][ODBC SQL Server Driver]"},
	{lit: "System.Data.SqlClient.SqlException"},
	{lit: "Microsoft.Data.SqlClient.SqlException"},
	// Oracle
	{lit: "ORA-", check: func(line []byte, at int) bool {
		p := at + 4
		if p+5 > len(line) || (at > 0 && isAlnum(line[at-1])) {
			return false
		}
		for k := p; k < p+5; k++ {
			if !isDigit(line[k]) {
				return false
			}
		}
		return true
	}},
	{lit: "quoted string not properly terminated"},
	{lit: "oracle.jdbc"},
	// SQLite
	{lit: "SQLITE_ERROR"},
	{lit: "sqlite3.OperationalError"},
	{lit: "SQLite3::"},
	{lit: "SQLiteException"},
	{lit: "unrecognized token:"},
}

// markers masks each line holding a marker literal.
func (s *scanner) markers(k Kind, ms []marker) {
	t := s.text
	for _, m := range ms {
		lit := []byte(m.lit)
		off := 0
		for {
			p := bytes.Index(t[off:], lit)
			if p < 0 {
				break
			}
			at := off + p
			ls := lineStart(t, at)
			le, complete := lineEnd(t, at+len(lit))
			if !complete && !s.atEOF {
				s.hold(ls)
				break
			}
			off = at + len(lit)
			if m.check != nil && !m.check(t[ls:le], at-ls) {
				continue
			}
			s.add(k, ls, le)
			if le > off {
				off = le
			}
		}
	}
}

// lineStart finds the start of the line holding at: after a newline (or a
// JSON-escaped "\n"), at most maxLine bytes back.
func lineStart(t []byte, at int) int {
	i := at
	for i > 0 && at-i < maxLine {
		c := t[i-1]
		if c == '\n' || c == '\r' {
			break
		}
		if (c == 'n' || c == 'r' || c == 't') && i >= 2 && t[i-2] == '\\' {
			break
		}
		i--
	}
	return i
}

// lineEnd finds the end of the line holding at, at most maxLine bytes on.
// complete is false when the text ended first.
func lineEnd(t []byte, at int) (int, bool) {
	i := at
	for i < len(t) {
		if i-at >= maxLine {
			return i, true
		}
		c := t[i]
		if c == '\n' || c == '\r' {
			return i, true
		}
		if c == '\\' && i+1 < len(t) && (t[i+1] == 'n' || t[i+1] == 'r') {
			return i, true
		}
		i++
	}
	return i, false
}
