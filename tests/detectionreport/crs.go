package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"gopkg.in/yaml.v3"

	"github.com/lambdawaf/lambdawaf/tests/corpus"
)

// ftwFile is the part of a go-ftw regression test file the report reads.
type ftwFile struct {
	RuleID int `yaml:"rule_id"`
	Tests  []struct {
		TestID int    `yaml:"test_id"`
		Desc   string `yaml:"desc"`
		Stages []struct {
			Input struct {
				Method         string            `yaml:"method"`
				URI            string            `yaml:"uri"`
				Version        string            `yaml:"version"`
				Headers        map[string]string `yaml:"headers"`
				Data           string            `yaml:"data"`
				EncodedRequest string            `yaml:"encoded_request"`
				RawRequest     string            `yaml:"raw_request"`
			} `yaml:"input"`
			Output struct {
				Log struct {
					ExpectIDs   []int `yaml:"expect_ids"`
					NoExpectIDs []int `yaml:"no_expect_ids"`
				} `yaml:"log"`
			} `yaml:"output"`
		} `yaml:"stages"`
	} `yaml:"tests"`
}

// crsCase is one CRS regression test turned into a labeled request.
type crsCase struct {
	Rule   int
	PL     int    // paranoia level of Rule
	Family string // "930 LFI", ...
	Attack bool   // fire-test of an attack rule; else a curated no-fire test
	Name   string
	Req    corpus.Request
}

var families = map[int]string{
	930: "930 LFI", 931: "931 RFI", 932: "932 RCE", 933: "933 PHP", 934: "934 generic",
	941: "941 XSS", 942: "942 SQLi", 943: "943 session", 944: "944 Java",
	913: "913 scanner", 920: "920 protocol", 921: "921 protocol", 922: "922 multipart", 911: "911 method",
}

// benignDesc and attackDesc curate the no-fire tests: many are benign
// look-alikes (false-positive regressions), but some are attacks meant for
// a sibling rule, bypasses, or unexplained imports. Only tests whose
// description says they are legitimate input count as benign.
var (
	// A description that says the input is legitimate.
	benignDesc = regexp.MustCompile(`(?i)false.?positive|\bfp\b|legit|benign|\bvalid\b|harmless|innocent|wikipedia|normal (?:text|request|usage|word|function|url|use)|authori[sz]ed|avoid|non-dangerous|allowed`)
	// A description that only says the rule must not fire.
	negativeDesc = regexp.MustCompile(`(?i)negative|should not|not (?:match|trigger|detect)|no match`)
	// Words that say the payload is an attack anyway (for a sibling rule,
	// another paranoia level, or a known detection gap).
	attackTerms = regexp.MustCompile(`(?i)ssrf|sqli|sql injection|\brce\b|xss|\blfi\b|\brfi\b|injection|attack|exploit|payload|bypass|false.?negative|shellshock|detected at pl|sibling|evasion|known false positive`)
)

// paranoiaLevels reads the paranoia level of every CRS rule from the rule
// files embedded in coraza-coreruleset.
func paranoiaLevels() (map[int]int, error) {
	pl := map[int]int{}
	idRe := regexp.MustCompile(`id:(\d{6})`)
	plRe := regexp.MustCompile(`paranoia-level/(\d)`)
	err := fs.WalkDir(coreruleset.FS, "@owasp_crs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".conf") {
			return err
		}
		b, err := fs.ReadFile(coreruleset.FS, p)
		if err != nil {
			return err
		}
		// Split into rule chunks at each SecRule/SecAction at line start.
		chunks := regexp.MustCompile(`(?m)^Sec(?:Rule|Action) `).Split(string(b), -1)
		for _, c := range chunks {
			m := idRe.FindStringSubmatch(c)
			if m == nil {
				continue
			}
			id, _ := strconv.Atoi(m[1])
			level := 1
			if p := plRe.FindStringSubmatch(c); p != nil {
				level, _ = strconv.Atoi(p[1])
			}
			pl[id] = level
		}
		return nil
	})
	return pl, err
}

// loadCRS reads the go-ftw tests under dir (the module's tests/ folder).
func loadCRS(dir string, pl map[int]int) (cases []crsCase, skipped int, err error) {
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && strings.Contains(p, "REQUEST-9") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("walk CRS tests: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		var y ftwFile
		if err := yaml.Unmarshal(b, &y); err != nil || y.RuleID == 0 {
			skipped++
			continue
		}
		fam, ok := families[y.RuleID/1000]
		if !ok {
			continue
		}
		attackFamily := y.RuleID/1000 >= 930 && y.RuleID/1000 <= 944
		for _, t := range y.Tests {
			if len(t.Stages) != 1 {
				skipped++
				continue
			}
			st := t.Stages[0]
			in := st.Input
			var req corpus.Request
			switch {
			case in.EncodedRequest != "" || in.RawRequest != "":
				raw := []byte(in.RawRequest)
				if in.EncodedRequest != "" {
					if raw, err = base64.StdEncoding.DecodeString(in.EncodedRequest); err != nil {
						skipped++
						continue
					}
				}
				r, ok := parseRaw(raw)
				if !ok {
					skipped++
					continue
				}
				req = r
			default:
				req = corpus.Request{Method: in.Method, URI: in.URI, Body: []byte(in.Data)}
				if req.Method == "" {
					req.Method = "GET"
				}
				if req.URI == "" {
					req.URI = "/"
				}
				names := make([]string, 0, len(in.Headers))
				for k := range in.Headers {
					names = append(names, k)
				}
				sort.Strings(names)
				for _, k := range names {
					req.Headers = append(req.Headers, [2]string{k, in.Headers[k]})
				}
			}
			formDefault(&req)
			name := fmt.Sprintf("%d-%d", y.RuleID, t.TestID)
			fires := contains(st.Output.Log.ExpectIDs, y.RuleID)
			switch {
			case fires && attackFamily && pl[y.RuleID] <= 2:
				cases = append(cases, crsCase{Rule: y.RuleID, PL: pl[y.RuleID], Family: fam, Attack: true, Name: name, Req: req})
			case !fires && len(st.Output.Log.ExpectIDs) == 0 && contains(st.Output.Log.NoExpectIDs, y.RuleID) &&
				benignNoFire(t.Desc):
				cases = append(cases, crsCase{Rule: y.RuleID, PL: pl[y.RuleID], Family: fam, Attack: false, Name: name, Req: req})
			}
		}
	}
	return cases, skipped, nil
}

// benignNoFire curates no-fire tests: benign when the description calls
// the input legitimate, or only says the rule must not fire and names no
// attack. Bypasses, false negatives and attacks for sibling rules are out.
func benignNoFire(desc string) bool {
	l := strings.ToLower(desc)
	if strings.Contains(l, "bypass") || strings.Contains(l, "false negative") || strings.Contains(l, "false-negative") || strings.Contains(l, "known false positive") {
		return false
	}
	if benignDesc.MatchString(desc) {
		return true
	}
	return negativeDesc.MatchString(desc) && !attackTerms.MatchString(desc)
}

var formStart = regexp.MustCompile(`^[\w.\[\]%$-]+=`)

// formDefault gives a body without a content type the form type its
// "name=value" shape implies. The CRS tests often omit the header; browsers
// and HTTP clients send it. Both engines get the same request.
func formDefault(r *corpus.Request) {
	if len(r.Body) == 0 || !formStart.Match(r.Body) {
		return
	}
	for _, h := range r.Headers {
		if strings.EqualFold(h[0], "content-type") {
			return
		}
	}
	r.Headers = append(r.Headers, [2]string{"Content-Type", "application/x-www-form-urlencoded"})
}

func contains(ids []int, id int) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// parseRaw parses a raw HTTP/1.x request leniently.
func parseRaw(raw []byte) (corpus.Request, bool) {
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return corpus.Request{}, false
	}
	var body bytes.Buffer
	if r.Body != nil {
		body.ReadFrom(r.Body)
	}
	req := corpus.Request{Method: r.Method, URI: r.RequestURI, Body: body.Bytes()}
	if r.Host != "" {
		req.Headers = append(req.Headers, [2]string{"Host", r.Host})
	}
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range r.Header[k] {
			req.Headers = append(req.Headers, [2]string{k, v})
		}
	}
	return req, true
}
