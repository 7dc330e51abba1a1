package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDebuggerLaunchLine: the shell line that started the debugger names
// the process it attached to, by pid or by image; the warning of a
// noninvasive attach is the debugger's; prose and other commands are not
// read as a launch.
func TestDebuggerLaunchLine(t *testing.T) {
	const trace = "0:000> !htrace -diff\n" +
		"Handle tracing information snapshot successfully taken.\n" +
		"0x1 new stack traces since the previous snapshot.\n" +
		"Ignoring handles that were already closed...\n" +
		"Outstanding handles opened since the previous snapshot:\n" +
		"--------------------------------------\n" +
		"Handle = 0x00000440 - OPEN\n" +
		"Thread ID = 0x00000b0c\n" +
		"0x77c714da: ntdll!NtCreateEvent+0x0000000a\n"
	type proc struct {
		PID   uint64
		Image string
	}
	tests := []struct {
		name, capture string
		want          []proc
		unrecognized  int64
	}{
		{"cmd prompt, noninvasive attach by pid",
			"C:\\>cdb -p 1812 -pvr -y srv* //attach without breaking in\n" +
				"WARNING: Process 1812 is not attached as a debuggee\n" +
				"         The process can be examined but debug events will not be received\n" + trace,
			[]proc{{PID: 1812}}, 0},
		{"PowerShell prompt, attach by image",
			"PS C:\\dbg> .\\cdb.exe -pn contoso.exe\n" + trace,
			[]proc{{Image: "contoso.exe"}}, 0},
		{"bare, with an option",
			"windbg.exe -p 4420\n" + trace,
			[]proc{{PID: 4420}}, 0},
		{"prose that names a debugger", "cdb is the console debugger\n" + trace, []proc{{}}, 1},
		{"another program at a prompt", "C:\\>tasklist -p 1812\n" + trace, []proc{{}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []proc
			for _, p := range snap.Processes {
				got = append(got, proc{PID: p.PID, Image: p.Image})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("unrecognized lines = %d, want %d", n, tc.unrecognized)
			}
		})
	}
}
