//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// removeOnSignal, while a run writes its reports to temporary files,
// removes them when SIGINT, SIGTERM or SIGHUP ends the run, then lets the
// signal end it as it would have (the files they would have replaced are
// untouched). A signal the run was started ignoring (nohup) stays
// ignored. stop ends the watch.
func removeOnSignal() (stop func()) {
	var sigs []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			pending.removeAll()
			signal.Reset(s)
			syscall.Kill(os.Getpid(), s.(syscall.Signal))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
