package dumpreader

import (
	"io"
	"sync"
)

// prefetcher reads its source ahead on another goroutine, a chunk at a
// time, so that the kernel's copy of a large capture into memory overlaps
// the parse of what was read before. Reads from it return the chunks in
// order; Close stops the goroutine.
type prefetcher struct {
	full chan []byte // chunks read, in order
	free chan []byte // buffers to read into
	stop chan struct{}
	once sync.Once
	cur  []byte // the chunk being handed out
	buf  []byte // cur's whole buffer, returned to free when used up
	err  error  // the source's error, valid once full is closed
}

// newPrefetcher starts reading r in chunks of size, with n buffers.
func newPrefetcher(r io.Reader, size, n int) *prefetcher {
	p := &prefetcher{full: make(chan []byte, n), free: make(chan []byte, n), stop: make(chan struct{})}
	for i := 0; i < n; i++ {
		p.free <- make([]byte, size)
	}
	go p.fill(r)
	return p
}

func (p *prefetcher) fill(r io.Reader) {
	defer close(p.full)
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.stop:
			return
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.stop:
				return
			}
		}
		if err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				p.err = err
			}
			return
		}
	}
}

// Read implements io.Reader.
func (p *prefetcher) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.buf != nil {
			p.free <- p.buf[:cap(p.buf)]
			p.buf = nil
		}
		chunk, ok := <-p.full
		if !ok {
			if p.err != nil {
				return 0, p.err
			}
			return 0, io.EOF
		}
		p.cur, p.buf = chunk, chunk
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Close stops reading ahead. It does not close the source.
func (p *prefetcher) Close() {
	p.once.Do(func() { close(p.stop) })
}
