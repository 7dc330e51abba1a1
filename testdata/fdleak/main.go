// Command fdleak leaks file descriptors at a steady rate until it is
// killed, for testing `leakdiag collect` against a live process. It
// prints "fdleak pid N" on its first line, then opens one descriptor (a
// pipe opens two) every 1/rate seconds and never closes any.
//
//	fdleak -kind file|pipe|socket [-rate 10] [-max 0] [-path FILE]
//
// file opens -path (the program's own executable by default) again and
// again; pipe makes pipes; socket connects to a listener of its own that
// closes its end at once, so the leaked sockets sit in CLOSE_WAIT, the
// classic leak of a client that never closes.
//
// It lives in testdata so that `go build ./...` leaves it out; build it
// with `go build ./testdata/fdleak`.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	kind := flag.String("kind", "file", "what to leak: file, pipe or socket")
	rate := flag.Float64("rate", 10, "descriptors to open per second")
	limit := flag.Int("max", 0, "stop opening after this many (0: no limit) and wait to be killed")
	path := flag.String("path", "", "with -kind file, the file to open (default: this program)")
	flag.Parse()
	if err := run(*kind, *rate, *limit, *path); err != nil {
		fmt.Fprintln(os.Stderr, "fdleak:", err)
		os.Exit(2)
	}
}

func run(kind string, rate float64, limit int, path string) error {
	if rate <= 0 {
		return fmt.Errorf("-rate %v: want more than 0", rate)
	}
	open, err := opener(kind, path)
	if err != nil {
		return err
	}
	fmt.Printf("fdleak pid %d\n", os.Getpid())
	// held keeps every descriptor reachable: an unreachable *os.File or
	// net.Conn is closed by its finalizer, which would end the leak.
	var held []io.Closer
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for range tick.C {
		if limit > 0 && len(held) >= limit {
			break
		}
		c, err := open()
		if err != nil {
			return fmt.Errorf("after %d: %w", len(held), err)
		}
		held = append(held, c...)
	}
	select {} // wait to be killed, holding everything
}

// opener returns what opens one more descriptor of kind.
func opener(kind, path string) (func() ([]io.Closer, error), error) {
	switch kind {
	case "file":
		if path == "" {
			exe, err := os.Executable()
			if err != nil {
				return nil, err
			}
			path = exe
		}
		return func() ([]io.Closer, error) {
			f, err := os.Open(path)
			return []io.Closer{f}, err
		}, nil
	case "pipe":
		return func() ([]io.Closer, error) {
			r, w, err := os.Pipe()
			return []io.Closer{r, w}, err
		}, nil
	case "socket":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		return func() ([]io.Closer, error) {
			c, err := net.Dial("tcp", ln.Addr().String())
			return []io.Closer{c}, err
		}, nil
	}
	return nil, fmt.Errorf("-kind %q: want file, pipe or socket", kind)
}
