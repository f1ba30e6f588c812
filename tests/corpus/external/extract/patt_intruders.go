package main

import "strings"

// pattIntruders are PayloadsAllTheThings' lists for the families the
// Debian tools already give (XSS, SQL, command injection, XXE, traversal),
// kept apart from the payloadsallthethings source so that they measure
// material the detectors were not tuned on. Left out: the lists it copies
// from fuzzdb (FUZZDB_*, RSNAKE, JHADDIX), the lists of names alone
// (event handlers, files to include, iconv charsets), near-copies
// (xss_alert_identifiable is xss_alert with ids), and the traversal lists
// of hundreds of kilobytes of one shape (deep_traversal, dotdotpwn,
// Traversal, traversals-8-deep-exotic-encoding).
var pattIntruders = map[string]string{
	"XSS Injection/Intruders/BRUTELOGIC-XSS-JS.txt":         "xss",
	"XSS Injection/Intruders/BRUTELOGIC-XSS-STRINGS.txt":    "xss",
	"XSS Injection/Intruders/IntrudersXSS.txt":              "xss",
	"XSS Injection/Intruders/MarioXSSVectors.txt":           "xss",
	"XSS Injection/Intruders/XSSDetection.txt":              "xss",
	"XSS Injection/Intruders/XSS_Polyglots.txt":             "xss",
	"XSS Injection/Intruders/jsonp_endpoint.txt":            "xss",
	"XSS Injection/Intruders/xss_alert.txt":                 "xss",
	"XSS Injection/Intruders/xss_payloads_quick.txt":        "xss",
	"Command Injection/Intruder/command_exec.txt":           "cmdi",
	"Command Injection/Intruder/command-execution-unix.txt": "cmdi",
	"SQL Injection/Intruder/Auth_Bypass.txt":                "sqli",
	"SQL Injection/Intruder/Auth_Bypass2.txt":               "sqli",
	"SQL Injection/Intruder/Generic_ErrorBased.txt":         "sqli",
	"SQL Injection/Intruder/Generic_Fuzz.txt":               "sqli",
	"SQL Injection/Intruder/Generic_TimeBased.txt":          "sqli",
	"SQL Injection/Intruder/Generic_UnionSelect.txt":        "sqli",
	"SQL Injection/Intruder/SQL-Injection":                  "sqli",
	"SQL Injection/Intruder/SQLi_Polyglots.txt":             "sqli",
	"XXE Injection/Intruders/XXE_Fuzzing.txt":               "xml",
	"Directory Traversal/Intruder/directory_traversal.txt":  "path",
	"File Inclusion/Intruders/simple-check.txt":             "path",
}

// payloadsAllTheThingsIntruders reads pattIntruders. Mario's vector list
// names the browsers each vector works in on comment lines of its own;
// those are labels, not vectors.
func payloadsAllTheThingsIntruders(root string) ([]item, error) {
	items, err := listFile(pattIntruders)(root)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		t := strings.TrimSpace(it.value)
		if strings.HasPrefix(t, "<!--") && strings.HasSuffix(t, "-->") && !strings.ContainsAny(t[4:len(t)-3], "<>") {
			continue
		}
		if strings.Contains(strings.ToLower(t), "gotestwaf") {
			continue
		}
		out = append(out, it)
	}
	return out, nil
}
