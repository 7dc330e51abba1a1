package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestProcessDumpBannerAfterIgnoredOutput checks that a process list
// whose `!process 0 0` line the paste left out, after the output of a
// command leakdiag does not read, is read from its banner on, with one
// repaired diagnostic, the ignored command still named; and that the
// banner's words in a line of that output's own do not end it.
func TestProcessDumpBannerAfterIgnoredOutput(t *testing.T) {
	const list = "PROCESS ffffc98f12345080\n" +
		"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n" +
		"    DirBase: 001ad000  ObjectTable: ffffa58212345e40  HandleCount: 1834.\n" +
		"    Image: System\n\n" +
		"PROCESS ffffc98f12346080\n" +
		"    SessionId: 1  Cid: 0a1c    Peb: 3e1cf12000  ParentCid: 02f4\n" +
		"    DirBase: 1a2b3000  ObjectTable: 00000000  HandleCount:   0.\n" +
		"    Image: contoso.exe\n"
	const pte = "1: kd> !pte fffff80412345678\n" +
		"                                           VA fffff80412345678\n" +
		"PXE at FFFFF6FB7DBEDF80    PPE at FFFFF6FB7DBF0080    PDE at FFFFF6FB7E010480    PTE at FFFFF6FC02090D18\n" +
		"[Fabrikam] Info: driver loaded\n\n"
	tests := []struct {
		name, text string
		want       []string // "pid image count"
		repaired   bool
	}{
		{"the banner ends the ignored output", pte + " **** NT ACTIVE PROCESS DUMP ****\n" + list,
			[]string{"4 System 1834", "2588 contoso.exe 0"}, true},
		{"the banner's words in a line of that output", pte + "[Fabrikam] see **** NT ACTIVE PROCESS DUMP **** below\n" + list,
			nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.text)
			var got []string
			for _, p := range snap.Processes {
				got = append(got, fmt.Sprintf("%d %s %d", p.PID, p.Image, countOrNone(p)))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("processes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			var repaired, ignoredPte bool
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeRepaired && strings.Contains(d.Message, "!process 0") {
					repaired = true
				}
				if d.Code == facts.CodeIgnoredCommand && strings.Contains(d.Message, `"!pte"`) {
					ignoredPte = true
				}
			}
			if repaired != tc.repaired || !ignoredPte {
				t.Errorf("repaired %t (want %t), !pte named as ignored %t: %+v", repaired, tc.repaired, ignoredPte, snap.Diagnostics)
			}
		})
	}
}
