package kd

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestGluedHeaderFields checks that PROCESS header lines whose labels a
// page glued to the values before them (the blanks between the fields
// dropped) are read as printed: the pid, parent and handle count kept,
// one repaired diagnostic, no missing-value warning; and that a
// ParentCid is not cut at its "Cid:".
func TestGluedHeaderFields(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // "pid ppid image count"
	}{
		{
			name: "64-bit layout",
			text: "lkd> !process 0 0 contoso.exe\nPROCESS ffffc10a2b3c4080\n" +
				"    SessionId: 1Cid: 0a1c    Peb: 7ffd3000ParentCid: 02f4\n" +
				"    DirBase: 3b21c000ObjectTable: ffffa0012345c7c0HandleCount: 257.\n" +
				"    Image: contoso.exe\n",
			want: []string{"2588 756 contoso.exe 257"},
		},
		{
			name: "32-bit layout, NT4's TableSize",
			text: "PROCESS 8a5295f0 SessionId: 0Cid: 00c8 Peb: 7ffdf000ParentCid: 0010\n" +
				"DirBase: 0acc0020ObjectTable: e1002e68TableSize: 31.\nImage: fabrikam.exe\n",
			want: []string{"200 16 fabrikam.exe 31"},
		},
		{
			name: "as printed: unchanged",
			text: "PROCESS ffffc10a2b3c4080\n    SessionId: 1  Cid: 0a1c    Peb: 7ffd3000  ParentCid: 02f4\n" +
				"    DirBase: 3b21c000  ObjectTable: ffffa0012345c7c0  HandleCount: 257.\n    Image: contoso.exe\n",
			want: []string{"2588 756 contoso.exe 257"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.text)
			var got []string
			for _, p := range snap.Processes {
				got = append(got, fmt.Sprintf("%d %d %s %d", p.PID, p.PPID, p.Image, countOrNone(p)))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("processes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			repaired := 0
			for _, d := range snap.Diagnostics {
				if d.Code == facts.CodeMissing {
					t.Errorf("diagnostic %v", d)
				}
				if d.Code == facts.CodeRepaired {
					repaired++
				}
			}
			if glued := strings.Contains(tc.text, "1Cid") || strings.Contains(tc.text, "0Cid"); glued != (repaired == 1) || repaired > 1 {
				t.Errorf("%d repaired diagnostics, glued %t", repaired, glued)
			}
		})
	}
}

// TestUnglue checks the line unglue gives back.
func TestUnglue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SessionId: 1Cid: 0a1c    Peb: 7ffd3000ParentCid: 02f4", "SessionId: 1 Cid: 0a1c    Peb: 7ffd3000 ParentCid: 02f4"},
		{"DirBase: 3b21c000ObjectTable: ffffa0012345c7c0HandleCount: 257.", "DirBase: 3b21c000 ObjectTable: ffffa0012345c7c0 HandleCount: 257."},
		{"SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000", "SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000"},
		{"Cid: 0004", "Cid: 0004"},
	}
	for _, tc := range tests {
		if got := string(unglue([]byte(tc.in), nil)); got != tc.want {
			t.Errorf("unglue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
