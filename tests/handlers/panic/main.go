// Command panic is a test handler that panics on every invocation;
// aws-lambda-go reports the panic as the invocation's error and then exits,
// so the environment resets.
package main

import (
	"context"
	"encoding/json"

	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

func handle(ctx context.Context, event json.RawMessage) (string, error) {
	panic("handler panicked on purpose")
}

func main() {
	wiring.Start(handle)
}
