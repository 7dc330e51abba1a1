package engine_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// TestDiffStatuses: grew, appeared, shrank, exited and unchanged, in rank
// order; a pid reused by another image is an exit and an appearance.
func TestDiffStatuses(t *testing.T) {
	old := build(t, 100,
		proc{addr: "a1", pid: 8, image: "grow.exe", line: 1, handles: []hs{{"Event", "", 10}}},
		proc{addr: "a2", pid: 12, image: "shrink.exe", line: 20, handles: []hs{{"File", "", 9}}},
		proc{addr: "a3", pid: 16, image: "same.exe", line: 40, handles: []hs{{"Key", "", 3}}},
		proc{addr: "a4", pid: 20, image: "old.exe", line: 60, handles: []hs{{"Key", "", 5}}})
	old.CapturedAt = "2026-11-27T08:00:00Z"
	new := build(t, 100,
		proc{addr: "b1", pid: 8, image: "grow.exe", line: 1, handles: []hs{{"Event", "", 30}}},
		proc{addr: "b2", pid: 12, image: "shrink.exe", line: 40, handles: []hs{{"File", "", 2}}},
		proc{addr: "b3", pid: 16, image: "same.exe", line: 50, handles: []hs{{"Key", "", 3}}},
		proc{addr: "b4", pid: 20, image: "new.exe", line: 60, handles: []hs{{"Key", "", 7}}})
	new.CapturedAt = "2026-11-27T10:00:00Z"
	s, err := facts.NewSeries([]*facts.Snapshot{old, new}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := engine.DiffOf(context.Background(), load(t), s, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		status, image string
		delta         int64
		perHour       float64
	}
	var got []row
	for _, c := range d.Processes {
		got = append(got, row{c.Status, c.Image, c.Delta, c.PerHour})
	}
	want := []row{
		{engine.Grew, "grow.exe", 20, 10},
		{engine.Appeared, "new.exe", 7, 0},
		{engine.Shrank, "shrink.exe", -7, -3.5},
		{engine.Exited, "old.exe", -5, 0},
		{engine.Unchanged, "same.exe", 0, 0},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if d.Hours != 2 || d.Types[0].Type != "Event" || d.Types[0].Delta != 20 {
		t.Errorf("hours %v, types %+v", d.Hours, d.Types)
	}
	if _, err := engine.DiffOf(context.Background(), load(t), &facts.Series{Points: make([]facts.SeriesPoint, 3)}, engine.Options{}); err == nil {
		t.Error("a diff of three captures: no error")
	}
}
