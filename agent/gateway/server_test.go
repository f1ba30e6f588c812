package gateway

import (
	"context"
	"net"
	"testing"
	"time"
)

// TestShutdownDoesNotWaitForConnectionsThatSentNothing: a browser opens a
// connection ahead of the request it may never send (a preconnect). Go's
// server counts such a connection idle only after five seconds, so a
// graceful shutdown waited that long and then failed; Serve closes those
// connections itself and returns at once.
func TestShutdownDoesNotWaitForConnectionsThatSentNothing(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- (&Server{}).Serve(ctx, ln) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(50 * time.Millisecond) // the server has accepted it
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve after cancel = %v, want nil", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("shutdown took %v with a connection that sent nothing", d)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("Serve did not return within 8 s of its context ending")
	}
}
