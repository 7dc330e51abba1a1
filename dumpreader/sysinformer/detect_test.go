package sysinformer

import "testing"

// TestSniffText checks detection on short texts: System Informer's
// copies, and other tools' tables and lists that share a word with them.
func TestSniffText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"statistics, comma", "Handles, 458\nPeak handles, 458\nGDI handles, 338\n", true},
		{"statistics, tab", "Other\nHandles\t458\nPeak handles\t460\nUSER handles\t131\n", true},
		{"tree with heading", "Name\tPID\tCPU\tPrivate bytes\tHandles\nx.exe\t12\t0.1\t1 MB\t321\n", true},
		{"handles tab", "Type\tName\tHandle\tGranted access\nEvent\t\t0x4\t0x1f0003\n", true},
		{"saved tree", "Process Hacker 2.39.124\nProcess tree\n\nName\tPID\tCPU\tHandles\nx.exe\t12\t0.1\t321\n", true},
		{"title and bare rows", "x.exe (12) Properties\nEvent\t\t0x4\n", true},

		{"empty", "", false},
		{"one statistic", "Handles, 458\n", false},
		{"prose with counts", "Handles, we have many.\nPeak handles are a thing.\n", false},
		{"task manager details", "Name\tPID\tStatus\tUser name\tCPU\tHandles\nx.exe\t12\tRunning\talice\t00\t321\n", false},
		{"process explorer list", "Process\tPID\tCPU\tHandles\nSystem\t4\t0.1\t1,200\n", false},
		{"process explorer pane", "Process: a.exe Pid: 10\nType\tName\tHandle\nEvent\t\t0x4\n", false},
		{"csv", "name,age,city\nalice,30,Paris\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
