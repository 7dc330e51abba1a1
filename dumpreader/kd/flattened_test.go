package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestFlattenedProcessBlocks checks that PROCESS blocks a page flattened
// onto one line (its command before them, flags 1 detail lines among
// them, an image name with a blank) are read as the lines they were,
// with their counts, and that the two layouts give the same facts.
func TestFlattenedProcessBlocks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "pid image count exited"
	}{
		{
			name: "after its command, 64-bit, a zombie",
			text: "kd> !process ffffc986a505a080 0 PROCESS ffffc986a505a080 SessionId: 1 Cid: 1010 Peb: 37648ff000 ParentCid: 0588 " +
				"DirBase: 16484cd000 ObjectTable: 00000000 HandleCount: 0. Image: fabrikam.exe\n",
			want: []string{"4112 fabrikam.exe 0 true"},
		},
		{
			name: "two blocks with details, after the banner",
			text: "0: kd> !process 0 1 **** NT ACTIVE PROCESS DUMP **** PROCESS ffffb80f3a6f2040 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000 " +
				"DirBase: 001ad002 ObjectTable: ffff9a0a1e2f6c30 HandleCount: 2748. Image: System VadRoot ffffb80f3d6b1e10 Vads 6 Clone 0 Private 12. " +
				"DeviceMap ffff9a0a1e2f6c30 PROCESS ffffb80f3c1d5080 SessionId: none Cid: 01c8 Peb: 00000000 ParentCid: 0004 " +
				"DirBase: 1a3e00002 ObjectTable: ffff9a0a20ad4e80 HandleCount: 412. Image: Secure System\n",
			want: []string{"4 System 2748 false", "456 Secure System 412 false"},
		},
		{
			name: "one block per line, as printed: unchanged",
			text: "PROCESS 8a5295f0 SessionId: none Cid: 0004 Peb: 00000000 ParentCid: 0000\n" +
				"DirBase: 0acc0020 ObjectTable: e1002e68 HandleCount: 1056.\nImage: System\n",
			want: []string{"4 System 1056 false"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.text)
			var got []string
			for _, p := range snap.Processes {
				got = append(got, fmt.Sprintf("%d %s %d %t", p.PID, p.Image, countOrNone(p), p.Exited))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("processes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if l := snap.Sources[0].Lines; l.Unrecognized != 0 {
				t.Errorf("lines %+v, want none unrecognized", l)
			}
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeTruncated {
					t.Errorf("diagnostic %s: %s", d.Code, d.Message)
				}
			}
		})
	}
}

// countOrNone returns the process's handle count, -1 where the capture
// gives none.
func countOrNone(p *facts.Process) int64 {
	if p.HandleCount == nil {
		return -1
	}
	return *p.HandleCount
}
