package proctable

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestFill reads a process row's cells into a process, and reports a
// handle count that is no count at the row's line.
func TestFill(t *testing.T) {
	vocab := Vocab{"process": Image, "pid": PID, "parent pid": PPID, "handles": Handles, "image path": Path, "command line": Cmdline}
	cols := Lookup(splitAll("Process\tPID\tHandles\tParent PID\tImage Path\tCommand Line"), vocab)
	rows := []struct {
		row     string
		handles int64 // -1: unknown
		ppid    uint64
		path    string
		diag    bool
	}{
		{"a.exe\t10\t1,234\t4\tC:\\a.exe\ta.exe -x", 1234, 4, `C:\a.exe`, false},
		{"b.exe\t11\tn/a\t\t\t", -1, 0, "", true},
		{"c.exe\t12", -1, 0, "", false}, // the empty cells at the end dropped
	}
	b := facts.NewBuilder()
	log := facts.NewSourceLog("x.txt", "procexp")
	for i, tc := range rows {
		cells := splitAll(tc.row)
		pid, _ := ParseCount(cols.Cell(cells, PID))
		pb := b.ProcessByPID(uint64(pid), facts.Position{Path: "x.txt", Line: int64(i + 1)})
		cols.Fill(pb, cells, log, int64(i+1))
		got := int64(-1)
		if pb.P.HandleCount != nil {
			got = *pb.P.HandleCount
		}
		if got != tc.handles || pb.P.PPID != tc.ppid || pb.P.Path != tc.path {
			t.Errorf("row %q: handles %d, ppid %d, path %q; want %d, %d, %q", tc.row, got, pb.P.PPID, pb.P.Path, tc.handles, tc.ppid, tc.path)
		}
		if i == 0 && pb.P.Cmdline != "a.exe -x" {
			t.Errorf("row %q: command line %q", tc.row, pb.P.Cmdline)
		}
	}
	b.AddSource(log)
	var lines []int64
	for _, d := range b.Snapshot().Diagnostics {
		if d.Code == facts.CodeMissing && strings.Contains(d.Message, "handle count") {
			lines = append(lines, d.Line)
		}
	}
	if len(lines) != 1 || lines[0] != 2 {
		t.Errorf("handle count diagnostics at lines %v, want [2]", lines)
	}
}

func splitAll(row string) [][]byte {
	cells, _ := SplitCells([]byte(row), nil)
	return cells
}
