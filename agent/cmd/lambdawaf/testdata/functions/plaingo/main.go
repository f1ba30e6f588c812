// Command plaingo is a Go handler that starts with lambda.Start, not
// redirect.Start: on provided.al2023 it reaches the Runtime API directly,
// around the agent. serve must refuse it before any request.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() (map[string]any, error) {
		return map[string]any{"statusCode": 200, "body": "unprotected"}, nil
	})
}
