package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// pattCommit pins swisskyrepo/PayloadsAllTheThings; fetch.sh checks out
// exactly this commit.
const pattCommit = "f9fa51417886ac11476cb62db2dff21773dc570b"

// pattLists are the payload lists of PayloadsAllTheThings for the families
// the other sources lack, one family per file; every line is a case.
var pattLists = map[string]string{
	"NoSQL Injection/Intruder/MongoDB.txt":              "nosql",
	"NoSQL Injection/Intruder/NoSQL.txt":                "nosql",
	"LDAP Injection/Intruder/LDAP_FUZZ.txt":             "ldap",
	"LDAP Injection/Intruder/LDAP_FUZZ_SMALL.txt":       "ldap",
	"Server Side Include Injection/Files/ssi_esi.txt":   "ssi",
	"Server Side Template Injection/Intruder/ssti.fuzz": "ssti",
	"CRLF Injection/Files/crlfinjection.txt":            "crlf",
}

// pattPages are the pages of PayloadsAllTheThings whose fenced code blocks
// hold one payload per line, with the family of each page. A page's code
// blocks also hold vulnerable code, HTTP exchanges and exploit scripts, so
// a line is a case only when it carries the syntax that makes the family
// what it is (pattMarkers): a template delimiter for SSTI, a Mongo
// operator for NoSQL, a filter bracket for LDAP, a lookup for JNDI.
var pattPages = map[string]string{
	"NoSQL Injection/README.md":                                 "nosql",
	"LDAP Injection/README.md":                                  "ldap",
	"XPATH Injection/README.md":                                 "xpath",
	"Server Side Include Injection/README.md":                   "ssi",
	"Server Side Template Injection/README.md":                  "ssti",
	"Server Side Template Injection/ASP.md":                     "ssti",
	"Server Side Template Injection/Elixir.md":                  "ssti",
	"Server Side Template Injection/Java.md":                    "ssti",
	"Server Side Template Injection/JavaScript.md":              "ssti",
	"Server Side Template Injection/PHP.md":                     "ssti",
	"Server Side Template Injection/Python.md":                  "ssti",
	"Server Side Template Injection/Ruby.md":                    "ssti",
	"CRLF Injection/README.md":                                  "crlf",
	"Server Side Request Forgery/README.md":                     "ssrf",
	"Server Side Request Forgery/SSRF-Advanced-Exploitation.md": "ssrf",
	"Server Side Request Forgery/SSRF-Cloud-Instances.md":       "ssrf",
	"Prototype Pollution/README.md":                             "prototype-pollution",
	"CVE Exploits/Log4Shell.md":                                 "jndi",
	"Insecure Deserialization/Java.md":                          "deserialization",
	"Insecure Deserialization/PHP.md":                           "deserialization",
	"Insecure Deserialization/Python.md":                        "deserialization",
	"Insecure Deserialization/DotNET.md":                        "deserialization",
	"Insecure Deserialization/Ruby.md":                          "deserialization",
	"Insecure Deserialization/Node.md":                          "deserialization",
}

// pattMarkers say which lines of a family's code blocks are payloads: the
// family's own syntax, as its grammar defines it, not any detector's
// vocabulary of known payloads.
var pattMarkers = map[string]*regexp.Regexp{
	"nosql":               regexp.MustCompile(`[\[{"'\s,:]\$[a-zA-Z]+|\$where|\|\|\s*['"\d]|this\.`),
	"ldap":                regexp.MustCompile(`\)\(|\*\)|\(\||\(&|\(!`),
	"xpath":               regexp.MustCompile(`'|"|\(\)|^/|\]`),
	"ssi":                 regexp.MustCompile(`<!--#|<esi:`),
	"ssti":                regexp.MustCompile(`\{\{|\$\{|<%|#\{|\*\{|\{%|#set|#foreach|\[\[|@\(|<#`),
	"crlf":                regexp.MustCompile(`(?i)%0d|%0a|%e5%98|\\r\\n|嘊|嘍`),
	"ssrf":                regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$|^\[?[0-9a-fA-Fx:.\[\]]+\]?(:\d+)?(/\S*)?$`),
	"prototype-pollution": regexp.MustCompile(`__proto__|constructor[\]\["'.]+prototype`),
	"jndi":                regexp.MustCompile(`\$\{`),
	"deserialization":     regexp.MustCompile(`rO0AB|(?i:aced0005)|\b[OaCs]:\d+:|_\$\$ND_FUNC\$\$_|gASV|\bc(os|posix|subprocess|__builtin__)\b|!!python/|!ruby/|AAEAAAD/////|"\$type"`),
}

// payloadsAllTheThings reads the lists and the code blocks of the pages.
func payloadsAllTheThings(root string) ([]item, error) {
	items, err := listFile(pattLists, "#")(root)
	if err != nil {
		return nil, err
	}
	for _, page := range sortedKeys(pattPages) {
		family := pattPages[page]
		b, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			return nil, err
		}
		for _, l := range codeBlockLines(string(b)) {
			if strings.Contains(strings.ToLower(l), "gotestwaf") {
				continue // nothing from GoTestWAF, not even a quote of it
			}
			if pattMarkers[family].MatchString(l) {
				items = append(items, item{family, l})
			}
		}
	}
	return items, nil
}

// codeBlockLines returns the lines inside the fenced code blocks of a
// markdown page, trimmed, without blank lines and comment lines ("# ...",
// "// ...").
func codeBlockLines(page string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(strings.ReplaceAll(page, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			in = !in
			continue
		}
		if !in || t == "" || strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "//") {
			continue
		}
		out = append(out, t)
	}
	return out
}

// sortedKeys returns m's keys in order, so that extraction is repeatable.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
