package counterlog_test

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/counterlog"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/countergen"
)

// FuzzReadCounterLog feeds the counter log reader arbitrary bytes, seeded
// with generated logs and the corpus's. Properties: no panic, at least one
// snapshot, every line accounted for exactly once, each unrecognized line
// with its warning, every diagnostic on a line of the input, times strictly rising, and the snapshots' JSON
// reads back to the same facts; detection does not panic either.
func FuzzReadCounterLog(f *testing.F) {
	var gen bytes.Buffer
	if _, err := countergen.Write(&gen, countergen.Config{Processes: 3, Samples: 4, Leakers: 1, Restarters: 1, Threads: true}); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	gen.Reset()
	if _, err := countergen.Write(&gen, countergen.Config{Processes: 2, Samples: 3, NoPID: true, Restarters: 1, RestartGap: 1}); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	// The corpus's logs, where it is (beside the repository).
	readtest.Seed(f, "../../../shared/corpus/wintools/perfmon-*")
	f.Add([]byte(`"(PDH-TSV 4.0) (X)(60)"` + "\t" + `"\Prozess(a#1)\Handleanzahl"` + "\n" + `"12/31/2024 23:59:59.999"` + "\t" + `"7.5"` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		log := facts.NewSourceLog("fuzz.csv", counterlog.Name)
		snaps, err := counterlog.Read(log, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) == 0 {
			t.Fatal("no snapshot")
		}
		for i, s := range snaps {
			s.Sources = []facts.Source{log.Source()}
			if i > 0 {
				a, _ := facts.ParseCaptureTime(snaps[i-1].CapturedAt)
				b, ok := facts.ParseCaptureTime(s.CapturedAt)
				if !ok || !b.After(a) {
					t.Fatalf("sample %d at %q, not after %q", i, s.CapturedAt, snaps[i-1].CapturedAt)
				}
			}
		}
		last := snaps[len(snaps)-1]
		last.Diagnostics = log.Diagnostics()
		warned := int64(0)
		for _, d := range last.Diagnostics {
			if d.Code == facts.CodeUnrecognized {
				warned++
			}
		}
		if u := log.Lines.Unrecognized; u <= 200 && warned != u {
			t.Fatalf("%d unrecognized-line warnings for %d unrecognized lines", warned, u)
		}
		readtest.CheckSnapshot(t, snaps[0])
		readtest.CheckSnapshot(t, last)
		counterlog.Sniff(data)
	})
}

// BenchmarkReadDay reads a day at one sample a minute of 1,000 processes
// (Handle Count and ID Process each): 1,440 rows of 2,000 values.
func BenchmarkReadDay(b *testing.B) {
	var buf bytes.Buffer
	if _, err := countergen.Write(&buf, countergen.Config{Processes: 1000, Samples: 1440, Leakers: 1, Restarters: 2, Noise: 5}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		log := facts.NewSourceLog("day.csv", counterlog.Name)
		snaps, err := counterlog.Read(log, bytes.NewReader(buf.Bytes()))
		if err != nil || len(snaps) < 2 {
			b.Fatalf("%d snapshots, %v", len(snaps), err)
		}
	}
}
