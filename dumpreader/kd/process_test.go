package kd

import "testing"

// TestWrappedHandleCountNotAccessible reads a DirBase line a page cut
// after "HandleCount:" whose value, on the next line, is the debugger's
// "<Data Not Accessible>": an unknown count, counted as such, and no line
// left unrecognized; any other line after the label is not its value.
func TestWrappedHandleCountNotAccessible(t *testing.T) {
	const head = "lkd> !process 0 1 fabrikam.exe\nPROCESS ffff828c9ed1080\n" +
		"    SessionId: 1  Cid: 4bd8   Peb: d040bbc000  ParentCid: 03a4\n" +
		"     DirBase: 5fccaa000  ObjectTable: ffff950ad9fa2800  HandleCount:\n"
	for _, tc := range []struct {
		name, next   string
		unrecognized int64
	}{
		{"the value wrapped", "<Data Not Accessible>\n", 0},
		{"not a value", "<see the note below>\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, head+tc.next+"     Image: Fabrikam.exe\n")
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("%d unrecognized lines, want %d: %v", n, tc.unrecognized, snap.Diagnostics)
			}
			if len(snap.Processes) != 1 || snap.Processes[0].PID != 0x4bd8 || snap.Processes[0].HandleCount != nil {
				t.Fatalf("processes %+v, want pid 0x4bd8 with its count unknown", snap.Processes)
			}
		})
	}
}
