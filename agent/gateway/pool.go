package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Environment is one execution environment: an Invoker that runs one
// invocation at a time and must be closed.
type Environment interface {
	Invoker
	Close(ctx context.Context) error
}

// Pool scales out like Lambda: it starts environments on demand, up to Max,
// hands each invocation an idle one, and makes invocations beyond the bound
// wait up to QueueTimeout before failing with ErrThrottled.
//
// Each environment gets a slot number in [0, Max) that is never shared by
// two live environments, so a factory can derive per-environment resources
// from it (the agent's listener port, a scratch directory).
type Pool struct {
	// New starts the environment for a slot. It is called without the
	// pool's lock held and may take as long as a cold start takes.
	New func(ctx context.Context, slot int) (Environment, error)
	// Max bounds the number of environments (1 when zero).
	Max int
	// QueueTimeout is how long an invocation waits for an environment when
	// Max are busy (0: fail at once).
	QueueTimeout time.Duration

	once   sync.Once
	tokens chan struct{} // one per environment that may exist
	mu     sync.Mutex
	idle   []pooled
	slots  []bool // slot in use by a live environment
	closed bool
	live   map[Environment]int
	gen    int // bumped by Recycle; environments of older generations retire
}

type pooled struct {
	env  Environment
	slot int
	gen  int
}

func (p *Pool) init() {
	p.once.Do(func() {
		n := max(p.Max, 1)
		p.tokens = make(chan struct{}, n)
		p.slots = make([]bool, n)
		p.live = map[Environment]int{}
	})
}

// Invoke runs event in an idle environment, starting one if the bound
// allows, or waits for one to free up.
func (p *Pool) Invoke(ctx context.Context, event []byte) (*Result, error) {
	p.init()
	if err := p.acquireToken(ctx); err != nil {
		return nil, err
	}
	e, err := p.take(ctx)
	if err != nil {
		<-p.tokens
		return nil, err
	}
	res, err := e.env.Invoke(ctx, event)
	if res != nil && res.Stream != nil {
		// The environment stays busy until the stream is drained.
		res.Stream = &releasingStream{ReadCloser: res.Stream, release: func() { p.put(e) }}
		return res, err
	}
	p.put(e)
	return res, err
}

func (p *Pool) acquireToken(ctx context.Context) error {
	select {
	case p.tokens <- struct{}{}:
		return nil
	default:
	}
	if p.QueueTimeout <= 0 {
		return ErrThrottled
	}
	timer := time.NewTimer(p.QueueTimeout)
	defer timer.Stop()
	select {
	case p.tokens <- struct{}{}:
		return nil
	case <-timer.C:
		return ErrThrottled
	case <-ctx.Done():
		return ctx.Err()
	}
}

// take returns an idle environment or starts a new one. The caller holds a
// token, so a new one never exceeds the bound.
func (p *Pool) take(ctx context.Context) (pooled, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return pooled{}, errors.New("pool is closed")
	}
	if n := len(p.idle); n > 0 {
		e := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return e, nil
	}
	slot := -1
	for i, used := range p.slots {
		if !used {
			slot = i
			break
		}
	}
	if slot < 0 { // cannot happen while tokens bound the environments
		p.mu.Unlock()
		return pooled{}, errors.New("pool: no free slot")
	}
	p.slots[slot] = true
	p.mu.Unlock()

	env, err := p.New(ctx, slot)
	if err != nil {
		p.mu.Lock()
		p.slots[slot] = false
		p.mu.Unlock()
		return pooled{}, fmt.Errorf("start environment %d: %w", slot, err)
	}
	p.mu.Lock()
	p.live[env] = slot
	closed, gen := p.closed, p.gen
	p.mu.Unlock()
	if closed {
		_ = env.Close(context.WithoutCancel(ctx))
		return pooled{}, errors.New("pool is closed")
	}
	return pooled{env: env, slot: slot, gen: gen}, nil
}

func (p *Pool) put(e pooled) {
	p.mu.Lock()
	switch {
	case p.closed:
		p.mu.Unlock()
	case e.gen != p.gen:
		// Recycled while busy: retire it now that it is free.
		p.retire(e)
		p.mu.Unlock()
		go e.env.Close(context.Background())
	default:
		p.idle = append(p.idle, e)
		p.mu.Unlock()
	}
	<-p.tokens
}

// retire forgets an environment and frees its slot; p.mu is held.
func (p *Pool) retire(e pooled) {
	delete(p.live, e.env)
	p.slots[e.slot] = false
}

// Recycle replaces every environment: idle ones are shut down now, busy
// ones when their invocation ends, and the next invocations start fresh
// ones (for a function whose code changed). It returns once the idle ones
// are down.
func (p *Pool) Recycle(ctx context.Context) error {
	p.init()
	p.mu.Lock()
	p.gen++
	idle := p.idle
	p.idle = nil
	for _, e := range idle {
		p.retire(e)
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	errs := make([]error, len(idle))
	for i, e := range idle {
		wg.Go(func() { errs[i] = e.env.Close(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Size returns the number of environments started and not yet closed.
func (p *Pool) Size() int {
	p.init()
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.live)
}

// Close shuts every environment down; invocations still running finish
// against environments that are closing.
func (p *Pool) Close(ctx context.Context) error {
	p.init()
	p.mu.Lock()
	p.closed = true
	envs := make([]Environment, 0, len(p.live))
	for env := range p.live {
		envs = append(envs, env)
	}
	p.live = map[Environment]int{}
	p.idle = nil
	p.mu.Unlock()

	var wg sync.WaitGroup
	errs := make([]error, len(envs))
	for i, env := range envs {
		wg.Go(func() { errs[i] = env.Close(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// releasingStream returns its environment to the pool when closed.
type releasingStream struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (s *releasingStream) Close() error {
	err := s.ReadCloser.Close()
	s.once.Do(s.release)
	return err
}

// Warm starts environments until n are running (at most Max), waiting for
// each to be ready when it can say so (a WaitReady(ctx) error method), so
// that the first requests do not pay the cold start and a broken function
// fails before any request.
func (p *Pool) Warm(ctx context.Context, n int) error {
	p.init()
	n = min(n, cap(p.tokens))
	var taken []pooled
	defer func() {
		for _, e := range taken {
			p.put(e)
		}
	}()
	for range n {
		if err := p.acquireToken(ctx); err != nil {
			return err
		}
		e, err := p.take(ctx)
		if err != nil {
			<-p.tokens
			return err
		}
		taken = append(taken, e)
		if r, ok := e.env.(interface{ WaitReady(context.Context) error }); ok {
			if err := r.WaitReady(ctx); err != nil {
				return fmt.Errorf("environment %d: %w", e.slot, err)
			}
		}
	}
	return nil
}
