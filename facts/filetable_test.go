package facts

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFileTable: file-nr's figures, the latest shown winning, file-max
// alone, and the kernel's messages that the table was full; a modern
// kernel's maximum (2^63-1) is kept as 2^40, without a diagnostic, and
// reads back from the snapshot's JSON.
func TestFileTable(t *testing.T) {
	b := NewBuilder()
	pos := Position{Path: "c.txt", Line: 3}
	b.ReportFileMax(65536, pos)
	b.ReportFileNr(60000, 65536, Position{Path: "c.txt", Line: 5})
	b.ReportFileNr(64320, 65536, Position{Path: "c.txt", Line: 9})
	b.ReportFileNr(-1, 65536, pos) // out of range: not recorded
	b.ReportFileMaxReached(65536, Position{Path: "c.txt", Line: 12})
	b.ReportFileMaxReached(0, Position{Path: "c.txt", Line: 13})
	b.ReportFileMax(2097152, pos) // sysctl -w after the reading: a setting, not the table's maximum then
	snap := b.Snapshot()
	want := &FileTable{Allocated: 64320, Max: 65536, LimitReached: 2, LimitReachedMax: 65536, Source: pos}
	if diff := cmp.Diff(want, snap.Memory.FileTable); diff != "" {
		t.Errorf("file table (-want +got):\n%s", diff)
	}

	b = NewBuilder()
	b.ReportFileNr(9344, 1<<63-1, pos)
	snap = b.Snapshot()
	if len(snap.Diagnostics) != 0 || snap.Memory.FileTable.Max != countLimit {
		t.Errorf("a modern kernel's file-max: %+v, diagnostics %+v", snap.Memory.FileTable, snap.Diagnostics)
	}
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap.Memory, back.Memory); diff != "" || len(back.Diagnostics) != 0 {
		t.Errorf("read back (-wrote +read):\n%s\ndiagnostics %+v", diff, back.Diagnostics)
	}
	v := NewViewSet(snap).Snapshot()
	if v.FileTableUsedShare != 9344.0/float64(countLimit) || v.FileTableAllocated != 9344 {
		t.Errorf("facts %d of %d, share %v", v.FileTableAllocated, v.FileTableMax, v.FileTableUsedShare)
	}
}
