package kd

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestDebuggeeImageFromFirstModLoad checks that the program of a
// session's first ModLoad line names a user-mode debuggee nothing else
// names, with a diagnostic; that `|` output and a thread's start still
// win; and that a DLL first, a ModLoad after a prompt or a kernel
// capture names nothing.
func TestDebuggeeImageFromFirstModLoad(t *testing.T) {
	const mods = "ModLoad: 00f20000 00f48000   C:\\Program Files\\Contoso Tools\\contoso.exe\n" +
		"ModLoad: 77150000 772ea000   C:\\Windows\\SYSTEM32\\ntdll.dll\n"
	const diff = "0:004> !htrace -diff\n" +
		"Handle tracing information snapshot successfully taken.\n" +
		"0x1 new stack traces since the previous snapshot.\n" +
		"Ignoring handles that were already closed...\n" +
		"Outstanding handles opened since the previous snapshot:\n" +
		"--------------------------------------\n" +
		"Handle = 0x00000148 - OPEN\n" +
		"Thread ID = 0x00001d0c, Process ID = 0x00001a2c\n\n" +
		"0x77171f4c: ntdll!NtCreateFile+0x0000000c\n" +
		"--------------------------------------\n" +
		"Displayed 0x1 stack traces for outstanding handles opened since the previous snapshot.\n"
	tests := []struct {
		name, text, want string
		noted            bool
	}{
		{"the program's ModLoad first", "*** wait with pending attach\n" + mods + diff, "contoso.exe", true},
		{"after the commands the author lists", "!htrace -enable\n!htrace -diff\n\n" + mods + diff, "contoso.exe", true},
		{"| names it", mods + "0:004> |\n.  0\tid: 1a2c\tattach\tname: C:\\tools\\fabrikam.exe\n" + diff, "fabrikam.exe", false},
		{"a DLL first", "ModLoad: 77150000 772ea000   C:\\Windows\\SYSTEM32\\ntdll.dll\n" + diff, "", false},
		{"after a prompt", diff + "0:004> g\n" + mods, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.text)
			if len(snap.Processes) != 1 {
				t.Fatalf("%d processes, want the debuggee", len(snap.Processes))
			}
			if p := snap.Processes[0]; p.Image != tc.want || p.PID != 0x1a2c {
				t.Errorf("debuggee %q pid 0x%x, want %q 0x1a2c", p.Image, p.PID, tc.want)
			}
			noted := false
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeMissing && strings.Contains(d.Message, "first module the debugger loaded") {
					noted = true
				}
			}
			if noted != tc.noted {
				t.Errorf("diagnostic %t, want %t: %+v", noted, tc.noted, snap.Diagnostics)
			}
		})
	}
	t.Run("a kernel capture", func(t *testing.T) {
		snap := readString(t, mods+"kd> !process 0 0 contoso.exe\nPROCESS ffffc10a2b3c4080\n"+
			"    SessionId: 1  Cid: 0a1c    Peb: 3e1cf12000  ParentCid: 02f4\n"+
			"    DirBase: 1a2b3000  ObjectTable: ffffa0012345c7c0  HandleCount: 257.\n    Image: contoso.exe\n")
		if len(snap.Processes) != 1 || snap.Processes[0].PID != 0xa1c {
			t.Errorf("processes %+v, want the listed one alone", snap.Processes)
		}
	})
}
