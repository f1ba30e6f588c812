// Command fail is a test handler that always returns a typed error, so tests
// can check the error type and message reach the caller.
package main

import (
	"context"
	"encoding/json"

	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

// ValidationError is the error the handler returns; aws-lambda-go reports
// its type name ("ValidationError") as the errorType.
type ValidationError struct{ Field string }

func (e *ValidationError) Error() string { return "invalid field: " + e.Field }

func handle(ctx context.Context, event json.RawMessage) (string, error) {
	var in struct {
		Field string `json:"field"`
	}
	_ = json.Unmarshal(event, &in)
	if in.Field == "" {
		in.Field = "unknown"
	}
	return "", &ValidationError{Field: in.Field}
}

func main() {
	wiring.Start(handle)
}
