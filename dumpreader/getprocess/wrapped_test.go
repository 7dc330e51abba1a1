package getprocess_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
)

// TestWrappedCommandLine: Format-List wraps a long CommandLine or Path
// onto lines indented under its value, breaking it at a blank. The
// value goes on over them, with the blank where the line ended with one
// and without where it did not (a word broken at the line's width):
// before, only its first line was kept, and a script whose path has a
// blank ("...\Start Menu\...") was named by the word before the break.
// Other values' wrapped lines (Modules) add nothing, and a wrapped
// value cut with "..." is not read.
func TestWrappedCommandLine(t *testing.T) {
	in := "PS C:\\> Get-CimInstance Win32_Process | Format-List *\n\n" +
		"Caption        : powershell.exe\n" +
		"CommandLine    : powershell  -ep bypass -f \"C:\\Users\\contoso\\AppData\\Roaming\\Start \n" +
		"                 Menu\\Programs\\Startup\\fabrikam.ps1\"\n" +
		"ExecutablePath : C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\n" +
		"HandleCount    : 380\n" +
		"Modules        : {System.Diagnostics.ProcessModule (powershell.exe),\n" +
		"                 System.Diagnostics.ProcessModule (ntdll.dll)}\n" +
		"ProcessId      : 4100\n\n" +
		"Caption        : contoso.exe\n" +
		"CommandLine    : \"C:\\Program Files\\Contoso\\Agent\\contoso.exe\" --config\n" +
		"                 C:\\ProgramData\\Contoso\\agen...\n" +
		"ExecutablePath : C:\\Program Files\\Contoso\\Agent\n" +
		"                 \\contoso.exe\n" +
		"HandleCount    : 212\n" +
		"ProcessId      : 4200\n"
	snap := proctest.Read(t, []byte(in), "wrapped.txt", dumpreader.FormatGetProcess)
	type proc struct{ Cmdline, Path string }
	got := map[uint64]proc{}
	for _, p := range snap.Processes {
		got[p.PID] = proc{p.Cmdline, p.Path}
	}
	want := map[uint64]proc{
		4100: {
			Cmdline: "powershell  -ep bypass -f \"C:\\Users\\contoso\\AppData\\Roaming\\Start Menu\\Programs\\Startup\\fabrikam.ps1\"",
			Path:    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
		},
		4200: {Path: "C:\\Program Files\\Contoso\\Agent\\contoso.exe"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("processes (-want +got):\n%s", diff)
	}
}
