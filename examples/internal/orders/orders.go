// Package orders is the small order service the example functions expose
// through their triggers: create, read, list and cancel orders held in
// memory. The examples differ only in how events reach it; the logic, and
// its validation, live here once.
package orders

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Order is one customer order.
type Order struct {
	ID        string    `json:"id"`
	Customer  string    `json:"customer"`
	Items     []Item    `json:"items"`
	Note      string    `json:"note,omitempty"`
	Status    string    `json:"status"`
	Total     float64   `json:"total"`
	CreatedAt time.Time `json:"createdAt"`
}

// Item is one line of an order.
type Item struct {
	SKU      string  `json:"sku"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
}

// Errors returned by the store; HTTP adapters map them to status codes.
var (
	ErrNotFound = errors.New("order not found")
	ErrInvalid  = errors.New("invalid order")
)

// Store holds orders in memory. Lambda keeps it for the life of an
// execution environment, which is enough for a demonstration; a real
// service would use DynamoDB.
type Store struct {
	mu     sync.Mutex
	orders map[string]Order
	seq    int
	now    func() time.Time
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{orders: map[string]Order{}, now: time.Now}
}

// Create validates and stores an order, returning it with its id.
func (s *Store) Create(o Order) (Order, error) {
	if err := validate(o); err != nil {
		return Order{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	o.ID = "ord-" + strconv.Itoa(s.seq)
	o.Status = "placed"
	o.CreatedAt = s.now().UTC()
	o.Total = 0
	for _, it := range o.Items {
		o.Total += float64(it.Quantity) * it.Price
	}
	s.orders[o.ID] = o
	return o, nil
}

// Get returns one order.
func (s *Store) Get(id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	return o, nil
}

// List returns the orders of a customer ("" for all), oldest first.
func (s *Store) List(customer string) []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Order{}
	for _, o := range s.orders {
		if customer == "" || o.Customer == customer {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Cancel marks an order cancelled.
func (s *Store) Cancel(id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	o.Status = "cancelled"
	s.orders[id] = o
	return o, nil
}

func validate(o Order) error {
	if strings.TrimSpace(o.Customer) == "" {
		return fmt.Errorf("%w: customer is required", ErrInvalid)
	}
	if len(o.Items) == 0 {
		return fmt.Errorf("%w: at least one item is required", ErrInvalid)
	}
	for i, it := range o.Items {
		if it.SKU == "" || it.Quantity <= 0 || it.Price < 0 {
			return fmt.Errorf("%w: item %d needs a sku, a positive quantity and a price", ErrInvalid, i)
		}
	}
	return nil
}

// Request is an HTTP request as the trigger delivered it, reduced to what
// the service routes on.
type Request struct {
	Method string
	Path   string
	Query  map[string]string
	Body   []byte
}

// Response is what the service answers; adapters turn it into the
// trigger's response object.
type Response struct {
	Status int
	Body   string
}

// Serve routes one request: GET /orders, POST /orders, GET /orders/{id},
// DELETE /orders/{id}.
func (s *Store) Serve(r Request) Response {
	path := strings.TrimSuffix(r.Path, "/")
	switch {
	case path == "/orders" && r.Method == http.MethodGet:
		return reply(http.StatusOK, s.List(r.Query["customer"]))
	case path == "/orders" && r.Method == http.MethodPost:
		var o Order
		if err := json.Unmarshal(r.Body, &o); err != nil {
			return reply(http.StatusBadRequest, map[string]string{"message": "body must be a JSON order"})
		}
		created, err := s.Create(o)
		if err != nil {
			return reply(http.StatusUnprocessableEntity, map[string]string{"message": err.Error()})
		}
		return reply(http.StatusCreated, created)
	case strings.HasPrefix(path, "/orders/"):
		id := strings.TrimPrefix(path, "/orders/")
		var o Order
		var err error
		switch r.Method {
		case http.MethodGet:
			o, err = s.Get(id)
		case http.MethodDelete:
			o, err = s.Cancel(id)
		default:
			return reply(http.StatusMethodNotAllowed, map[string]string{"message": "method not allowed"})
		}
		if errors.Is(err, ErrNotFound) {
			return reply(http.StatusNotFound, map[string]string{"message": "order not found"})
		}
		return reply(http.StatusOK, o)
	}
	return reply(http.StatusNotFound, map[string]string{"message": "no such route"})
}

func reply(status int, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Response{Status: http.StatusInternalServerError, Body: `{"message":"internal error"}`}
	}
	return Response{Status: status, Body: string(b)}
}
