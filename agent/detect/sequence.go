package detect

import (
	"fmt"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// detector names one step of judge's sequence. The sequence is data so
// that the serial and the concurrent judgement (judgeConcurrently) follow
// one order; run dispatches with direct calls, which keep the input off
// the heap (a table of method values would not).
type detector uint8

const (
	dJNDI detector = iota
	dXXE
	dSSTI
	dNoSQL
	dLDAP
	dHeaderInjection
	dSSI
	dXPath
	dSessionFixation
	dXSS
	dSQLi
	dCmd
	dPath
	dURL
	dCode
	dOAST
	dProbe
)

// sqlFirst is the sequence for most values: the structured languages
// (JNDI, XML, templates, NoSQL, LDAP, headers, SSI, XPath, session
// fixation), SQL, HTML and JavaScript, then commands, paths, URLs, code,
// out-of-band domains and probes.
var sqlFirst = [...]detector{dJNDI, dXXE, dSSTI, dNoSQL, dLDAP, dHeaderInjection, dSSI, dXPath, dSessionFixation,
	dSQLi, dXSS, dCmd, dPath, dURL, dCode, dOAST, dProbe}

// htmlFirst is the sequence for a value that holds an HTML element: the
// same, with HTML before SQL.
var htmlFirst = [...]detector{dJNDI, dXXE, dSSTI, dNoSQL, dLDAP, dHeaderInjection, dSSI, dXPath, dSessionFixation,
	dXSS, dSQLi, dCmd, dPath, dURL, dCode, dOAST, dProbe}

// browserOnly is the sequence for a reading that only a browser takes:
// HTML character references decoded (judge).
var browserOnly = [...]detector{dXSS}

// run runs one detector over the input.
func (in *input) run(d detector) {
	switch d {
	case dJNDI:
		in.detectJNDI()
	case dXXE:
		in.detectXXE()
	case dSSTI:
		in.detectSSTI()
	case dNoSQL:
		in.detectNoSQL()
	case dLDAP:
		in.detectLDAP()
	case dHeaderInjection:
		in.detectHeaderInjection()
	case dSSI:
		in.detectSSI()
	case dXPath:
		in.detectXPath()
	case dSessionFixation:
		in.detectSessionFixation()
	case dXSS:
		in.detectXSS()
	case dSQLi:
		in.detectSQLi()
	case dCmd:
		in.detectCmd()
	case dPath:
		in.detectPath()
	case dURL:
		in.detectURL()
	case dCode:
		in.detectCode()
	case dOAST:
		in.detectOAST()
	case dProbe:
		if in.v.Part == event.PartPath {
			in.detectProbe()
		}
	default:
		panic(fmt.Sprintf("detect: no detector %d", d))
	}
}
