package dumpreader

import (
	"bytes"
	"sync"
	"testing"

	"github.com/leakdiag/leakdiag/internal/kdgen"
)

var (
	benchOnce    sync.Once
	benchCapture []byte
)

// generated returns a capture in the Windows 10 x64 layout with 300,000
// handles over 1,000 processes (about 75 MB), one of them leaking Events.
func generated(tb testing.TB) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if _, err := kdgen.Write(&buf, kdgen.Config{Processes: 1000, Handles: 300_000, Seed: 1}); err != nil {
			tb.Fatal(err)
		}
		benchCapture = buf.Bytes()
	})
	return benchCapture
}

// BenchmarkReadKD measures the kd reader's throughput (MB/s) on a large
// generated capture. bench/kd.sh measures a whole run of the binary.
func BenchmarkReadKD(b *testing.B) {
	data := generated(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(bytes.NewReader(data), "gen.txt", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadKDWorkers compares the serial reader with the parallel one
// (its workers parse the lines, the reader's state machine runs in order)
// on the capture of BenchmarkReadKD; with -cpu 1,2,4 the parallel reader
// gets GOMAXPROCS workers.
func BenchmarkReadKDWorkers(b *testing.B) {
	data := generated(b)
	for _, bc := range []struct {
		name    string
		workers int
	}{{"serial", 1}, {"parallel", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Read(bytes.NewReader(data), "gen.txt", Options{Workers: bc.workers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
