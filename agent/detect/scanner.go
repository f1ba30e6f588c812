package detect

import (
	"math/bits"
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// attackTools appear in the User-Agent of attack tools and vulnerability
// scanners (lower case).
var attackTools = [...]string{
	"sqlmap", "nikto", "nuclei", "nmap", "masscan", "zgrab", "wpscan", "dirbuster", "gobuster", "ffuf",
	"feroxbuster", "acunetix", "netsparker", "invicti", "w3af", "arachni", "havij", "openvas", "nessus",
	"zmeu", "morfeus", "jorgee", "skipfish", "whatweb", "hydra", "commix", "fimap", "xsstrike", "dirb/",
	"wfuzz", "jaeles", "bsqlbf", "sqlninja", "pangolin", "webinspect", "appscan", "paros", "webshag",
	"wapiti", "x-scan", "nsauditor", "httprint", "brutus", "grabber", "metis", "vega/", "zap/", "owasp zap",
	"burp", "qualys", "nuclei", "interactsh", "log4j-scan", "struts-pwn", "sqlsus", "mysqloit", "absinthe",
	"black widow", "blackwidow", "webvulnscan", "cgichk", "n-stealth", "nstealth", "webtrends security",
	"sf/", "floodgate", "fuzz faster", "crimscanner", "teh forest lobster", "webreaper", "jbrofuzz",
	"dotdotpwn", "zgrab", "masscan-ng", "pmafind", "ddos", "scanbot", "python-urllib/1", "morpheus fucking",
	"mozilla/5.0 (compatible; nmap", "censysinspect", "expanse", "netsystemsresearch", "internet-measurement",
}

var researchScanners = map[string]bool{"censysinspect": true, "expanse": true, "netsystemsresearch": true, "internet-measurement": true, "qualys": true}

// attackToolIndex searches attackTools in one pass over a User-Agent.
var attackToolIndex = lex.NewFirstIndex(attackTools[:])

// detectScanner judges a User-Agent header for attack tools and scanners.
func (in *input) detectScanner() {
	if !in.e.Enabled(Scanner) {
		return
	}
	if k, i := attackToolIndex.Find(in.lower(), nil); k >= 0 {
		sc := 8
		if researchScanners[attackTools[k]] {
			sc = 5
		}
		in.emit(Scanner, "scanner-user-agent", sc, i, i+32)
	}
}

// oastDomains receive out-of-band callbacks from blind injection payloads.
var oastDomains = [...]string{"burpcollaborator.net", "oastify.com", "interact.sh", "interactsh.com", "oast.pro", "oast.live", "oast.site", "oast.online", "oast.fun", "oast.me", "dnslog.cn", "ceye.io", "canarytokens.com", "xss.ht", "bxss.me", "dnslog.link", "requestbin.net", "webhook.site", "pingb.in", "dnsbin.zhack.ca", "r87.me", "xss.report", "ezxss"}

// oastAfterDot maps the byte after a dot to the oastDomains (one bit
// each) whose first dot it follows, and oastDot is where each domain's
// first dot is: a value is read at its dots, not once per domain.
var oastAfterDot, oastDot = func() (after [256]uint32, dot [len(oastDomains)]int) {
	for k, d := range oastDomains {
		dot[k] = strings.IndexByte(d, '.')
		if dot[k] >= 0 && dot[k]+1 < len(d) {
			after[d[dot[k]+1]] |= 1 << k
		}
	}
	return after, dot
}()

// detectOAST finds out-of-band interaction domains anywhere in a value.
func (in *input) detectOAST() {
	if !in.e.Enabled(Scanner) || !in.mask.has(bDot) {
		return
	}
	s := in.lower()
	for off := 0; off < len(s); {
		i := strings.IndexByte(s[off:], '.')
		if i < 0 || off+i+1 >= len(s) {
			break
		}
		i += off
		for cand := oastAfterDot[s[i+1]]; cand != 0; cand &= cand - 1 {
			k := bits.TrailingZeros32(cand)
			d := oastDomains[k]
			st := i - oastDot[k]
			if st >= 0 && st+len(d) <= len(s) && s[st:st+len(d)] == d && (st+len(d) == len(s) || !isWord(s[st+len(d)])) {
				in.emit(Scanner, "oast-domain", 7, st, st+len(d))
				return
			}
		}
		off = i + 1
	}
	// the names without a dot, anywhere
	for _, d := range oastDomains {
		if strings.IndexByte(d, '.') < 0 {
			if i := strings.Index(s, d); i >= 0 && (i+len(d) == len(s) || !isWord(s[i+len(d)])) {
				in.emit(Scanner, "oast-domain", 7, i, i+len(d))
				return
			}
		}
	}
}

// probePaths are requested by scanners looking for leaked files and admin
// consoles; a serverless API has none of them.
var probePaths = [...]string{"/.git/", "/.git", "/.env", "/.aws/", "/.ssh/", "/.svn/", "/.hg/", "/.ds_store", "/.htaccess", "/.htpasswd", "/wp-login.php", "/wp-admin", "/xmlrpc.php", "/phpmyadmin", "/pma/", "/cgi-bin/", "/server-status", "/server-info", "/actuator/", "/boaform", "/hnap1", "/vendor/phpunit", "/phpunit", "/.well-known/security.txt.bak", "/config.php.bak", "/wp-config.php", "/.vscode/", "/.idea/", "/web.config", "/solr/admin", "/jmx-console", "/manager/html", "/console/login", "/_ignition/", "/telescope/", "/elmah.axd", "/trace.axd", "/.dockerenv", "/docker-compose.yml", "/backup.sql", "/dump.sql", "/db.sql", "/shell.php", "/cmd.php", "/c99.php", "/r57.php", "/webshell", "/owa/auth", "/autodiscover/autodiscover.xml", "/remote/fgt_lang", "/etc/passwd", "/debug/pprof", "/.npmrc", "/.dockercfg"}

// detectProbe judges a request path for scanner probes.
func (in *input) detectProbe() {
	if !in.e.Enabled(Scanner) {
		return
	}
	s := in.lower()
	for _, p := range probePaths {
		if i := strings.Index(s, p); i >= 0 {
			e := i + len(p)
			if p[len(p)-1] != '/' && e < len(s) && (isWord(s[e]) || s[e] == '-') {
				continue
			}
			in.emit(Scanner, "scanner-probe", 6, i, e+16)
			return
		}
	}
}
