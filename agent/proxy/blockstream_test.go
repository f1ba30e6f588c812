package proxy

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// streamedBlock is a block response in the Function URL streaming format:
// prelude, eight NUL bytes, body.
const streamedBlock = `{"statusCode":403,"headers":{"Content-Type":"text/html"}}` + "\x00\x00\x00\x00\x00\x00\x00\x00" + `<h1>Forbidden</h1>`

// TestBlockPostedAsTheVerdictSays checks what reaches upstream for each way
// of blocking: buffered blocks are plain JSON posts, streamed blocks carry
// the streaming response mode, the streaming content type and a chunked
// body, byte for byte.
func TestBlockPostedAsTheVerdictSays(t *testing.T) {
	tests := []struct {
		name        string
		verdict     Verdict
		wantBody    string
		wantType    string
		wantStream  bool
		wantChunked bool
	}{
		{
			name:     "buffered",
			verdict:  Verdict{Block: true, BlockResponse: []byte(`{"statusCode":403,"body":"blocked"}`)},
			wantBody: `{"statusCode":403,"body":"blocked"}`, wantType: "application/json",
		},
		{
			name:     "buffered generic",
			verdict:  Verdict{Block: true},
			wantBody: GenericBlockResponse, wantType: "application/json",
		},
		{
			name:     "streamed",
			verdict:  Verdict{Block: true, BlockStreaming: true, BlockResponse: []byte(streamedBlock)},
			wantBody: streamedBlock, wantType: contentTypeStreamingPrelude, wantStream: true, wantChunked: true,
		},
		{
			name:     "streamed generic",
			verdict:  Verdict{Block: true, BlockStreaming: true},
			wantBody: GenericStreamingBlockResponse, wantType: contentTypeStreamingPrelude, wantStream: true, wantChunked: true,
		},
		{
			name:     "streamed raw body",
			verdict:  Verdict{Block: true, BlockStreaming: true, BlockContentType: "text/plain", BlockResponse: []byte("refused")},
			wantBody: "refused", wantType: "text/plain", wantStream: true, wantChunked: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
				if inv.RequestID == "bad" {
					return tt.verdict, nil
				}
				return Verdict{}, nil
			})))
			h.api.events <- fakeEvent{id: "bad", payload: []byte(`{"rawPath":"/"}`)}
			h.api.events <- fakeEvent{id: "good", payload: []byte(`{}`)}
			if resp, _ := h.next(t); resp.Header.Get(headerRequestID) != "good" {
				t.Fatalf("runtime got %q, want the next event", resp.Header.Get(headerRequestID))
			}
			rec := h.api.waitFor(t, pathPrefix+"bad/response")
			if string(rec.body) != tt.wantBody {
				t.Errorf("body = %q, want %q", rec.body, tt.wantBody)
			}
			if got := rec.header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			mode := rec.header.Get(headerResponseMode)
			if tt.wantStream && mode != "streaming" || !tt.wantStream && mode != "" {
				t.Errorf("%s = %q, want streaming %v", headerResponseMode, mode, tt.wantStream)
			}
			if rec.chunked != tt.wantChunked {
				t.Errorf("chunked = %v, want %v", rec.chunked, tt.wantChunked)
			}
			if s := h.proxy.Stats(); s.Blocked != 1 || s.BlockFailures != 0 {
				t.Errorf("stats = %+v", s)
			}
		})
	}
}

// TestGenericStreamingBlockResponseShape: the prelude is the generic block
// response's status and headers, the body its body.
func TestGenericStreamingBlockResponseShape(t *testing.T) {
	prelude, body, ok := strings.Cut(GenericStreamingBlockResponse, strings.Repeat("\x00", 8))
	if !ok {
		t.Fatal("no eight-NUL separator")
	}
	if prelude != `{"statusCode":403,"headers":{"Content-Type":"application/json"}}` || body != `{"message":"Forbidden"}` {
		t.Errorf("prelude %q body %q", prelude, body)
	}
	if !strings.Contains(GenericBlockResponse, `"body":"{\"message\":\"Forbidden\"}"`) {
		t.Error("the buffered and streamed generic responses say different things")
	}
}

// TestRefusedStreamedBlockFallsBackToError: a streamed block upstream
// refuses still ends the invocation, with an error.
func TestRefusedStreamedBlockFallsBackToError(t *testing.T) {
	h := newHarness(t, WithInspector(InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		if inv.RequestID == "bad" {
			return Verdict{Block: true, BlockStreaming: true}, nil
		}
		return Verdict{}, nil
	})))
	h.api.postStatus = http.StatusBadRequest
	h.api.events <- fakeEvent{id: "bad", payload: []byte(`{}`)}
	h.api.events <- fakeEvent{id: "good", payload: []byte(`{}`)}
	if resp, _ := h.next(t); resp.Header.Get(headerRequestID) != "good" {
		t.Fatal("runtime did not get the next event")
	}
	rec := h.api.waitFor(t, pathPrefix+"bad/error")
	if !strings.Contains(string(rec.body), "LambdaWAF.Blocked") || rec.header.Get(headerResponseMode) != "" {
		t.Errorf("error post: body %q header %v", rec.body, rec.header)
	}
	if s := h.proxy.Stats(); s.BlockFailures != 1 {
		t.Errorf("stats = %+v", s)
	}
}

// TestFailClosedStreamsForStreamedInvocations: the proxy's own blocks
// follow WithStreamedBlocks, and a panicking check falls back to buffered.
func TestFailClosedStreamsForStreamedInvocations(t *testing.T) {
	failing := InspectorFunc(func(ctx context.Context, inv *Invocation) (Verdict, error) {
		if inv.RequestID == "good" {
			return Verdict{}, nil
		}
		return Verdict{}, errors.New("detector failed")
	})
	streamed := func(inv *Invocation) bool {
		if bytes.Contains(inv.Event, []byte("panic")) {
			panic("check exploded")
		}
		return bytes.Contains(inv.Event, []byte(".lambda-url."))
	}
	tests := []struct {
		name, event, wantBody string
		wantStream            bool
	}{
		{"streamed invocation", `{"requestContext":{"domainName":"x.lambda-url.eu-west-1.on.aws"}}`, GenericStreamingBlockResponse, true},
		{"buffered invocation", `{"requestContext":{"domainName":"api.example.com"}}`, GenericBlockResponse, false},
		{"check panics", `{"panic":true}`, GenericBlockResponse, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithInspector(failing), WithFailClosed(true), WithStreamedBlocks(streamed))
			h.api.events <- fakeEvent{id: "bad", payload: []byte(tt.event)}
			h.api.events <- fakeEvent{id: "good", payload: []byte(`{}`)}
			if resp, _ := h.next(t); resp.Header.Get(headerRequestID) != "good" {
				t.Fatal("runtime did not get the next event")
			}
			rec := h.api.waitFor(t, pathPrefix+"bad/response")
			if string(rec.body) != tt.wantBody || rec.chunked != tt.wantStream ||
				(rec.header.Get(headerResponseMode) == "streaming") != tt.wantStream {
				t.Errorf("posted %q chunked=%v header %v", rec.body, rec.chunked, rec.header)
			}
		})
	}
}
