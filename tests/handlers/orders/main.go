// Command orders is the demo "orders API": an HTTP API (payload v2) handler
// with GET /orders, GET /orders/{id} and POST /orders over an in-memory
// store. It is deliberately ordinary, so the firewall in front of it is the
// only thing between it and hostile input.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

// Order is one order.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

type store struct {
	mu     sync.Mutex
	orders map[string]Order
	nextID int
}

func (s *store) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	method := req.RequestContext.HTTP.Method
	path := strings.TrimSuffix(req.RawPath, "/")
	switch {
	case method == http.MethodGet && path == "/orders":
		s.mu.Lock()
		list := make([]Order, 0, len(s.orders))
		for _, o := range s.orders {
			list = append(list, o)
		}
		s.mu.Unlock()
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		return respond(http.StatusOK, list)
	case method == http.MethodGet && strings.HasPrefix(path, "/orders/"):
		s.mu.Lock()
		o, ok := s.orders[strings.TrimPrefix(path, "/orders/")]
		s.mu.Unlock()
		if !ok {
			return respond(http.StatusNotFound, map[string]string{"message": "order not found"})
		}
		return respond(http.StatusOK, o)
	case method == http.MethodPost && path == "/orders":
		var o Order
		if err := json.Unmarshal([]byte(req.Body), &o); err != nil || o.SKU == "" || o.Quantity <= 0 {
			return respond(http.StatusBadRequest, map[string]string{"message": "an order needs a sku and a positive quantity"})
		}
		s.mu.Lock()
		s.nextID++
		o.ID = fmt.Sprintf("ord-%06d", s.nextID)
		s.orders[o.ID] = o
		s.mu.Unlock()
		return respond(http.StatusCreated, o)
	default:
		return respond(http.StatusNotFound, map[string]string{"message": "no such route"})
	}
}

func respond(status int, v any) (events.APIGatewayV2HTTPResponse, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("encode response: %w", err)
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}, nil
}

func main() {
	s := &store{orders: map[string]Order{}}
	wiring.Start(s.handle)
}
