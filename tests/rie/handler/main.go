// Command handler is the function the rie tests and benchmark run on AWS's
// emulator: one aws-lambda-go binary (installed as /var/task/bootstrap,
// which Managed Instances mode insists on) that does what the event's
// top-level "rieAction" says, so one environment sees every kind of
// invocation:
//
//	"" / "echo"  answer 200 with the event's nonce, length and SHA-256, so
//	             the client can prove the event arrived unaltered
//	"error"      return an error naming the nonce
//	"panic"      panic naming the nonce (aws-lambda-go reports it, exits)
//	"sleep"      sleep rieSleepMs, then echo (past the timeout: a timeout)
//	"stream"     stream rieChunks chunks naming the nonce (Function URL
//	             streaming response)
//
// It starts with redirect.Start, as a protected Go function does: behind
// the agent (or the bare proxy, installed under the same name) it talks to
// it, otherwise to the emulator directly.
//
// With RIE_HANDLER_TRACE=1 it prints "rie-handler saw <nonce>" for every
// event it receives, so tests can count deliveries (none for a blocked
// event, one for any other).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
)

// Instructions are the event fields the handler reads.
type Instructions struct {
	Action  string `json:"rieAction"`
	Nonce   string `json:"rieNonce"`
	SleepMs int    `json:"rieSleepMs"`
	Chunks  int    `json:"rieChunks"`
}

// Digest is what the echo action answers in its body.
type Digest struct {
	Nonce  string `json:"nonce"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

var trace = os.Getenv("RIE_HANDLER_TRACE") == "1"

func handle(ctx context.Context, event json.RawMessage) (any, error) {
	var in Instructions
	if err := json.Unmarshal(event, &in); err != nil {
		return nil, fmt.Errorf("decode event: %w", err)
	}
	if trace {
		fmt.Printf("rie-handler saw %s\n", in.Nonce)
	}
	switch in.Action {
	case "", "echo":
	case "error":
		return nil, errors.New("handler error for " + in.Nonce)
	case "panic":
		panic("handler panic for " + in.Nonce)
	case "sleep":
		select {
		case <-time.After(time.Duration(in.SleepMs) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "stream":
		return stream(in), nil
	default:
		return nil, fmt.Errorf("unknown rieAction %q", in.Action)
	}
	sum := sha256.Sum256(event)
	body, _ := json.Marshal(Digest{Nonce: in.Nonce, Bytes: len(event), SHA256: hex.EncodeToString(sum[:])})
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}, nil
}

// streamChunk is the text of chunk i of a streamed answer: "chunk <i> of
// <nonce>\n".
func streamChunk(nonce string, i int) string { return fmt.Sprintf("chunk %d of %s\n", i, nonce) }

func stream(in Instructions) *events.LambdaFunctionURLStreamingResponse {
	pr, pw := io.Pipe()
	go func() {
		for i := range in.Chunks {
			if _, err := io.WriteString(pw, streamChunk(in.Nonce, i)); err != nil {
				return
			}
		}
		pw.Close()
	}()
	return &events.LambdaFunctionURLStreamingResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/plain"},
		Body:       pr,
	}
}

func main() {
	redirect.Start(handle)
}
