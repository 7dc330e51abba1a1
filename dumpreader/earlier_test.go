package dumpreader_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
)

// TestReadSeriesOfSummaries: a capture of `handle -s -p PID` run again
// and again, read on its own, is a series of the process's summaries,
// one capture each, the last the capture itself; runs of two processes
// of different lengths end together. Read as a piece of a capture
// (ReadFiles), it is the last summaries alone.
func TestReadSeriesOfSummaries(t *testing.T) {
	summary := func(pid, events int) string {
		return "C:\\tools>handle64 -nobanner -s -p " + strconv.Itoa(pid) + "\n" +
			"Handle type summary:\n" +
			"  Event           : " + strconv.Itoa(events) + "\n" +
			"  File            : 12\n" +
			"Total handles: " + strconv.Itoa(events+12) + "\n\n"
	}
	// The first summary lists a Job the later ones do not: the last
	// summary is the process's table, without it.
	first := strings.Replace(summary(2712, 40), "  File ", "  Job             : 1\n  File ", 1)
	first = strings.Replace(first, "Total handles: 52", "Total handles: 53", 1)
	capture := first + summary(2712, 1040) + summary(3300, 7) + summary(2712, 2040) + summary(3300, 9)
	path := filepath.Join(t.TempDir(), "summaries.txt")
	if err := os.WriteFile(path, []byte(capture), 0o644); err != nil {
		t.Fatal(err)
	}
	snaps, err := dumpreader.ReadSeries([]string{path}, dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type point map[uint64]int64 // pid -> Event handles
	want := []point{{2712: 40}, {2712: 1040, 3300: 7}, {2712: 2040, 3300: 9}}
	if len(snaps) != len(want) {
		t.Fatalf("%d snapshots, want %d", len(snaps), len(want))
	}
	for i, s := range snaps {
		got := point{}
		for _, p := range s.Processes {
			got[p.PID] = p.ByType["Event"]
			var sum int64
			for _, n := range p.ByType {
				sum += n
			}
			if p.HandleCount == nil || *p.HandleCount != sum {
				t.Errorf("capture %d, pid %d: handle count %v, want its summary's total", i, p.PID, p.HandleCount)
			}
		}
		if len(got) != len(want[i]) {
			t.Errorf("capture %d: %v, want %v", i, got, want[i])
		}
		for pid, n := range want[i] {
			if got[pid] != n {
				t.Errorf("capture %d: %v, want %v", i, got, want[i])
			}
		}
		if len(s.Sources) != 1 || s.Sources[0].Path != path {
			t.Errorf("capture %d: sources %+v, want the file", i, s.Sources)
		}
	}
	snap, err := dumpreader.ReadFiles([]string{path}, dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Processes {
		if want := map[uint64]int64{2712: 2040, 3300: 9}[p.PID]; p.ByType["Event"] != want {
			t.Errorf("ReadFiles: pid %d holds %d Event handles, want the last summary's %d", p.PID, p.ByType["Event"], want)
		}
		if _, ok := p.ByType["Job"]; ok {
			t.Errorf("ReadFiles: pid %d by type %v: a Job only the first summary listed", p.PID, p.ByType)
		}
	}
}
