package dumpreader

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// readString reads capture as kd text named t.txt.
func readString(t *testing.T, capture string) *facts.Snapshot {
	t.Helper()
	snap, err := Read(strings.NewReader(capture), "t.txt", Options{Format: FormatKD})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestFilesOfOneCaptureMerge reads a `!process 0 0` log and a `!handle` log
// of the same dump as one snapshot.
func TestFilesOfOneCaptureMerge(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "process.txt")
	handles := filepath.Join(dir, "handle.txt")
	os.WriteFile(list, []byte(`kd> !process 0 0
**** NT ACTIVE PROCESS DUMP ****
PROCESS 8164c698  SessionId: 0  Cid: 0794    Peb: 7ffde000  ParentCid: 0100
    DirBase: 0cb08000  ObjectTable: e1a40f20  HandleCount: 12279.
    Image: agent.exe
`), 0o644)
	os.WriteFile(handles, []byte(`kd> .process /p /r 8164c698
Implicit process is now 8164c698
kd> !handle 4 3
Handle table at e1a41000 with 12279 Entries in use
0004: Object: 815f0da0  GrantedAccess: 001f0003 Entry: e1a41008
Object: 815f0da0  Type: (817cce70) Event
    ObjectHeader: 815f0d88 (old version)
        HandleCount: 1  PointerCount: 1
`), 0o644)
	snap, err := ReadFiles([]string{list, handles}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != 1 || len(snap.Sources) != 2 {
		t.Fatalf("%d processes from %d sources, want 1 from 2", len(snap.Processes), len(snap.Sources))
	}
	p := snap.Processes[0]
	if *p.HandleCount != 12279 || p.HandlesParsed != 1 || p.ByType["Event"] != 1 || p.Source.Path != list {
		t.Errorf("agent.exe = %d reported, %d parsed, %v, first seen in %s", *p.HandleCount, p.HandlesParsed, p.ByType, p.Source.Path)
	}

	// A snapshot is a whole capture: it does not merge with another file.
	var buf bytes.Buffer
	snap.WriteJSON(&buf)
	js := filepath.Join(dir, "snap.json")
	os.WriteFile(js, buf.Bytes(), 0o644)
	if _, err := ReadFiles([]string{js, list}, Options{}); err == nil || !strings.Contains(err.Error(), "on its own") {
		t.Errorf("ReadFiles(snapshot, capture) error = %v, want one saying a snapshot is read on its own", err)
	}
}

func TestQuote(t *testing.T) {
	got, err := Quote("../testdata/kd/seed-xp-process00-handle.txt", []int64{33, 3, 3, 5000})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{
		3:  "PROCESS 8a5295f0 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000",
		33: "0004: Object: e1009568 GrantedAccess: 000f0003 Entry: e1674008",
	}
	if len(got) != len(want) || got[3] != want[3] || got[33] != want[33] {
		t.Errorf("Quote = %v, want %v", got, want)
	}
}
