package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestIgnoredCommandsBounded: the commands a capture runs that leakdiag
// does not read are named once each up to maxIgnoredNames; the rest are
// counted in one diagnostic, so a capture of many distinct commands
// cannot grow the reader's table of them.
func TestIgnoredCommandsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxIgnoredNames+10; i++ {
		fmt.Fprintf(&b, "0:000> !cmd%d\nsome output\n", i)
	}
	snap := readString(t, b.String())
	named, more := 0, ""
	for _, d := range snap.Diagnostics {
		switch {
		case d.Code != facts.CodeIgnoredCommand:
		case strings.Contains(d.Message, "more commands"):
			more = d.Message
		default:
			named++
		}
	}
	if named != maxIgnoredNames || !strings.Contains(more, "10 more commands") {
		t.Errorf("%d commands named, want %d; the rest: %q", named, maxIgnoredNames, more)
	}
}

// TestHtraceEntryAloneBetweenRules: an !htrace entry pasted alone, its
// separator before it and no command or header, reads as the trace it
// is; the rules of dashes around it are no unrecognized lines.
func TestHtraceEntryAloneBetweenRules(t *testing.T) {
	const capture = "--------------------------------------\n" +
		"Handle = 0x000002d8 - OPEN\n" +
		"Thread ID = 0x00000b64, Process ID = 0x00000a10\n\n" +
		"0x77001230: ntdll!NtOpenFile+0x0000000c\n" +
		"0x00401a20: contoso_agent!OpenLog+0x00000040\n" +
		"--------------------------------------\n"
	snap := readString(t, capture)
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("unrecognized lines = %d, want 0: %+v", n, snap.Diagnostics)
	}
	var traces int
	for _, p := range snap.Processes {
		traces += int(p.TracedOpens)
	}
	if traces != 1 {
		t.Errorf("%d traces read, want 1", traces)
	}
}
