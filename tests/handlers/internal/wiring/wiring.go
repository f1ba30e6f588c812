// Package wiring starts the test handlers the way a protected Go function
// starts, in one place, so every handler reaches the agent the same way.
package wiring

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
)

// StartEnv selects how a handler starts. Unset (or "redirect"): through
// redirect.Start, the in-process redirection a Go function on
// provided.al2023 uses. "lambda": plain lambda.Start, for tests where
// something else redirects the runtime (AWS_LAMBDA_EXEC_WRAPPER,
// /opt/bootstrap) or where the runtime must bypass the agent.
const StartEnv = "TEST_HANDLER_START"

// Start runs handler with the aws-lambda-go runtime loop.
func Start(handler any) {
	if os.Getenv(StartEnv) == "lambda" {
		lambda.Start(handler)
		return
	}
	redirect.Start(handler)
}

// Redirect points the process at the agent without starting the runtime
// loop, for handlers that talk to the Runtime API before lambda.Start (an
// init error report). It does what Start does first, and nothing under
// TEST_HANDLER_START=lambda.
func Redirect() {
	if os.Getenv(StartEnv) == "lambda" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), redirect.WaitBudget)
	defer cancel()
	if _, err := redirect.Redirect(ctx); err != nil {
		log.Printf("redirect to the lambdawaf agent: %v", err)
	}
}
