package minidump

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/leakdiag/leakdiag/internal/mdwrite"
)

// BenchmarkHandles walks a Crashpad-style table of 100,000 handles with
// shared type strings: the cost per handle is one Handle, not the table.
func BenchmarkHandles(b *testing.B) {
	w := mdwrite.New()
	w.SharedTypeStrings = true
	types := []string{"Event", "File", "Key", "Section", "Thread"}
	for i := range 100000 {
		w.AddHandle(uint64(4*i), types[i%len(types)], "", 0, 0x1f0003, 1, 1)
	}
	data := w.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		if err := d.Handles(func(*Handle) error { n++; return nil }); err != nil || n != 100000 {
			b.Fatal(fmt.Sprint(n, err))
		}
	}
}
