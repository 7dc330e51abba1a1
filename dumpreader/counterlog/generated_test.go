package counterlog_test

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/counterlog"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/countergen"
)

// A generated log read back: every process's first and last counts as
// written, the restarters twice (another pid after the gap, or another
// run without pids), and the series matches them so.
func TestGeneratedFigures(t *testing.T) {
	for _, noPID := range []bool{false, true} {
		cfg := countergen.Config{Processes: 25, Samples: 40, Leakers: 2, Restarters: 3, Noise: 9, NoPID: noPID, Threads: true}
		var buf bytes.Buffer
		st, err := countergen.Write(&buf, cfg)
		if err != nil {
			t.Fatal(err)
		}
		log := facts.NewSourceLog("gen.csv", counterlog.Name)
		snaps, err := counterlog.Read(log, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if len(snaps) != cfg.Samples || log.Lines != (facts.LineCounts{Total: 41, Parsed: 41}) {
			t.Fatalf("no pid %v: %d snapshots, lines %+v", noPID, len(snaps), log.Lines)
		}
		first, last := map[string]int64{}, map[string]int64{}
		for _, p := range snaps[0].Processes {
			first[p.Instance] = *p.HandleCount
		}
		for _, p := range snaps[len(snaps)-1].Processes {
			last[p.Instance] = *p.HandleCount
		}
		for i, inst := range st.Instances {
			if first[inst] != st.First[i] || last[inst] != st.Last[i] {
				t.Errorf("no pid %v: %s read %d..%d, written %d..%d", noPID, inst, first[inst], last[inst], st.First[i], st.Last[i])
			}
		}
		s, err := facts.NewSeries(snaps, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := cfg.Processes + cfg.Restarters; len(s.Processes) != want {
			t.Errorf("no pid %v: %d processes in the series, want %d (each restarter twice)", noPID, len(s.Processes), want)
		}
	}
}

// A header longer than the 1 MiB other readers take of a line: 12,000
// processes, every one read.
func TestLongHeader(t *testing.T) {
	var buf bytes.Buffer
	if _, err := countergen.Write(&buf, countergen.Config{Processes: 12000, Samples: 2}); err != nil {
		t.Fatal(err)
	}
	if n := bytes.IndexByte(buf.Bytes(), '\n'); n <= 1<<20 {
		t.Fatalf("the header is %d bytes, not longer than 1 MiB", n)
	}
	log := facts.NewSourceLog("wide.csv", counterlog.Name)
	snaps, err := counterlog.Read(log, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || len(snaps[1].Processes) != 12000 || len(log.Diagnostics()) != 0 {
		t.Errorf("%d snapshots, %d processes, diagnostics %v", len(snaps), len(snaps[len(snaps)-1].Processes), log.Diagnostics())
	}
}
