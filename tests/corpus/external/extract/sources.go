package main

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/tests/corpus/external"
)

// npmReadmes are general-purpose npm packages whose READMEs give benign
// prose and code (none of them is about security, so their code blocks are
// ordinary code, not quoted attacks).
var npmReadmes = []string{
	"express-5.3.0", "axios-1.21.1", "commander-15.1.0", "yargs-18.2.0", "moment-2.31.0",
	"debug-4.4.3", "marked-18.2.1", "ajv-8.20.0", "semver-7.8.6", "minimist-1.2.8",
	"cheerio-1.2.0", "body-parser-2.4.0", "request-2.88.2",
}

// sources is every external source: what it is, where it comes from, and
// how its cases are read. fetch.sh downloads exactly these versions.
var sources = []source{
	{external.Source{Name: "wfuzz-injections", Package: "wfuzz", Version: "3.1.0-2", Registry: "debian bookworm", License: "GPL-2.0",
		Files: "usr/share/wfuzz/wordlist/Injections/{SQL,XSS,XML,Traversal}.txt, wordlist/vulns/sql_inj.txt", Dir: "wfuzz"},
		listFile(map[string]string{
			"usr/share/wfuzz/wordlist/Injections/SQL.txt":       "sqli",
			"usr/share/wfuzz/wordlist/Injections/XSS.txt":       "xss",
			"usr/share/wfuzz/wordlist/Injections/XML.txt":       "xml",
			"usr/share/wfuzz/wordlist/Injections/Traversal.txt": "path",
			"usr/share/wfuzz/wordlist/vulns/sql_inj.txt":        "sqli",
		})},
	{external.Source{Name: "wfuzz-traversal", Package: "wfuzz", Version: "3.1.0-2", Registry: "debian bookworm", License: "GPL-2.0",
		Files: "usr/share/wfuzz/wordlist/vulns/dirTraversal{,-nix,-win}.txt ({FILE} filled with etc/passwd)", Dir: "wfuzz"},
		wfuzzTraversal},
	{external.Source{Name: "wapiti", Package: "wapiti", Version: "3.0.4+dfsg-2", Registry: "debian bookworm", License: "GPL-2.0",
		Files: "wapitiCore/data/attacks/{xssPayloads,xxePayloads,fileHandlingPayloads}.ini, {blindSQL,exec}Payloads.txt", Dir: "wapiti"},
		wapiti},
	{external.Source{Name: "sqlmap", Package: "sqlmap", Version: "1.7.2-1", Registry: "debian bookworm", License: "GPL-2.0",
		Files: "usr/share/sqlmap/data/xml/payloads/*.xml (request payloads, placeholders filled)", Dir: "sqlmap"},
		sqlmapPayloads},
	{external.Source{Name: "blns", Package: "blns", Version: "2.0.4", Registry: "npm", License: "MIT",
		Files: "resources/blns.txt (injection sections are attacks, the rest benign)", Dir: "blns-2.0.4"},
		blns},
	{external.Source{Name: "libinjection", Package: "github.com/corazawaf/libinjection-go", Version: "v0.3.5", Registry: "go module", License: "BSD-3-Clause",
		Files: "tests/test-sqli-*.txt, tests/test-xss-*.txt with a non-empty expectation", Dir: "libinjection-go"},
		libinjection},
	{external.Source{Name: "manpages", Package: "manpages", Version: "6.03-2", Registry: "debian bookworm", License: "Linux man-pages licences (GPL-2.0+, BSD, verbatim)",
		Files: "usr/share/man/man*/*.gz: paragraphs (prose) and example blocks (code)", Dir: "manpages"},
		manPages},
	{external.Source{Name: "npm-readmes", Package: strings.Join(npmReadmes, " "), Version: "as named", Registry: "npm", License: "MIT (all)",
		Files: "package/README.md: paragraphs (prose) and fenced code (code)", Dir: "."},
		readmes(npmReadmes...)},
	{external.Source{Name: "github-webhooks", Package: "@octokit/webhooks-examples", Version: "7.6.1", Registry: "npm", License: "MIT",
		Files: "api.github.com/index.json: every example payload as one JSON body", Dir: "octokit-webhooks-examples-7.6.1"},
		webhooks},
	{external.Source{Name: "payloadsallthethings", Package: "github.com/swisskyrepo/PayloadsAllTheThings", Version: pattCommit, Registry: "github (git commit)", License: "MIT",
		Files: "Intruder/Files lists of NoSQL, LDAP, SSI, SSTI, CRLF injection; fenced code lines carrying the family's syntax on the NoSQL, LDAP, XPath, SSI, SSTI, CRLF, SSRF, prototype pollution, Log4Shell (JNDI) and deserialization pages", Dir: "PayloadsAllTheThings"},
		payloadsAllTheThings},
	{external.Source{Name: "patt-intruders", Package: "github.com/swisskyrepo/PayloadsAllTheThings", Version: pattCommit, Registry: "github (git commit)", License: "MIT",
		Files: "the Intruder lists of XSS, SQL, command injection, XXE and traversal not copied from fuzzdb (pattIntruders in extract/patt_intruders.go)", Dir: "PayloadsAllTheThings"},
		payloadsAllTheThingsIntruders},
	{external.Source{Name: "fuzzdb", Package: "github.com/fuzzdb-project/fuzzdb", Version: fuzzdbCommit, Registry: "github (git commit)", License: "BSD-3-Clause and CC-BY-3.0 (cite: fuzzdb-project/fuzzdb)",
		Files: "attack/: the LDAP, LFI, traversal, NoSQL, command injection (template filled with id), SSI, XPath, CRLF, SQL, XML (CSV cells) and XSS lists, and the Exploit String lines of JHADDIX_XSS_WITH_CONTEXT", Dir: "fuzzdb"},
		fuzzdb},
	{external.Source{Name: "faker", Package: "@faker-js/faker", Version: "10.6.0", Registry: "npm", License: "MIT",
		Files: "values its generators make from its locale data (extract/faker.mjs, fixed seed, 19 locales): names, addresses, companies, products, sentences, e-mail addresses, URLs, user agents, passwords, file paths", Dir: "faker"},
		fakerValues},
	{external.Source{Name: "fortunes", Package: "fortunes fortunes-min", Version: "1:1.99.1-7.3", Registry: "debian bookworm", License: "BSD-3-Clause (debian/copyright)",
		Files: "usr/share/games/fortunes/* but ascii-art: one fortune in six, in file order", Dir: "."},
		fortunes},
}

// wapiti reads wapiti's attack payloads; placeholders are filled the way
// its modules fill them.
func wapiti(root string) ([]item, error) {
	dir := "usr/lib/python3/dist-packages/wapitiCore/data/attacks/"
	var out []item
	for _, r := range []func(string) ([]item, error){
		iniPayloads(dir+"xssPayloads.ini", func(string) string { return "xss" }, wapitiSubst),
		iniPayloads(dir+"xxePayloads.ini", func(string) string { return "xml" }, wapitiSubst),
		iniPayloads(dir+"fileHandlingPayloads.ini", func(s string) string {
			if strings.HasPrefix(s, "remote_") {
				return "rfi"
			}
			return "path"
		}, wapitiSubst),
	} {
		items, err := r(root)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	for _, f := range [][2]string{{"blindSQLPayloads.txt", "sqli"}, {"execPayloads.txt", "cmdi"}} {
		file, family := f[0], f[1]
		ls, err := lines(root + "/" + dir + file)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			out = append(out, item{family, wapitiSubst.Replace(l)})
		}
	}
	return out, nil
}

// wfuzzTraversal reads wfuzz's traversal lists. The generic list leaves
// the target as {FILE} for the user to fill; it is filled with the file
// the Unix list itself targets.
func wfuzzTraversal(root string) ([]item, error) {
	items, err := listFile(map[string]string{
		"usr/share/wfuzz/wordlist/vulns/dirTraversal.txt":     "path",
		"usr/share/wfuzz/wordlist/vulns/dirTraversal-nix.txt": "path",
		"usr/share/wfuzz/wordlist/vulns/dirTraversal-win.txt": "path",
	}, "#")(root)
	for i := range items {
		items[i].value = strings.ReplaceAll(items[i].value, "{FILE}", "etc/passwd")
	}
	return items, err
}
