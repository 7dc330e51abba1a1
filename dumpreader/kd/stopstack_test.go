package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// stopWithRefs is a leak stop whose stack is at 03BA0FE0 and whose owner
// DLL's name is at 03BB1FE2.
const stopWithRefs = "VERIFIER STOP 00000901: pid 0x1234: A HANDLE was leaked.\n\n" +
	"\t00000108 : Value of the leaked handle.\n" +
	"\t03BA0FE0 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n" +
	"\t03BB1FE2 : Address of the owner dll name. Run du <address> to dump it.\n\n"

// TestStopDumpBounds: what a dps or du adds to a stop is bounded and
// added once, however often the capture shows it: a dps pasted twice
// does not double the stack, a du pasted twice does not join the name to
// itself, a stack longer than maxStopFrames is cut, and a name longer
// than maxOwnerName (no DLL's name) is dropped with a diagnostic rather
// than kept cut, naming another DLL.
func TestStopDumpBounds(t *testing.T) {
	dps := "0:000> dps 03BA0FE0\n03ba0fe0  6d0b1a2c vfbasics!AVrfpCreateEventW+0x5c\n03ba0fe4  1b2c3d4e contosohook!Open+0x3a\n"
	du := "0:000> du 03BB1FE2\n03bb1fe2  \"contosohook.dll\"\n"
	var long strings.Builder
	long.WriteString("0:000> dps 03BA0FE0\n")
	for i := range 3 * maxStopFrames {
		fmt.Fprintf(&long, "%08x  1b2c3d4e m!f%d+0x1\n", 0x03ba0fe0+4*i, i)
	}
	var longName strings.Builder
	longName.WriteString("0:000> du 03BB1FE2\n")
	for i := range maxOwnerName/16 + 2 {
		fmt.Fprintf(&longName, "%08x  \"%s\"\n", 0x03bb1fe2+32*i, strings.Repeat("a", 16))
	}
	for _, tc := range []struct {
		name, capture string
		frames        int
		owner         string
		capped        bool
	}{
		{"once", stopWithRefs + dps + du, 2, "contosohook.dll", false},
		{"pasted twice", stopWithRefs + dps + du + dps + du + dps, 2, "contosohook.dll", false},
		{"a stack too long", stopWithRefs + long.String() + long.String(), maxStopFrames, "", false},
		{"a name too long", stopWithRefs + longName.String(), 0, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if len(snap.Processes) != 1 || len(snap.Processes[0].VerifierStops) != 1 {
				t.Fatalf("processes %+v, want one with one stop", snap.Processes)
			}
			s := snap.Processes[0].VerifierStops[0]
			if len(s.Frames) != tc.frames || s.Owner != tc.owner {
				t.Errorf("%d frames, owner %q; want %d, %q (frames %q)", len(s.Frames), s.Owner, tc.frames, tc.owner, s.Frames)
			}
			var capped bool
			for _, d := range snap.Diagnostics {
				capped = capped || d.Code == facts.CodeCapped && strings.Contains(d.Message, "owner DLL name")
			}
			if capped != tc.capped {
				t.Errorf("capped diagnostic %v, want %v: %v", capped, tc.capped, snap.Diagnostics)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines", n)
			}
		})
	}
}

// TestCommandNameBounded: the next command a no-output diagnostic names
// is cut as the command itself is.
func TestCommandNameBounded(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  !handle 0 3", "!handle"},
		{"", ""},
		{strings.Repeat("x", 1000) + " 1", strings.Repeat("x", maxCommandText) + "..."},
	} {
		if got := commandName([]byte(tc.in)); got != tc.want {
			t.Errorf("commandName(%.20q) = %.20q (%d bytes), want %.20q", tc.in, got, len(got), tc.want)
		}
	}
}

// TestStopDumpOfStackTraceRecord: the dps of a leak stop's stack on
// recent verifiers starts at the stack trace record, whose head (a zero
// link, then a word of counts, neither with a symbol) comes before the
// frames; the frames follow it, without the source file and line that
// dps adds with .lines on. A dps that starts at a frame keeps it, and a
// zero after the frames still ends the stack.
func TestStopDumpOfStackTraceRecord(t *testing.T) {
	const stop = "VERIFIER STOP 0000000000000901: pid 0x1A2C: A HANDLE was leaked. \n\n" +
		"\t0000000000000c18 : Value of the leaked handle. Run !htrace <handle> to get additional information about the handle if handle tracing is enabled.\n" +
		"\t000002878b6a4f30 : Address to the allocation stack trace. Run dps <address> to view the allocation stack.\n\n"
	const record = "0:000> dps 2878b6a4f30\n" +
		"00000287`8b6a4f30  00000000`00000000\n" +
		"00000287`8b6a4f38  00100000`00009801\n" +
		"00000287`8b6a4f40  00007ffb`4277d10c contoso!StartWorker+0x19c [c:\\src\\contoso\\thread.c @ 205]\n" +
		"00000287`8b6a4f48  00007ffb`4273318c contoso!Resolver::Start+0x43c [c:\\src\\contoso\\resolver.c @ 1364]\n" +
		"00000287`8b6a4f50  00000000`00000000\n" +
		"00000287`8b6a4f58  00007ffb`4273318c contoso!After+0x1\n"
	const frames = "0:000> dps 2878b6a4f30\n" +
		"00000287`8b6a4f30  00007ffb`4277d10c contoso!StartWorker+0x19c\n" +
		"00000287`8b6a4f38  00000000`00000000\n"
	for _, tc := range []struct {
		name, capture string
		want          []string
	}{
		{"the record's head first", stop + record, []string{"contoso!StartWorker+0x19c", "contoso!Resolver::Start+0x43c"}},
		{"frames first", stop + frames, []string{"contoso!StartWorker+0x19c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if len(snap.Processes) != 1 || len(snap.Processes[0].VerifierStops) != 1 {
				t.Fatalf("processes %+v, want one with one stop", snap.Processes)
			}
			got := snap.Processes[0].VerifierStops[0].Frames
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("frames %q, want %q", got, tc.want)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %+v", n, snap.Diagnostics)
			}
		})
	}
}

// TestStopDumpIsNoIgnoredCommand: the dps and du of a stop's parameters
// are read for the stop, so no diagnostic says their output is not read;
// a du of another address still gets it.
func TestStopDumpIsNoIgnoredCommand(t *testing.T) {
	const dps = "0:000> dps 03BA0FE0\n03ba0fe0  6d0b1a2c vfbasics!AVrfpCreateEventW+0x5c\n03ba0fe4  1b2c3d4e contosohook!Open+0x3a\n"
	const du = "0:000> du 03BB1FE2\n03bb1fe2  \"contosohook.dll\"\n"
	const other = "0:000> du 0500a000\n0500a000  \"fabrikam\"\n"
	for _, tc := range []struct {
		name, capture string
		want          []string
	}{
		{"the stop's parameters", stopWithRefs + dps + du, nil},
		{"another address", stopWithRefs + other, []string{"du"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []string
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, "is not read by leakdiag") {
					got = append(got, strings.Split(d.Message, "\"")[1])
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("commands said not read %q, want %q: %+v", got, tc.want, snap.Diagnostics)
			}
		})
	}
}
