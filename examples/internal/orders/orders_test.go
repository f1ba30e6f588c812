package orders

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestServe(t *testing.T) {
	s := NewStore()
	steps := []struct {
		req    Request
		status int
		check  func(t *testing.T, body string)
	}{
		{Request{Method: "POST", Path: "/orders", Body: []byte(`{"customer":"O'Brien","items":[{"sku":"A-1","quantity":2,"price":3.5}],"note":"leave at the door; ring twice"}`)}, http.StatusCreated,
			func(t *testing.T, body string) {
				var o Order
				if err := json.Unmarshal([]byte(body), &o); err != nil || o.ID != "ord-1" || o.Total != 7 || o.Status != "placed" {
					t.Errorf("created %s (%v)", body, err)
				}
			}},
		{Request{Method: "POST", Path: "/orders", Body: []byte(`{"customer":"x","items":[]}`)}, http.StatusUnprocessableEntity, nil},
		{Request{Method: "POST", Path: "/orders", Body: []byte(`not json`)}, http.StatusBadRequest, nil},
		{Request{Method: "GET", Path: "/orders/ord-1"}, http.StatusOK, nil},
		{Request{Method: "GET", Path: "/orders/ord-9"}, http.StatusNotFound, nil},
		{Request{Method: "GET", Path: "/orders", Query: map[string]string{"customer": "O'Brien"}}, http.StatusOK,
			func(t *testing.T, body string) {
				var l []Order
				if err := json.Unmarshal([]byte(body), &l); err != nil || len(l) != 1 {
					t.Errorf("list %s (%v)", body, err)
				}
			}},
		{Request{Method: "DELETE", Path: "/orders/ord-1"}, http.StatusOK,
			func(t *testing.T, body string) {
				var o Order
				if err := json.Unmarshal([]byte(body), &o); err != nil || o.Status != "cancelled" {
					t.Errorf("cancel %s (%v)", body, err)
				}
			}},
		{Request{Method: "PUT", Path: "/orders/ord-1"}, http.StatusMethodNotAllowed, nil},
		{Request{Method: "GET", Path: "/nope"}, http.StatusNotFound, nil},
	}
	for i, st := range steps {
		got := s.Serve(st.req)
		if got.Status != st.status {
			t.Errorf("step %d %s %s: status %d, want %d (%s)", i, st.req.Method, st.req.Path, got.Status, st.status, got.Body)
		}
		if st.check != nil {
			st.check(t, got.Body)
		}
	}
}
