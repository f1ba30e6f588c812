// Command large is a test handler that returns a response of the requested
// size: {"size": N} answers with a JSON string of N bytes (N+2 with quotes),
// and reports the size of the event it received.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

func handle(ctx context.Context, event json.RawMessage) (string, error) {
	var in struct {
		Size int `json:"size"`
	}
	if err := json.Unmarshal(event, &in); err != nil {
		return "", fmt.Errorf("decode event: %w", err)
	}
	if in.Size <= 0 {
		return fmt.Sprintf("event bytes: %d", len(event)), nil
	}
	return strings.Repeat("x", in.Size), nil
}

func main() {
	wiring.Start(handle)
}
