package handleexe

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// TestHandleExeCloseEcho: the handle `handle -c` prints comes without the
// "image pid: N" line of its process. A run that shows it is a close
// command's (its command line, its confirmation prompt, "Handle
// closed.") is said as info; handles without a process in any other run
// (a cut capture) keep their warning.
func TestHandleExeCloseEcho(t *testing.T) {
	const banner = "Nthandle v4.22 - Handle viewer\nCopyright (C) 1997-2019 Mark Russinovich\nSysinternals - www.sysinternals.com\n\n"
	const mutant = "  3E4: Mutant        \\Sessions\\1\\BaseNamedObjects\\Agent_Instance_Mutex\n"
	tests := []struct {
		name  string
		text  string
		diags []string // line:severity:code
	}{
		{
			name:  "closed, no command line",
			text:  banner + mutant + "\nHandle closed.\n",
			diags: []string{"5:info:handle-without-process", "5:info:" + scan.CodePartial},
		},
		{
			name:  "confirmation prompt answered",
			text:  banner + mutant + "Close handle 3E4 in agent.exe (PID 3120)? (y/n) y\n\nHandle closed.\n",
			diags: []string{"5:info:handle-without-process", "5:info:" + scan.CodePartial},
		},
		{
			name:  "a confirmation that names nothing",
			text:  banner + mutant + "Close handle? (y/n) y\nHandle closed.\n",
			diags: []string{"5:info:handle-without-process", "5:info:" + scan.CodePartial},
		},
		{
			name:  "confirmation declined",
			text:  banner + mutant + "Close handle 3E4 in agent.exe (PID 3120)? (y/n) n\n",
			diags: []string{"5:info:handle-without-process", "5:info:" + scan.CodePartial},
		},
		{
			name:  "command line with -c, no pid",
			text:  "C:\\Tools>handle64 -nobanner -c 3E4 -y\n" + mutant,
			diags: []string{"2:info:handle-without-process", "2:info:" + scan.CodePartial},
		},
		{
			name:  "two close runs said once",
			text:  banner + mutant + "Handle closed.\n" + banner + "  75C: Mutant        \\Sessions\\1\\BaseNamedObjects\\Agent_Config_Mutex\nHandle closed.\n",
			diags: []string{"5:info:handle-without-process", "5:info:" + scan.CodePartial},
		},
		{
			name:  "cut capture, no close",
			text:  mutant + "  3E8: Event\n",
			diags: []string{"1:warning:handle-without-process"},
		},
		{
			name:  "cut run, then a close run",
			text:  mutant + "  3E8: Event\n" + banner + "  75C: Mutant        \\Sessions\\1\\BaseNamedObjects\\Agent_Config_Mutex\nHandle closed.\n",
			diags: []string{"1:warning:handle-without-process", "7:info:handle-without-process", "7:info:" + scan.CodePartial},
		},
		{
			name:  "cut run ended by a section",
			text:  mutant + "agent.exe pid: 3120 CONTOSO\\svc\n   8: Event\n",
			diags: []string{"1:warning:handle-without-process"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readHandleExeBytes(t, []byte(tc.text), "t.txt")
			checkHandleExeLines(t, snap, "t.txt")
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d unrecognized lines, want 0: %+v", n, snap.Diagnostics)
			}
			var got []string
			for _, d := range snap.Diagnostics {
				got = append(got, fmt.Sprintf("%d:%s:%s", d.Line, d.Severity, d.Code))
			}
			if diff := cmp.Diff(tc.diags, got); diff != "" {
				t.Errorf("diagnostics: diff (-want +got):\n%s\n%+v", diff, snap.Diagnostics)
			}
		})
	}
}

// TestSniffHandleExeCloseEcho: the output of `handle -nobanner -c` is
// detected by its handle line and the close message after it; either
// alone is not enough.
func TestSniffHandleExeCloseEcho(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"  1A4: File  (RW-)   C:\\Users\\alice\\lock\n\nHandle closed.\n", true},
		{"  1A4: File  (RW-)   C:\\Users\\alice\\lock\nClose handle 1A4 in x.exe (PID 12)? (y/n) y\n", true},
		{"  1A4: File  (RW-)   C:\\Users\\alice\\lock\n", false},
		{"2024-01-02 12:00:01 worker: Handle closed.\nHandle closed.\n", false},
	}
	for _, tc := range tests {
		if got := Sniff([]byte(tc.text)); got != tc.want {
			t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
