// Command stream is a Function URL streaming test handler. The event
// {"chunks": N, "intervalMs": M, "failAfter": K} makes it write N chunks
// "chunk-<i>\n" M ms apart; with K > 0 the body fails after K chunks, which
// aws-lambda-go reports in the Lambda-Runtime-Function-Error-Type and
// -Error-Body trailers. {"text": T, "chunkBytes": B, "intervalMs": M}
// streams T instead, B bytes at a time, so that a value can be split
// across chunks.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

// StreamBrokenError is the mid-stream failure.
type StreamBrokenError struct{ After int }

func (e *StreamBrokenError) Error() string {
	return fmt.Sprintf("stream broke after %d chunks", e.After)
}

func handle(ctx context.Context, event json.RawMessage) (*events.LambdaFunctionURLStreamingResponse, error) {
	var in struct {
		Chunks     int    `json:"chunks"`
		IntervalMs int    `json:"intervalMs"`
		FailAfter  int    `json:"failAfter"`
		Text       string `json:"text"`
		ChunkBytes int    `json:"chunkBytes"`
	}
	if err := json.Unmarshal(event, &in); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	pr, pw := io.Pipe()
	if in.Text != "" {
		go func() {
			step := max(in.ChunkBytes, 1)
			for i := 0; i < len(in.Text); i += step {
				if _, err := io.WriteString(pw, in.Text[i:min(i+step, len(in.Text))]); err != nil {
					return
				}
				time.Sleep(time.Duration(in.IntervalMs) * time.Millisecond)
			}
			pw.Close()
		}()
		return &events.LambdaFunctionURLStreamingResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: pr}, nil
	}
	go func() {
		for i := 1; i <= in.Chunks; i++ {
			if in.FailAfter > 0 && i > in.FailAfter {
				pw.CloseWithError(&StreamBrokenError{After: in.FailAfter})
				return
			}
			if _, err := fmt.Fprintf(pw, "chunk-%d\n", i); err != nil {
				return
			}
			time.Sleep(time.Duration(in.IntervalMs) * time.Millisecond)
		}
		pw.Close()
	}()
	return &events.LambdaFunctionURLStreamingResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/plain"},
		Body:       pr,
	}, nil
}

func main() {
	wiring.Start(handle)
}
