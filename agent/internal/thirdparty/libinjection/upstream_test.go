package libinjection

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	upstream "github.com/corazawaf/libinjection-go"
)

// corpusLines returns every case of the project's corpora (attacks,
// benign, and the external tune and holdout halves: SQL, XSS, prose,
// code, JSON), the label column dropped.
func corpusLines(t testing.TB) []string {
	var out []string
	root := filepath.Join("..", "..", "..", "..", "tests", "corpus")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "##") || line == "" {
				continue
			}
			if _, v, ok := strings.Cut(line, "\t"); ok {
				line = v
			}
			out = append(out, line)
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatalf("reading corpora: %v", err)
	}
	if len(out) < 10000 {
		t.Fatalf("only %d corpus lines under %s", len(out), root)
	}
	return out
}

// variants derives inputs that reach the less common paths: each case
// behind a quote, doubled, upper-cased, with its blanks turned into the
// comments and NULs that the fold skips.
func variants(s string) []string {
	return []string{
		s, "'" + s, "\"" + s, "`" + s, s + "--", s + " " + s,
		strings.ToUpper(s), strings.ReplaceAll(s, " ", "/**/"), strings.ReplaceAll(s, " ", "\x00"),
	}
}

func compare(t *testing.T, s string) {
	t.Helper()
	gotOK, gotFP := IsSQLi(s)
	wantOK, wantFP := upstream.IsSQLi(s)
	if gotOK != wantOK || gotFP != wantFP {
		t.Errorf("IsSQLi(%q) = %v %q, upstream %v %q", s, gotOK, gotFP, wantOK, wantFP)
	}
	if got, want := IsXSS(s), upstream.IsXSS(s); got != want {
		t.Errorf("IsXSS(%q) = %v, upstream %v", s, got, want)
	}
}

// TestVerdictsMatchUpstream: every corpus case and its variants get
// exactly upstream's verdicts and fingerprints.
func TestVerdictsMatchUpstream(t *testing.T) {
	for _, line := range corpusLines(t) {
		for _, s := range variants(line) {
			compare(t, s)
		}
	}
	units := []string{"<a", "a<", "a=", "1+", "1,", "a.", "((", "))", ";;", "''", `""`, "/**/", "-- \n", "#\n",
		"or 1=1 ", "select ", "union all ", "\\", "`", "{a", "a}", "@@a", "$$", "0x4", "N'a'", "q'[a]'", "e'a'", "b'1'", "x'1'",
		// the spans strLenSpn measures: money, $-quoted strings, hex and binary literals
		"$1,000.00", "$.", "$a", "$foo$", "${", "$1", "0b101", "0b2", "0xfF", "0xg", "x'0aF'", "x'0g'", "b'012'", "b'01'"}
	for _, u := range units {
		for _, n := range []int{1, 2, 3, 5, 8, 100} {
			for _, v := range variants(strings.Repeat(u, n)) {
				compare(t, v)
			}
		}
	}
	// random sequences of SQL-ish tokens
	r := rand.New(rand.NewPCG(13, 17))
	words := append(units, " ", "1", "a", "'", "\"", "(", ")", "select", "from", "where", "not", "in", "like", "is", "null",
		"user", "user_id", "current_user", "if", ";", "--", "/*", "*/", "#", "=", "||", "&&", "and", "or", "::", "int",
		"collate", "utf8_bin", "{", "}", "\\%1", "!", "~", "-", "+", "sp_password", "into", "outfile", "<script>", "<img src=x onerror=", "javascript:", "<!--", "-->", "<?", "<!doctype", "style=", "'>", "\">")
	for range 30000 {
		var b strings.Builder
		for range 1 + r.IntN(10) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) == 0 {
				b.WriteByte(' ')
			}
		}
		compare(t, b.String())
	}
}

// FuzzVerdictsMatchUpstream holds the package to upstream's verdicts on
// any input:
//
//	go test ./agent/internal/thirdparty/libinjection -run '^$' -fuzz FuzzVerdictsMatchUpstream -fuzztime 60s
func FuzzVerdictsMatchUpstream(f *testing.F) {
	for _, s := range []string{"1' OR '1'='1", "<img src=x onerror=alert(1)>", "a<a<a<a", "1 union all select 1,2--", "\"><script>", "admin'#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { compare(t, s) })
}

// TestByteSetsHoldUpstreamAcceptStrings: the tables strLenSpn measures
// spans with hold exactly the bytes of the accept strings upstream passes
// at the same call sites.
func TestByteSetsHoldUpstreamAcceptStrings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    *byteSet
		accept string
	}{
		{"money", moneyBytes, "0123456789.,"},
		{"letters", letterBytes, "abcdefghjiklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{"hex number", hexBytes, "0123456789ABCDEFabcdef"},
		{"hex string", hexBytes, "0123456789abcdefABCDEF"},
		{"binary", binaryBytes, "01"},
	} {
		for c := range 256 {
			if got, want := tc.set[c], strings.IndexByte(tc.accept, byte(c)) >= 0; got != want {
				t.Errorf("%s set has %q: %v, upstream's accept string: %v", tc.name, byte(c), got, want)
			}
		}
	}
}

// TestOperatorPairsMatchSearchKeyword: for every pair of bytes, the
// table parseOperator2 reads gives what searchKeyword, which it called
// before, gives.
func TestOperatorPairsMatchSearchKeyword(t *testing.T) {
	found := 0
	for a := range 256 {
		for b := range 256 {
			pair := string([]byte{byte(a), byte(b)})
			got, want := operatorPair(pair), searchKeyword(pair, sqlKeywords)
			if got != want {
				t.Errorf("operatorPair(%q) = %q, searchKeyword %q", pair, got, want)
			}
			if got != byteNull {
				found++
			}
		}
	}
	if found < 20 {
		t.Errorf("only %d pairs are keywords", found)
	}
}
