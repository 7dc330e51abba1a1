package minidump

import (
	"bytes"
	"errors"
	"os"
	"runtime/metrics"
	"testing"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// FuzzOpen opens arbitrary input, reads everything and accounts for every
// byte. The properties: no panic; Open fails only with a *FormatError;
// the accounting adds up and problems point into the file (readAll); and
// the memory allocated stays within a bound derived from the input's size.
func FuzzOpen(f *testing.F) {
	seed, _ := rich()
	f.Add(seed)
	f.Add(hugeClaims())
	for _, rt := range roundTrips {
		b, _ := rt.build()
		f.Add(b)
	}
	b := mdwrite.New()
	b.PaddedModuleList = true
	b.UnusedSlots = 2
	b.AddModule("m", 0x1000, 0x100, 0)
	b.AddStream(12, make([]byte, 16))
	f.Add(b.Bytes())
	if _, err := os.Stat(corpusDir); err == nil {
		for _, path := range corpusFiles(f) {
			if data, err := os.ReadFile(path); err == nil && len(data) <= 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		alloc := heapAllocs(func() {
			d, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("Open() error = %v, want a *FormatError", err)
				}
				return
			}
			c := readAll(t, d)
			for _, op := range c.Ops {
				for _, a := range op.Stack {
					if m, off, ok := d.ModuleAt(a); ok && m.Base+off != a {
						t.Fatalf("ModuleAt(%#x) = %#x+%#x", a, m.Base, off)
					}
				}
			}
			for _, m := range c.Modules {
				d.ModuleAt(m.Base)
			}
			if c.Sys != nil {
				_ = c.Sys.OSVersion()
			}
			d.HandleTable()
			d.HandleTrace()
		})
		// Each pass over the dump may read strings up to twice the file
		// size plus 1 MiB and decodes at most one entry per 12 bytes;
		// readAll makes two passes over the handles. 64 times the size
		// plus 16 MiB is far above that and far below what one unchecked
		// count or length would cost.
		if limit := uint64(64*len(data) + 16<<20); alloc > limit {
			t.Fatalf("reading %d bytes allocated %d bytes, over %d", len(data), alloc, limit)
		}
	})
}

// heapAllocs returns the bytes allocated on the heap while fn runs,
// without stopping the world as runtime.ReadMemStats does.
func heapAllocs(fn func()) uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	fn()
	metrics.Read(s)
	return s[0].Value.Uint64() - before
}
