package kd

import "testing"

// TestVerifierBannerNamesTheProcess: the line Application Verifier prints
// as the verified program starts ("AVRF: contoso.exe: pid 0x2A10: flags
// ...: application verifier enabled") gives the process its stops name by
// pid its image; the verifier's other start-up lines are ignored, not
// unrecognized; a line that only starts like it is not read.
func TestVerifierBannerNamesTheProcess(t *testing.T) {
	const capture = "AVRF: contoso_tests.exe: pid 0x2A10: flags 0x80643027: application verifier enabled\n" +
		"Page heap: pid 0x2A10: page heap enabled with flags 0x3.\n" +
		"AVRF: verifier.dll provider initialized for contoso_tests.exe with flags 0x80643027\n" +
		"0:000> g\n\n" +
		"=======================================\n" +
		"VERIFIER STOP 0000000000000901: pid 0x2A10: A HANDLE was leaked. \n\n" +
		"\t00000000000000c4 : Value of the leaked handle. Run !htrace <handle> to get additional information about the handle if handle tracing is enabled.\n\n" +
		"=======================================\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 {
		t.Fatalf("processes %+v, want one", snap.Processes)
	}
	p := snap.Processes[0]
	if p.PID != 0x2a10 || p.Image != "contoso_tests.exe" || len(p.VerifierStops) != 1 {
		t.Errorf("pid %#x image %q, %d stops; want 0x2a10 contoso_tests.exe with the stop", p.PID, p.Image, len(p.VerifierStops))
	}
	for _, other := range []string{
		"AVRF: contoso.exe: pid 0x2A10: flags 0x1: something else",
		"AVRF: contoso.exe: pid zero: flags 0x1: application verifier enabled",
		"AVRF: : pid 0x2A10: flags 0x1: application verifier enabled",
	} {
		if _, _, ok := avrfEnabled([]byte(other)); ok {
			t.Errorf("avrfEnabled(%q) = true, want false", other)
		}
	}
}
