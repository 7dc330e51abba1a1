package dumpreader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHtraceCorpus reads the public !htrace captures: every entry parsed,
// open handles told from closed ones (newest entry first), frames
// normalized, types read from the creating functions.
func TestHtraceCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "htrace")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus at %s: %v", dir, err)
	}
	type stack struct {
		Count int64
		Type  string
		Top   string
	}
	type want struct {
		pid                uint64
		opens, closes, bad int64
		stacks             []stack
		unrecognized       int64
	}
	for file, w := range map[string]want{
		// Kernel mode: 0x7CC closed after it was opened; 0x7DC's latest
		// entry is a bad reference after its close: nothing is open.
		"htrace-kd-0-process-badhandle-xp-msdocs.txt": {opens: 2, closes: 2, bad: 1},
		// Cut right after the OPEN line: an open handle without frames.
		// The verifier stop names the pid, 0x4D38.
		"htrace-um-x64-appverifier-stop901-truncated-uiforetw-55.txt": {pid: 0x4d38, opens: 1},
		"htrace-um-x64-win10-mscorlib-event-orleans-4516-truncated.txt": {pid: 0xf2dc, opens: 1,
			stacks: []stack{{1, "Event", "ntdll!NtCreateEvent+0x14"}}},
		"htrace-um-x64-win7-clr-dotnet-coreclr-24438.txt": {pid: 0x414c, opens: 2,
			stacks: []stack{{1, "Event", "ntdll!ZwCreateEvent+0xa"}, {1, "Thread", "ntdll!ZwCreateThreadEx+0xa"}}},
		"htrace-um-x64-win81-winhttp-dotnet-corefx-2793.txt": {pid: 0x4528, opens: 1,
			stacks: []stack{{1, "Key", "ntdll!ZwOpenKeyEx+0xa"}}},
	} {
		t.Run(file, func(t *testing.T) {
			snap, err := ReadFile(filepath.Join(dir, file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != w.unrecognized {
				t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
			}
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want 1", len(snap.Processes))
			}
			p := snap.Processes[0]
			var got []stack
			for _, s := range p.OpenStacks {
				got = append(got, stack{s.Count, s.Type, s.Frames[0]})
			}
			if p.PID != w.pid || p.TracedOpens != w.opens || p.TracedCloses != w.closes || p.TracedBadReferences != w.bad {
				t.Errorf("pid %#x, opens %d, closes %d, bad %d; want %#x, %d, %d, %d",
					p.PID, p.TracedOpens, p.TracedCloses, p.TracedBadReferences, w.pid, w.opens, w.closes, w.bad)
			}
			if diff := cmp.Diff(w.stacks, got); diff != "" {
				t.Errorf("open stacks: diff (-want +got):\n%s", diff)
			}
		})
	}
}

// A kernel !htrace after the handle table of the same process: the stack
// takes its handle's type from the table, not from the functions in it.
func TestHtraceTypeFromHandleTable(t *testing.T) {
	snap, err := ReadFile("../testdata/kd/htrace-kd-after-handle-table-types-from-table.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := snap.Processes[0]
	if len(p.OpenStacks) != 1 || p.OpenStacks[0].Type != "Semaphore" || p.OpenStacks[0].TypeFrom != "handle table" {
		t.Errorf("open stacks %+v, want one Semaphore stack typed from the handle table", p.OpenStacks)
	}
}
