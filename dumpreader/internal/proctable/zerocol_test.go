package proctable

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

func TestSinkZeroColumn(t *testing.T) {
	type row struct {
		image   string
		handles int64
	}
	tests := []struct {
		name    string
		rows    []row
		unknown bool
	}{
		{"every count 0, of processes that hold handles", []row{{"audiodg", 0}, {"explorer", 0}, {"Idle", 0}}, true},
		{"one count not 0", []row{{"audiodg", 0}, {"explorer", 812}}, false},
		{"only pseudo-processes", []row{{"Idle", 0}, {"Registry", 0}, {"Memory Compression", 0}}, false},
		{"a single row", []row{{"audiodg", 0}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := facts.NewBuilder()
			log := facts.NewSourceLog("t.txt", "getprocess")
			s := NewSink(b, log)
			for i, r := range tc.rows {
				n := r.handles
				s.Add(Record{PID: uint64(100 + i), Image: r.image, Handles: &n, Line: int64(i + 1)})
			}
			s.Finish()
			b.AddSource(log)
			snap := b.Snapshot()
			for _, p := range snap.Processes {
				if got := p.HandleCount == nil; got != tc.unknown {
					t.Errorf("pid %d %s: count unknown = %v, want %v", p.PID, p.Image, got, tc.unknown)
				}
			}
			var said bool
			for _, d := range snap.Diagnostics {
				said = said || d.Code == CodeZeroColumn
			}
			if said != tc.unknown {
				t.Errorf("a %s diagnostic: %v, want %v", CodeZeroColumn, said, tc.unknown)
			}
		})
	}
}
