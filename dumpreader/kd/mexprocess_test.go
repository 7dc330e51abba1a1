package kd

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMexProcessRow: the row of mex's !mex.p names a process with its pid
// and handle count, in the user-mode layout (the debuggee, whose handles a
// !handle of the same session lists) and in the kernel one (by address,
// with a create time in a 12-hour clock); a 0 for a process with threads
// is mex failing to read the table, not a count; the table under another
// command counts nothing.
func TestMexProcessRow(t *testing.T) {
	type proc struct {
		PID, PPID uint64
		Image     string
		Handles   int64 // -1 for unknown
		Parsed    int64
	}
	tests := []struct {
		name, capture string
		want          []proc
	}{
		{"user mode, with the debuggee's handles",
			"0:000> !mex.p\n" +
				"Name        Ses PID           PEB              Mods Handle Thrd\n" +
				"=========== === ============= ================ ==== ====== ====\n" +
				"contoso.exe   1 1a2c (0n6700) 0000004a11f30000    7    212    9\n" +
				"\n" +
				"CommandLine: contoso.exe /service\n" +
				"0:000> !handle 0 1 Event\n" +
				"Handle 0000000000000040\n" +
				"  Type         \tEvent\n" +
				"1 handles of type Event\n",
			[]proc{{PID: 0x1a2c, Image: "contoso.exe", Handles: 212, Parsed: 1}}},
		{"the `|` line glued into the name",
			"0:000> !p\n" +
				"Name                              Ses PID          PEB              Mods Handle Thrd\n" +
				"================================= === ============ ================ ==== ====== ====\n" +
				".  0\tid: 1f0\tcreate\tname: agent.exe   1 1f0 (0n496) 00000000002b1000    3     17    1\n",
			[]proc{{PID: 0x1f0, Image: "agent.exe", Handles: 17}}},
		{"kernel mode, PM create time",
			"1: kd> !mex.p ffffa80012345060\n" +
				"Name        Address                  Ses PID           Parent        PEB              Create Time                Mods Handle Thrd User Name\n" +
				"=========== ======================== === ============= ============= ================ ========================== ==== ====== ==== ============\n" +
				"contoso.exe ffffa80012345060 (E|K|O)   1 0b10 (0n2832) 03e8 (0n1000) 000000c1d2e3f000 03/04/2024 09:15:02.118 PM   40  18830   22 CONTOSO\\svc\n",
			[]proc{{PID: 0xb10, PPID: 0x3e8, Image: "contoso.exe", Handles: 18830}}},
		{"a zero count with threads is unknown",
			"0: kd> !mex.p ffffa80000001040\n" +
				"Name   Address                  Ses PID     Parent  PEB              Create Time                Mods Handle Thrd User Name\n" +
				"====== ======================== === ======= ======= ================ ========================== ==== ====== ==== =========\n" +
				"System ffffa80000001040 (E|K|O)   0 4 (0n4) 0 (0n0) 0000000000000000 12/20/2023 07:23:57.634 AM    0      0  241 WORKGROUP\\X$\n",
			[]proc{{PID: 4, Image: "System", Handles: -1}}},
		{"the table under another command",
			"0:000> !peb\n" +
				"Name        Ses PID           PEB              Mods Handle Thrd\n" +
				"=========== === ============= ================ ==== ====== ====\n" +
				"contoso.exe   1 1a2c (0n6700) 0000004a11f30000    7    212    9\n",
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []proc
			for _, p := range snap.Processes {
				h := int64(-1)
				if p.HandleCount != nil {
					h = *p.HandleCount
				}
				got = append(got, proc{PID: p.PID, PPID: p.PPID, Image: p.Image, Handles: h, Parsed: p.HandlesParsed})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMexProcessRowFields: rows that are not the table's shape are not
// read as one.
func TestMexProcessRowFields(t *testing.T) {
	for _, row := range []string{
		"contoso.exe 1 1a2c 0000004a11f30000 7 212 9",          // no decimal echo
		"contoso.exe x 1a2c (0n6700) 0000004a11f30000 7 212 9", // no session
		"contoso.exe 1 1a2c (0n6700) 0000004a11f30000 7 -3 9",  // a negative count
		"1a2c (0n6700) 0000004a11f30000 7 212 9",               // no name
	} {
		if r, ok := parseMexProcRow(splitFields(row), false); ok {
			t.Errorf("parseMexProcRow(%q) = %+v, want no row", row, r)
		}
	}
}

// splitFields splits a row into its fields as the reader does.
func splitFields(s string) [][]byte { return bytes.Fields([]byte(s)) }
