// Package wiring starts the test handlers the way a protected Go function
// starts: in one place, so every handler reaches the agent the same way.
package wiring

import "github.com/aws/aws-lambda-go/lambda"

// Start runs handler with the aws-lambda-go runtime loop.
func Start(handler any) {
	lambda.Start(handler)
}
