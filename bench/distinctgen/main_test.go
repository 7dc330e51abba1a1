package main

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
)

// TestCaptureReads: leakdiag reads the capture whole, every handle to a
// name of its own, the leaker holding all but 1,000 per other process.
func TestCaptureReads(t *testing.T) {
	var buf bytes.Buffer
	write(&buf, 3, 12_000, true)
	snap, err := dumpreader.Read(&buf, "d.txt", dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
	want := map[string]int64{"app0.exe": 10_000, "app1.exe": 1000, "app2.exe": 1000}
	for _, p := range snap.Processes {
		if p.HandlesParsed != want[p.Image] || p.ByType["File"] != want[p.Image] || p.TopNames[0].Count != 1 {
			t.Errorf("%s: %d handles, %d File, top %+v; want %d, each name once", p.Image, p.HandlesParsed, p.ByType["File"], p.TopNames[0], want[p.Image])
		}
	}
	if p := snap.Processes[0]; p.Image != "app0.exe" || !p.DistinctNamesEstimated {
		t.Errorf("the leaker's %d distinct names are not an estimate", p.DistinctNames)
	}
}
