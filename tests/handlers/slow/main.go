// Command slow is a test handler that outlives any function timeout: it
// sleeps for SLOW_HANDLER_SLEEP (default 1h) without watching its context,
// like a handler stuck on a call with no deadline.
package main

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

func handle(ctx context.Context, event json.RawMessage) (string, error) {
	d, err := time.ParseDuration(os.Getenv("SLOW_HANDLER_SLEEP"))
	if err != nil {
		d = time.Hour
	}
	time.Sleep(d)
	return "finished", nil
}

func main() {
	wiring.Start(handle)
}
