// Command handler is the orders API behind an API Gateway HTTP API
// (payload format 2.0), protected by lambdawaf in-process: redirect.Start
// points the Go runtime at the agent when the layer is present.
package main

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
	"github.com/lambdawaf/lambdawaf/examples/internal/orders"
)

func main() {
	store := orders.NewStore()
	redirect.Start(func(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return handle(store, e), nil
	})
}

func handle(store *orders.Store, e events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusBadRequest, Body: `{"message":"bad base64 body"}`}
		}
		body = b
	}
	r := store.Serve(orders.Request{
		Method: e.RequestContext.HTTP.Method,
		Path:   e.RawPath,
		Query:  e.QueryStringParameters,
		Body:   body,
	})
	return events.APIGatewayV2HTTPResponse{
		StatusCode: r.Status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       r.Body,
	}
}
