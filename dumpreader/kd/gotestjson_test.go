package kd

import (
	"testing"
)

// TestGoTestJSONEvents: a Go test suite's `go test -json` log of the cdb
// session it ran is read as the session: each "output" event's Output
// (JSON escapes undone, the t.Log indent and line break dropped) is the
// line read, the suite's other events are ignored, one diagnostic says
// so, and the log is sniffed as kd. A JSON line that is no event, or an
// event whose output is several lines, is not unwrapped.
func TestGoTestJSONEvents(t *testing.T) {
	event := func(action, output string) string {
		s := `{"Time":"2026-04-02T16:13:07.19-04:00","Action":"` + action + `","Package":"contoso/e2e","Test":"TestLeaks"`
		if output != "" {
			s += `,"Output":"` + output + `"`
		}
		return s + "}\n"
	}
	capture := event("run", "") +
		event("output", `        0:000\u003e !htrace -diff\n`) +
		event("output", `        Handle tracing information snapshot successfully taken.\n`) +
		event("output", `        0x1 new stack traces since the previous snapshot.\n`) +
		event("output", `        Outstanding handles opened since the previous snapshot:\n`) +
		event("output", `        --------------------------------------\n`) +
		event("output", `        Handle = 0x00000000000000c4 - OPEN\n`) +
		event("output", `        Thread ID = 0x0000000000001d3c, Process ID = 0x0000000000002a10\n`) +
		event("output", `\n`) +
		event("output", `        0x00007ffb8c66d0c4: ntdll!NtCreateEvent+0x0000000000000014\n`) +
		event("output", `        0x00007ff61a2b1f2c: contoso_tests!Queue::Open+0x000000000000002c\n`) +
		event("output", `        --------------------------------------\n`) +
		event("pass", "")
	checkUnwrappedDiff(t, capture, "go test -json")
	for _, other := range []string{
		`{"schema_version":1,"processes":[]}`,
		`{"Time":"2026-04-02T16:13:07Z","Action":"output","Output":"0:000\u003e !handle\nPROCESS ffff\n"}`,
		`{"Time":"2026-04-02T16:13:07Z","Action":"output","Output":`,
	} {
		if _, ok := goTestLine([]byte(other)); ok {
			t.Errorf("goTestLine(%q) unwrapped, want it left alone", other)
		}
	}
}
