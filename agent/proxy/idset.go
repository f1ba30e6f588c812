package proxy

import "sync"

// idSet remembers the last n request ids added.
type idSet struct {
	mu   sync.Mutex
	ring []string
	next int
	m    map[string]struct{}
}

func newIDSet(n int) *idSet {
	return &idSet{ring: make([]string, n), m: make(map[string]struct{}, n)}
}

func (s *idSet) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; ok {
		return
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.m, old)
	}
	s.ring[s.next] = id
	s.m[id] = struct{}{}
	s.next = (s.next + 1) % len(s.ring)
}

func (s *idSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[id]
	return ok
}
