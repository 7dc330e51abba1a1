package dumpreader

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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
// gets a worker per core but its own (none with one core), and the last
// case two workers whatever the cores.
func BenchmarkReadKDWorkers(b *testing.B) {
	data := generated(b)
	for _, bc := range []struct {
		name    string
		workers int
	}{{"serial", 1}, {"parallel", 0}, {"parallel-2-workers", 2}} {
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

// BenchmarkReadKDChunks reads the capture of BenchmarkReadKD with two
// workers in chunks of several sizes: a chunk's buffer, its lines and
// their parsed form are held until the reader is done with it, a few
// chunks at once, so the size is memory in flight (bench/perf.sh's peak
// RSS) traded against the cost of handing chunks over.
func BenchmarkReadKDChunks(b *testing.B) {
	data := generated(b)
	for _, size := range []int{32 << 10, 64 << 10, 128 << 10, 256 << 10} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Read(bytes.NewReader(data), "gen.txt", Options{Workers: 2, ChunkSize: size}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQuote compares quoting lines spread over a 75 MB capture by
// reading the file up to them (Quote, as compressed captures still are)
// with reading them by the offsets noted as it was read (Quoter).
func BenchmarkQuote(b *testing.B) {
	path := filepath.Join(b.TempDir(), "gen.txt")
	if err := os.WriteFile(path, generated(b), 0o644); err != nil {
		b.Fatal(err)
	}
	var q Quoter
	snap, err := ReadFile(path, Options{Quoter: &q})
	if err != nil {
		b.Fatal(err)
	}
	var lines []int64
	for _, p := range snap.Processes[len(snap.Processes)-4:] {
		lines = append(lines, p.Source.Line)
		for _, n := range p.TopNames[:min(3, len(p.TopNames))] {
			lines = append(lines, n.First.Line)
		}
	}
	b.Run("reread", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := Quote(path, lines); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("offset", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := q.Quote(path, lines); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDetect measures format detection on the head of a kd capture
// (SniffLen bytes): "session" starts with the debugger's prompt, as a
// log does, and is kd from its first line; "pasted" starts past it, so
// kd's sniff, the loosest, comes last: every stricter one runs over the
// whole head and refuses it first. Detection is most of the start-up of
// a small capture's analysis.
func BenchmarkDetect(b *testing.B) {
	data := generated(b)[:64<<10]
	_, pasted, _ := bytes.Cut(data, []byte("\n"))
	for _, bc := range []struct {
		name string
		head []byte
	}{{"session", data}, {"pasted", pasted}} {
		b.Run(bc.name, func(b *testing.B) {
			if got := Detect(bc.head); got != FormatKD {
				b.Fatalf("Detect = %q, want kd", got)
			}
			b.SetBytes(int64(len(bc.head)))
			b.ReportAllocs()
			for b.Loop() {
				Detect(bc.head)
			}
		})
	}
}
