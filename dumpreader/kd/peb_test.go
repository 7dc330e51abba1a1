package kd

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestPebNamesTheDebuggee: in a user-mode capture, !peb's ImageFile and
// CommandLine give the debuggee's path, image and command line (before,
// its output was passed over, and a handle leak's process was "(unknown
// image)"); its other lines, and "< Name not readable >", stay ignored.
func TestPebNamesTheDebuggee(t *testing.T) {
	capture := strings.Join([]string{
		`0:000> !peb`,
		`PEB at 000000b14c0d8000`,
		`    BeingDebugged:            Yes`,
		`    ImageBaseAddress:         00007ff61a2b0000`,
		`    CurrentDirectory:  'C:\Windows\system32\'`,
		`    ImageFile:    'C:\Program Files\Contoso\Agent\agent.exe'`,
		`    CommandLine:  '"C:\Program Files\Contoso\Agent\agent.exe" --service'`,
		`    DllPath:      '< Name not readable >'`,
		`    Environment:  000001f5b7c21170`,
		`        windir=C:\Windows`,
		`0:000> !handle 0 0`,
		`48213 Handles`,
		`Type           	Count`,
		`Event          	47960`,
		`File           	253`,
	}, "\n") + "\n"
	snap := readString(t, capture)
	if len(snap.Processes) != 1 {
		t.Fatalf("%d processes, want the debuggee", len(snap.Processes))
	}
	p := snap.Processes[0]
	if p.Image != "agent.exe" || p.Path != `C:\Program Files\Contoso\Agent\agent.exe` || p.Cmdline != `"C:\Program Files\Contoso\Agent\agent.exe" --service` {
		t.Errorf("image %q, path %q, command line %q", p.Image, p.Path, p.Cmdline)
	}
	if p.HandleCount == nil || *p.HandleCount != 48213 {
		t.Errorf("handle count %v, want 48213", p.HandleCount)
	}
	found := false
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, "read only for the image file and command line") {
			found = true
		}
	}
	if !found {
		t.Errorf("no diagnostic says what of !peb is read: %+v", snap.Diagnostics)
	}
}

// TestBannerCommandLine: the command line a debugger started the program
// with (cdb's banner) is the debuggee's.
func TestBannerCommandLine(t *testing.T) {
	snap := readString(t, "CommandLine: python.exe -m contoso.worker --queue q\n0:000> !handle 0 0\n12000 Handles\nType           \tCount\nEvent          \t12000\n")
	if len(snap.Processes) != 1 || snap.Processes[0].Cmdline != "python.exe -m contoso.worker --queue q" || snap.Processes[0].Image != "python.exe" {
		t.Fatalf("processes %+v, want the debuggee python.exe with its command line", snap.Processes)
	}
}
