package kd

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCILogTimestamps: a CI job's log of a cdb session, every line
// stamped with the time the CI service wrote it and the runner's own
// lines between, is read as the session: the stamps cut (said in one
// diagnostic), the runner's lines ignored, the !htrace -diff read, and
// the log sniffed as kd.
func TestCILogTimestamps(t *testing.T) {
	const session = "##[group]Run cdb.exe -g -c \"!htrace -enable;g;!htrace -diff;q\" contoso_tests.exe\n" +
		"0:000> !htrace -enable;g;!htrace -diff;q\n" +
		"Handle tracing enabled.\n" +
		"Handle tracing information snapshot successfully taken.\n" +
		"[  PASSED  ] 3 tests.\n" +
		"Handle tracing information snapshot successfully taken.\n" +
		"0x1 new stack traces since the previous snapshot.\n" +
		"Ignoring handles that were already closed...\n" +
		"Outstanding handles opened since the previous snapshot:\n" +
		"--------------------------------------\n" +
		"Handle = 0x00000000000000c4 - OPEN\n" +
		"Thread ID = 0x0000000000001d3c, Process ID = 0x0000000000002a10\n" +
		"\n" +
		"0x00007ffb8c66d0c4: ntdll!NtCreateEvent+0x0000000000000014\n" +
		"0x00007ff61a2b1f2c: contoso_tests!Queue::Open+0x000000000000002c\n" +
		"--------------------------------------\n" +
		"Displayed 0x1 stack traces for outstanding handles opened since the previous snapshot.\n" +
		"##[endgroup]\n"
	for _, tc := range []struct{ name, stamp string }{
		{"GitHub Actions", "2026-03-04T10:21:31.1234567Z "},
		{"Jenkins timestamper", "[2026-03-04T10:21:31.123Z] "},
		{"an offset", "2026-03-04T10:21:31+01:00 "},
		{"GitLab's stream marker", "2026-03-04T10:21:31.123456Z 00O "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			for _, l := range strings.SplitAfter(session, "\n") {
				if l != "" {
					b.WriteString(tc.stamp + l)
				}
			}
			checkUnwrappedDiff(t, b.String(), "timestamps")
		})
	}
	for _, line := range []string{
		"2026-03-04 10:21:31 0:000> !htrace -diff", // no 'T', no zone: not a CI service's stamp
		"2026-03-04T10:21:31 0:000> !htrace -diff", // no zone
		"2026-03-04T10:21:31.Z 0:000>",
		"[2026-03-04T10:21:31Z 0:000>",
		"2026-03-04T10:21:31Zx",
	} {
		if n := ciStampLen([]byte(line)); n != 0 {
			t.Errorf("ciStampLen(%q) = %d, want 0", line, n)
		}
	}
}

// checkUnwrappedDiff checks that a wrapped log of a session whose
// `!htrace -diff` shows one handle opened is read as kd, every line
// recognized, that handle read, and the wrapping undone said at line 1 by
// a diagnostic that mentions note.
func checkUnwrappedDiff(t *testing.T, capture, note string) {
	t.Helper()
	if !Sniff([]byte(capture), false) {
		t.Fatalf("Sniff = false, want the log read as kd")
	}
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].OpenSinceSnapshot != 1 {
		t.Errorf("processes %+v, want the -diff's one handle read", snap.Processes)
	}
	var noted bool
	for _, d := range snap.Diagnostics {
		noted = noted || d.Code == facts.CodeRepaired && d.Line == 1 && strings.Contains(d.Message, note)
	}
	if !noted {
		t.Errorf("no diagnostic says the wrapping (%s) was undone: %+v", note, snap.Diagnostics)
	}
}
