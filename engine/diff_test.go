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

// TestDiffUnknownCounts: a process whose count the newer capture does not
// give (shown without a count, or a type summary cut short) is "unknown",
// never "shrank" to 0, and so are the types the newer capture does not
// give; the types it gives still compare.
func TestDiffUnknownCounts(t *testing.T) {
	old := build(t, 100,
		proc{addr: "a1", pid: 8, image: "cut.exe", line: 1, handleCount: 40, handles: []hs{{"Event", "", 10}, {"Key", "", 30}}},
		proc{addr: "a2", pid: 12, image: "na.exe", line: 60, handleCount: 25})
	new := build(t, 100,
		proc{addr: "b1", pid: 8, image: "cut.exe", line: 1},
		proc{addr: "b2", pid: 12, image: "na.exe", line: 60})
	// cut.exe's summary was cut after its Event row; na.exe's count is
	// <Data Not Accessible>.
	new.Processes[0].ByType = map[string]int64{"Event": 25}
	new.Processes[0].TypesPartial = true
	s, err := facts.NewSeries([]*facts.Snapshot{old, new}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := engine.DiffOf(context.Background(), load(t), s, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		status, image  string
		old, new, diff int64
	}
	var got []row
	for _, c := range d.Processes {
		got = append(got, row{c.Status, c.Image, c.Old, c.New, c.Delta})
	}
	want := []row{
		{engine.Unknown, "cut.exe", 40, engine.UnknownCount, 0},
		{engine.Unknown, "na.exe", 25, engine.UnknownCount, 0},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	wantTypes := []engine.TypeChange{{Type: "Event", Old: 10, New: 25, Delta: 15}, {Type: "Key", Old: 30, New: engine.UnknownCount}}
	if diff := cmp.Diff(wantTypes, d.Types); diff != "" {
		t.Errorf("machine-wide types (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantTypes, d.Processes[0].Types); diff != "" {
		t.Errorf("cut.exe's types (-want +got):\n%s", diff)
	}
	if d.New.UnknownCounts != 2 || d.New.Handles != 0 || d.Old.Handles != 65 {
		t.Errorf("points %+v -> %+v: want 2 counts unknown in the new one", d.Old, d.New)
	}
	for _, f := range d.Report.Findings {
		if f.RuleID != "LD0008" {
			t.Errorf("finding %s on captures whose counts are unknown: %s", f.RuleID, f.Message)
		}
	}
}

// TestDiffTypeTotals: two system-wide type summaries (handle -s) compare
// type by type; a type the newer one, cut before its total, does not list
// is unknown, not gone.
func TestDiffTypeTotals(t *testing.T) {
	old := &facts.Snapshot{SchemaVersion: facts.SchemaVersion, Sources: []facts.Source{{Path: "old.txt"}},
		TypeTotals: map[string]int64{"Event": 30000, "File": 9000, "Thread": 4800}}
	new := &facts.Snapshot{SchemaVersion: facts.SchemaVersion, Sources: []facts.Source{{Path: "new.txt"}},
		TypeTotals: map[string]int64{"Event": 41000, "File": 9100}, TypeTotalsPartial: true}
	s, err := facts.NewSeries([]*facts.Snapshot{old, new}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := engine.DiffOf(context.Background(), load(t), s, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.TypeChange{
		{Type: "Event", Old: 30000, New: 41000, Delta: 11000},
		{Type: "File", Old: 9000, New: 9100, Delta: 100},
		{Type: "Thread", Old: 4800, New: engine.UnknownCount},
	}
	if diff := cmp.Diff(want, d.Types); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
}
