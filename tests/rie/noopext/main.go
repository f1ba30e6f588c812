// Command noopext is the smallest useful external extension: it registers
// for INVOKE and SHUTDOWN (SHUTDOWN only where INVOKE is refused, as in
// Lambda Managed Instances), then waits for events and does nothing with
// them. The rie benchmark runs it beside the handler to measure the cost of
// being an extension at all, the floor under any agent.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "noopext:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	ext, err := lifecycle.NewClient(os.Getenv(contract.EnvRuntimeAPI))
	if err != nil {
		return err
	}
	if err := register(ctx, ext, filepath.Base(os.Args[0])); err != nil {
		return err
	}
	for {
		ev, err := ext.Next(ctx)
		if err != nil {
			return fmt.Errorf("next: %w", err)
		}
		if ev.EventType == lifecycle.Shutdown {
			return nil
		}
	}
}

// register asks for INVOKE and SHUTDOWN, falling back to SHUTDOWN alone
// when the Extensions API refuses INVOKE (Lambda Managed Instances).
func register(ctx context.Context, ext *lifecycle.Client, name string) error {
	_, err := ext.Register(ctx, name, lifecycle.Invoke, lifecycle.Shutdown)
	var refused *lifecycle.StatusError
	if errors.As(err, &refused) && refused.StatusCode >= 400 && refused.StatusCode < 500 {
		_, err = ext.Register(ctx, name, lifecycle.Shutdown)
	}
	if err != nil {
		return fmt.Errorf("register %s: %w", name, err)
	}
	return nil
}
