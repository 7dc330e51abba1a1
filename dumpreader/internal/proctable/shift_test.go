package proctable

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// psVocab names the columns of PowerShell's default Get-Process table.
var psVocab = Vocab{"handles": Handles, "npm(k)": Other, "pm(k)": Other, "ws(k)": Other,
	"cpu(s)": Other, "id": PID, "si": Session, "processname": ImageNoExt}

func TestSplitFixedMovedRows(t *testing.T) {
	const header = "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName"
	tests := []struct {
		name, row string
		want      []string
	}{
		{
			name: "in place",
			row:  "    812      32    25108      26968       4.47   8844   1 ApplicationFrameHost",
			want: []string{"812", "32", "25108", "26968", "4.47", "8844", "1", "ApplicationFrameHost"},
		},
		{
			name: "in place, a blank CPU(s) and a pid short of its heading",
			row:  "   4263       0      200       8412               4   0 System",
			want: []string{"4263", "0", "200", "8412", "", "4", "0", "System"},
		},
		{
			// Markdown took the row for code and dropped four blanks.
			name: "moved four to the left",
			row:  "812      32    25108      26968       4.47   8844   1 ApplicationFrameHost",
			want: []string{"812", "32", "25108", "26968", "4.47", "8844", "1", "ApplicationFrameHost"},
		},
		{
			name: "moved three to the right",
			row:  "       812      32    25108      26968       4.47   8844   1 ApplicationFrameHost",
			want: []string{"812", "32", "25108", "26968", "4.47", "8844", "1", "ApplicationFrameHost"},
		},
	}
	h, ok := ParseFixed([]byte(header), psVocab, false)
	if !ok {
		t.Fatalf("ParseFixed(%q) failed", header)
	}
	var s Splitter
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cells, ok := s.Split(&h, []byte(tc.row))
			if !ok {
				t.Fatalf("Split(%q) = false", tc.row)
			}
			if diff := cmp.Diff(tc.want, cells); diff != "" {
				t.Errorf("Split(%q): diff (-want +got):\n%s", tc.row, diff)
			}
		})
	}
}
