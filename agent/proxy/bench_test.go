package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// instantAPI is an upstream Runtime API that always has an event ready.
func instantAPI(b *testing.B, payload []byte) *httptest.Server {
	b.Helper()
	var n atomic.Uint64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathNext {
			w.Header().Set(headerRequestID, "b-"+strconv.FormatUint(n.Add(1), 10))
			w.Header().Set(headerDeadline, "4102444800000")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
			_, _ = w.Write(payload)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// invoke plays one runtime loop iteration: next, then the response.
func invoke(b *testing.B, client *http.Client, base string, response []byte) {
	resp, err := client.Get(base + pathNext)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	id := resp.Header.Get(headerRequestID)
	resp, err = client.Post(base+pathPrefix+id+suffixResponse, "application/json", bytes.NewReader(response))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkInvocation measures one next+response round trip straight to
// the upstream and through the proxy (with no inspector, an allow-all one,
// and one that sets a response filter), on loopback. The difference is the
// proxy's per-invocation overhead.
func BenchmarkInvocation(b *testing.B) {
	allow := InspectorFunc(func(context.Context, *Invocation) (Verdict, error) { return Verdict{}, nil })
	filter := InspectorFunc(func(context.Context, *Invocation) (Verdict, error) {
		return Verdict{Response: identityFilter{}}, nil
	})
	for _, size := range []int{1 << 10, 256 << 10} {
		payload := []byte(`{"body":"` + strings.Repeat("a", size) + `"}`)
		response := []byte(`{"statusCode":200,"body":"ok"}`)
		for _, mode := range []struct {
			name string
			opts []Option
			via  bool
		}{
			{"direct", nil, false},
			{"proxy", nil, true},
			{"proxy+allow", []Option{WithInspector(allow)}, true},
			{"proxy+filter", []Option{WithInspector(filter)}, true},
		} {
			b.Run(fmt.Sprintf("%s/event=%dKB", mode.name, size>>10), func(b *testing.B) {
				api := instantAPI(b, payload)
				base := api.URL
				if mode.via {
					p, err := New(strings.TrimPrefix(api.URL, "http://"), mode.opts...)
					if err != nil {
						b.Fatal(err)
					}
					srv := httptest.NewUnstartedServer(p)
					srv.Config = NewServer(p, p.log)
					srv.Start()
					b.Cleanup(srv.Close)
					base = srv.URL
				}
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
				b.Cleanup(client.CloseIdleConnections)
				b.SetBytes(int64(len(payload)))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					invoke(b, client, base, response)
				}
			})
		}
	}
}
