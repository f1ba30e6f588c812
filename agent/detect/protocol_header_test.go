package detect

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// protocolHeaders are the headers protocolValue knows a grammar of.
var protocolHeaders = []string{
	"accept", "content-type", "accept-language", "content-language", "accept-encoding", "content-encoding",
	"accept-charset", "te", "connection", "cache-control", "pragma", "sec-fetch-dest", "sec-fetch-mode",
	"sec-fetch-site", "sec-fetch-user", "x-amzn-trace-id", "content-length", "x-forwarded-port",
	"upgrade-insecure-requests", "dnt", "max-forwards", "x-forwarded-proto", "x-forwarded-for",
}

func TestProtocolValueReadsTheHeaderGrammars(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"accept", "application/json", true},
		{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", true},
		{"content-type", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", true},
		{"content-type", "application/x-www-form-urlencoded; charset=UTF-8", true},
		{"accept-language", "en-GB,en;q=0.9", true},
		{"accept-language", "zh-Hant-TW, de;q=0.7, *;q=0.5", true},
		{"accept-encoding", "gzip, deflate, br, zstd", true},
		{"cache-control", "no-cache, max-age=0", true},
		{"sec-fetch-mode", "navigate", true},
		{"sec-fetch-user", "?1", true},
		{"x-amzn-trace-id", "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1", true},
		{"content-length", "1024", true},
		{"x-forwarded-proto", "https", true},
		{"x-forwarded-for", "203.0.113.9, 2001:db8::1, 10.0.0.1", true},

		// what the grammars leave to the detectors
		{"accept", "etc/passwd", false},                        // no registered media type
		{"accept", "../../etc/passwd", false},                  // no media type at all
		{"accept", "text/../../etc/passwd", false},             // a second '/'
		{"content-type", `text/plain; charset="utf-8"`, false}, // quoted parameter
		{"content-type", "text/html; x=<script>", false},
		{"content-type", "application/json' OR '1'='1", false},
		{"accept", "text/html,", false}, // an empty element
		{"accept-language", "en-GB;q=1 OR 1=1", false},
		{"accept-language", "abcdefghi", false}, // a subtag over eight letters
		{"accept-encoding", "gzip;sleep(5)", false},
		{"cache-control", `private="set-cookie"`, false},
		{"x-forwarded-for", "::1%<script>", false}, // a zone may hold anything
		{"x-forwarded-for", "127.0.0.1;id", false},
		{"x-forwarded-proto", "https://x", false},
		{"host", "api.example.com", false}, // judged: a host name looks like a file name
		{"accept-encoding", "org.apache.commons.collections.functors.InvokerTransformer", false},
		{"cache-control", "allow_url_include=1", false},
		{"x-amzn-trace-id", "1or1=1", false},
		{"content-length", "1 union select 1", false},
		{"user-agent", "Mozilla/5.0", false}, // free text: judged, and read for scanners
		{"x-api-key", "abc", false},          // no grammar known
		{"accept", "", false},
	}
	for _, tt := range tests {
		if got := protocolValue(tt.name, tt.value); got != tt.want {
			t.Errorf("protocolValue(%q, %q) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
	}
}

// TestAttacksInProtocolHeadersAreStillJudged: a value outside the
// header's grammar goes through the detectors.
func TestAttacksInProtocolHeadersAreStillJudged(t *testing.T) {
	e := New(Options{})
	for _, c := range [][2]string{
		{"accept", "../../etc/passwd"},
		{"accept", "etc/passwd"},
		{"content-type", "text/html; x=<script>alert(1)</script>"},
		{"accept-language", "en' OR '1'='1"},
		{"x-forwarded-for", "127.0.0.1' AND SLEEP(5)--"},
	} {
		v := event.Value{Part: event.PartHeader, Location: "header." + c[0], Key: c[0], Text: c[1]}
		if sigs := e.Inspect(v, nil); !hasAttack(sigs) {
			t.Errorf("%s: %q: no attack signal", c[0], c[1])
		}
	}
}

// TestSkippingProtocolValuesLosesNoAttack holds the grammars to what
// they promise: every attack of the corpora (the external tune half, the
// sets written here) that fits a header's grammar (a bare file name fits
// a token list) is one the detectors find nothing in there either, so
// skipping them for a value that fits loses no detection.
func TestSkippingProtocolValuesLosesNoAttack(t *testing.T) {
	root := filepath.Join("..", "..", "tests", "corpus")
	files, _ := filepath.Glob(filepath.Join(root, "external", "tune", "*.txt"))
	own, _ := filepath.Glob(filepath.Join(root, "attacks", "*.txt"))
	held, _ := filepath.Glob(filepath.Join(root, "heldout", "*", "attacks", "*.txt"))
	files = append(append(files, own...), held...)
	if len(files) < 20 {
		t.Fatalf("corpus files not found under %s: %d", root, len(files))
	}
	engines := []*Engine{New(Options{}), New(Options{Paranoia: 2})}
	read, fit := 0, 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if fam, v, ok := strings.Cut(line, "\t"); ok && strings.Contains(f, "external") {
				if strings.HasPrefix(fam, "benign") {
					continue
				}
				line = v
			}
			read++
			for _, h := range protocolHeaders {
				if !protocolValue(h, line) {
					continue
				}
				fit++
				v := event.Value{Part: event.PartHeader, Location: "header." + h, Key: h, Text: line}
				for _, e := range engines {
					if sigs := judgeAll(e, v); hasAttack(sigs) {
						t.Errorf("%s: attack %q fits the grammar of %s, and the detectors find %v there", filepath.Base(f), line, h, sigs)
					}
				}
			}
		}
		fh.Close()
	}
	if read < 5000 {
		t.Fatalf("only %d attacks read", read)
	}
	t.Logf("%d attacks read; %d (attack, header) pairs fit a grammar, none detected there", read, fit)
}

// judgeAll is Engine.Inspect without the protocol-value skip.
func judgeAll(e *Engine, v event.Value) []Signal {
	sc := e.scratch.Get().(*scratch)
	defer e.scratch.Put(sc)
	in := input{e: e, v: v, text: v.Text, sink: sinkOf(&v), sc: sc}
	in.mask = scanMask(v.Text)
	in.judge()
	return in.dst
}
