// Command handler is an ordinary function of an existing stack: the orders
// API on an HTTP API. Nothing in it knows about lambdawaf except the
// one-line redirect.Start, which is a plain lambda.Start when the layer is
// absent.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
	"github.com/lambdawaf/lambdawaf/examples/internal/orders"
)

func main() {
	store := orders.NewStore()
	redirect.Start(func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		r := store.Serve(orders.Request{
			Method: e.RequestContext.HTTP.Method, Path: e.RawPath, Query: e.QueryStringParameters, Body: []byte(e.Body),
		})
		return events.APIGatewayV2HTTPResponse{StatusCode: r.Status, Headers: map[string]string{"Content-Type": "application/json"}, Body: r.Body}, nil
	})
}
