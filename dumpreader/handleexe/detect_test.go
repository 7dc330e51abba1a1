package handleexe

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"testing"
)

// TestLooksLikeHandleExeText checks detection on short texts: Handle's
// forms on their own, and prose and other tools' output that share a
// word or a line shape with them.
func TestLooksLikeHandleExeText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"banner", "Nthandle v4.22 - Handle viewer\nCopyright (C) 1997-2019 Mark Russinovich\n", true},
		{"old banner", "Handle v3.46\nCopyright (C) 1997-2011 Mark Russinovich\nSysinternals - www.sysinternals.com\n", true},
		{"header and listing", "explorer.exe pid: 1764 CONTOSO\\alice\n   1C: File  (RW-)   C:\\Windows\n", true},
		{"header and separator", "-----------\nSystem pid: 4 \\<unable to open process>\n", true},
		{"listing lines", "  24C: File  (RW-)   C:\\x\n  2E8: Section       \\Sessions\\1\\BaseNamedObjects\\y\n", true},
		{"search line", "chrome.exe         pid: 17000  type: File           7D8: C:\\Users\\you\\lockfile\n", true},
		{"summary", "Handle type summary:\n  File            : 25\nTotal handles: 25\n", true},
		{"csv", "Process,PID,Type,Handle,Name\nx.exe,12,File,0x00000054,C:\\a \n", true},
		{"csv rows without header", "x.exe,12,File,0x00000054,C:\\a \nx.exe,12,File,0x00000058,C:\\b \n", true},
		{"cr line ends", "Nthandle v4.22 - Handle viewer\rCopyright (C) 1997-2019 Mark Russinovich\r", true},

		{"empty", "", false},
		{"changelog heading", "Handle v5.0\n\nFixes the CSV header.\n", false},
		{"prose", "Run handle.exe -a -p notepad to see every handle; Handle v4.22 prints a banner first.\n", false},
		{"numbered list", "1: Install the tools\n2: Run them\n3: Read the output\n", false},
		{"other sysinternals tool", "ProcDump v11.0 - Sysinternals process dump utility\nCopyright (C) 2009-2022 Mark Russinovich and Andrew Richards\nSysinternals - www.sysinternals.com\n", false},
		{"log with pid", "2024-01-02 service started pid: 1234 user: svc\n--------------------\n", false},
		{"kd handle entry", "0: kd> !handle 0 3\n0004: Object: e1009568  GrantedAccess: 000f0003\n", false},
		{"um handle", "0:000> !handle\nHandle 4\n  Type         \tKey\n6 Handles\nType           \tCount\nEvent          \t4\n", false},
		{"csv of something else", "name,age,city\nalice,30,Paris\n", false},
		{"volatility 3 pstree rows, the pid after the stars of the depth",
			"* 1832\t4\tMemCompression\t0xd50ebadae580\t82\t-\tN/A\tFalse\t2024-03-12 08:57:52.000000 \tN/A\tMemCompression\t-\t-\n" +
				"* 68\t4\tRegistry\t0xd50eb9310040\t3\t-\tN/A\tFalse\t2024-03-12 09:57:32.000000 \tN/A\tRegistry\t-\t-\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestLooksLikeHandleExeCut checks that a capture longer than what
// detection sees is judged on its complete lines.
func TestLooksLikeHandleExeCut(t *testing.T) {
	line := "   4C: File  (RW-)   C:\\Windows\\System32\\config\\SOFTWARE.LOG1\n"
	var data []byte
	for len(data) < scan.SniffLen {
		data = append(data, line...)
	}
	if !Sniff(data[:scan.SniffLen]) {
		t.Errorf("Sniff(64 KiB of listing lines) = false, want true")
	}
	junk := make([]byte, scan.SniffLen)
	for i := range junk {
		junk[i] = 'x'
	}
	if Sniff(junk) {
		t.Errorf("Sniff(64 KiB without a line break) = true, want false")
	}
}
