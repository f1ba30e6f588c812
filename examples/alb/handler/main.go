// Command handler is the orders API behind an Application Load Balancer
// target group (multi-value headers on), protected by lambdawaf in-process.
package main

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/redirect"
	"github.com/lambdawaf/lambdawaf/examples/internal/orders"
)

func main() {
	store := orders.NewStore()
	redirect.Start(func(ctx context.Context, e events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
		return handle(store, e), nil
	})
}

func handle(store *orders.Store, e events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
	body := []byte(e.Body)
	if e.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			return respond(e, http.StatusBadRequest, `{"message":"bad base64 body"}`)
		}
		body = b
	}
	// ALB passes query values as the client sent them, still URL-encoded.
	query := map[string]string{}
	for k, v := range e.QueryStringParameters {
		query[unescape(k)] = unescape(v)
	}
	for k, vs := range e.MultiValueQueryStringParameters {
		if len(vs) > 0 {
			query[unescape(k)] = unescape(vs[0])
		}
	}
	r := store.Serve(orders.Request{Method: e.HTTPMethod, Path: e.Path, Query: query, Body: body})
	return respond(e, r.Status, r.Body)
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// respond answers in the header mode the target group uses: ALB rejects a
// response whose mode differs from the request's.
func respond(e events.ALBTargetGroupRequest, status int, body string) events.ALBTargetGroupResponse {
	resp := events.ALBTargetGroupResponse{
		StatusCode:        status,
		StatusDescription: strconv.Itoa(status) + " " + http.StatusText(status),
		Body:              body,
	}
	if e.MultiValueHeaders != nil {
		resp.MultiValueHeaders = map[string][]string{"Content-Type": {"application/json"}}
	} else {
		resp.Headers = map[string]string{"Content-Type": "application/json"}
	}
	return resp
}
