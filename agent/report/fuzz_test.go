package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// FuzzReport renders arbitrary logs: reading never fails on content, and
// whatever the records hold, the page has no script and no event handler
// (go test -fuzz FuzzReport ./agent/report).
func FuzzReport(f *testing.F) {
	f.Add(`{"kind":"decision","schema_version":1,"decision":"block","time":"2026-11-21T10:00:00Z","signals":[{"class":"<script>","location":"x","rule":"r","excerpt":"</code><script>alert(1)</script>","score":9}]}`)
	f.Add(`{"kind":"decision","schema_version":1,"decision":"allow","time":"0001-01-01T00:00:00Z","sample_rate":-1}` + "\n" + `{"kind":"response","schema_version":1,"leaks":[{"kind":"<b>","count":-5}]}`)
	f.Add(`{"kind":"decision","schema_version":1,"decision":"log","time":"9999-12-31T23:59:59Z"}` + "\n" + `{"kind":"decision","schema_version":1,"decision":"log","time":"1970-01-01T00:00:00Z"}`)
	f.Fuzz(func(t *testing.T, log string) {
		var out bytes.Buffer
		start := time.Now()
		if _, err := Generate(&out, strings.NewReader(log), Options{}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("rendering took %v", d)
		}
		z := html.NewTokenizer(&out)
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
				tok := z.Token()
				if tok.Data == "script" || tok.Data == "iframe" || tok.Data == "img" {
					t.Fatalf("element <%s> in the page", tok.Data)
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "href" {
						t.Fatalf("attribute %s on <%s>", a.Key, tok.Data)
					}
				}
			}
		}
	})
}
