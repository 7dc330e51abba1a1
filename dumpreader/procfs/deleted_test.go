package procfs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCollectDeletedFiles collects a process of a fake tree holding
// descriptors to deleted files, whose targets are real files named as the
// kernel names them, so that a stat through the descriptor reaches them.
func TestCollectDeletedFiles(t *testing.T) {
	f := newFakeProc(t)
	dir := t.TempDir()
	file := func(name string, size int) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	spool1 := file("spool.1 (deleted)", 5000)
	spool2 := file("spool.2 (deleted)", 700)
	empty := file("empty (deleted)", 0)
	live := file("live.dat", 300)
	gone := filepath.Join(dir, "gone (deleted)")
	if err := os.Mkdir(gone, 0o755); err != nil {
		t.Fatal(err)
	}
	f.add(fakeProcess{
		pid: 4242, ppid: 1, comm: "app", exe: "/usr/bin/app (deleted)", start: 100,
		fds: []fakeFD{
			{3, spool1, "0100002"},
			{4, spool1, "0100000"}, // the same file again: its size once
			{5, spool2, "0100001"},
			{6, empty, "0100002"},
			{7, live, "0100002"},
			{8, gone, "0200000"},                   // a directory
			{9, "/dev/pts/3 (deleted)", "0100002"}, // a terminal gone
			{10, "/memfd:ipc (deleted)", "0100002"},
			{11, "/var/tmp/lost (deleted)", "0100002"}, // not there to stat: counted, size unknown
		},
	})
	snap, err := collect(osSys{}, Options{Root: f.root, Now: fakeNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want 1", len(snap.Processes))
	}
	p := snap.Processes[0]
	type counts struct {
		DeletedFDs, DeletedBytes int64
		ByType                   map[string]int64
	}
	want := counts{
		DeletedFDs: 5, DeletedBytes: 5000 + 700,
		// A deleted file's descriptor is a file still.
		ByType: map[string]int64{"file": 7, "directory": 1, "device": 1},
	}
	got := counts{p.DeletedFDs, p.DeletedBytes, p.ByType}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if len(snap.Diagnostics) != 0 {
		t.Errorf("diagnostics %v, want none", snap.Diagnostics)
	}
}
