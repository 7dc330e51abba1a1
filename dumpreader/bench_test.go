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
