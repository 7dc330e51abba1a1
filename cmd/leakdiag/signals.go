package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context that is canceled on the first SIGINT or
// SIGTERM. The readers stop at their next read with its error, and the
// command returns through its deferred cleanup (a minidump's temporary
// copy removed) instead of dying where it stood. A second signal, once
// the first is taken, ends the program at once, as without the handler.
func interruptible() (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the next signal kills
	}()
	return ctx, stop
}

// interrupted reports whether err is the end of a run its context
// canceled.
func interrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil && errors.Is(err, context.Canceled)
}
