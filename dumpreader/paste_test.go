package dumpreader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestPasteDamageReportedOncePerKind checks that each kind of damage
// gives one diagnostic, at its first line, with the number of lines that
// had it, in every text reader.
func TestPasteDamageReportedOncePerKind(t *testing.T) {
	kd := strings.Join([]string{
		"> 0: kd> **!process 0 0**  ",
		"> PROCESS 896f6a98  SessionId&#8203;: 0  Cid&#8203;: 02fc    Peb: 7ffd7000  ParentCid: 03f8",
		">     DirBase: 7132b000  ObjectTable: e14f7f38  HandleCount&#8203;: 124\\.",
		">     Image: svchost\\.exe  ",
		"",
	}, "\n")
	lsof := strings.Join([]string{
		"> COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF    NODE NAME",
		"> agent   4242 app    3u  IPv4  71234      0t0     TCP 10.0.0.5:443-&gt;10.0.0.9:51000 (CLOSE_WAIT)",
		"",
	}, "\n")
	tests := []struct {
		name, capture string
		format        Format
		want          []string
	}{
		{"kd", kd, FormatKD, []string{
			"1:markdown blockquote prefixes|4",
			"1:markdown bold markers|1",
			"1:markdown hard breaks|2",
			"2:HTML entities|2",
			"3:markdown backslash escapes|2",
		}},
		{"lsof", lsof, FormatLsof, []string{
			"1:markdown blockquote prefixes|2",
			"2:HTML entities|1",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := Read(strings.NewReader(tc.capture), "t.txt", Options{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range snap.Diagnostics {
				if d.Code != facts.CodeRepaired {
					continue
				}
				kind, _, _ := strings.Cut(d.Message, " (")
				var n int
				fmt.Sscanf(d.Message[strings.Index(d.Message, "reading: ")+len("reading: "):], "%d", &n)
				got = append(got, fmt.Sprintf("%d:%s|%d", d.Line, kind, n))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("repaired diagnostics: diff (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
			}
		})
	}
}

// TestPasteDamagedProcessBlock reads a PROCESS block as a ticket shows it
// and as kd printed it: the facts must be the same.
func TestPasteDamagedProcessBlock(t *testing.T) {
	const clean = `PROCESS 896f6a98  SessionId: 0  Cid: 02fc    Peb: 7ffd7000  ParentCid: 03f8
    DirBase: 7132b000  ObjectTable: e14f7f38  HandleCount: 124.
    Image: svchost.exe
`
	damaged := map[string]string{
		"entities and escapes": "PROCESS 896f6a98  SessionId&#8203;: 0  Cid&#8203;: 02fc    Peb&#8203;: 7ffd7000  ParentCid&#8203;: 03f8\n" +
			"&nbsp;     DirBase&#8203;: 7132b000  ObjectTable&#8203;: e14f7f38  HandleCount&#8203;: 124\\.\n" +
			"&nbsp;     Image&#8203;: svchost\\.exe\n",
		"blockquote and hard breaks": "> PROCESS 896f6a98  SessionId: 0  Cid: 02fc    Peb: 7ffd7000  ParentCid: 03f8  \n" +
			">     DirBase: 7132b000  ObjectTable: e14f7f38  HandleCount: 124.  \n>     Image: svchost.exe  \n",
		"tags": "PROCESS <font color=\"#ff0000\">896f6a98</font>  SessionId: 0  Cid: <b>02fc</b>    Peb: 7ffd7000  ParentCid: 03f8\n" +
			"    DirBase: 7132b000  ObjectTable: e14f7f38  HandleCount: <span>124</span>.\n    Image: <strong>svchost.exe</strong>\n",
	}
	want := readString(t, clean).Processes
	for name, capture := range damaged {
		t.Run(name, func(t *testing.T) {
			snap := readString(t, capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines: %v", n, snap.Diagnostics)
			}
			got := snap.Processes
			if len(got) != 1 || got[0].PID != 0x2fc || got[0].Image != "svchost.exe" || got[0].HandleCount == nil || *got[0].HandleCount != 124 {
				t.Errorf("processes %+v, want %+v", got, want)
			}
		})
	}
}
