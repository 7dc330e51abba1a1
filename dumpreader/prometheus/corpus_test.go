package prometheus_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/corpus"
)

// TestCorpus reads the corpus's scrape (wintools/other-prometheus-*):
// windows_exporter's windows_process_handles of 12 processes, its TYPE
// line ignored; figures checked against the file.
func TestCorpus(t *testing.T) {
	dir := corpus.Path(t, "wintools")
	paths, _ := filepath.Glob(filepath.Join(dir, "other-prometheus-*"))
	if len(paths) != 1 {
		t.Fatalf("%d Prometheus captures in the corpus, want the one this test knows", len(paths))
	}
	head, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpreader.Detect(head); got != dumpreader.FormatPrometheus {
		t.Errorf("detected as %q", got)
	}
	snap, err := dumpreader.ReadFile(paths[0], dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snap.Sources[0].Lines, (facts.LineCounts{Total: 13, Parsed: 12, Ignored: 1}); got != want {
		t.Errorf("lines %+v, want %+v", got, want)
	}
	if len(snap.Processes) != 12 || len(snap.Diagnostics) != 0 {
		t.Errorf("%d processes, diagnostics %v; want 12 and none", len(snap.Processes), snap.Diagnostics)
	}
	want := map[uint64]int64{17112: 5703, 24304: 4424, 13368: 625, 32404: 420}
	for _, p := range snap.Processes {
		if n, ok := want[p.PID]; ok {
			if p.HandleCount == nil || *p.HandleCount != n || p.PPID != 524 {
				t.Errorf("pid %d: %v handles, ppid %d; want %d and 524", p.PID, p.HandleCount, p.PPID, n)
			}
			delete(want, p.PID)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing: %v", want)
	}
	if p := snap.Processes[0]; p.Image != "Monitored_Process_5.exe" || p.PID != 10812 {
		t.Errorf("first process %s pid %d", p.Image, p.PID)
	}
}
