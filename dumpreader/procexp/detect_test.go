package procexp

import "testing"

// TestSniffText checks detection on short texts: Process Explorer's
// forms, and other tools' tables that share a column or a word.
func TestSniffText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"process list", "Process\tPID\tCPU\tHandles\nSystem\t4\t0.1\t1,200\n", true},
		{"process list, markdown fence", "```\nProcess\tCPU\tPID\nSystem\t0.1\t4\n```\n", true},
		{"handle pane", "Process: a.exe Pid: 10\n\nType\tName\nEvent\t\\BaseNamedObjects\\x\n", true},
		{"process list as a markdown table", "| Process | PID | Handles |\n|---|---:|---:|\n| **agent.exe** | 12 | 9,000 |\n", true},
		{"osquery box table", "+-----+---------+\n| pid | name    |\n+-----+---------+\n| 12  | a.exe   |\n+-----+---------+\n", false},
		{"markdown table of something else", "| Name | Value |\n|---|---|\n| a | 1 |\n", false},

		{"empty", "", false},
		{"heading alone", "Process\tPID\tHandles\n", false},
		{"task manager details", "Name\tPID\tStatus\tUser name\tCPU\tHandles\nx.exe\t12\tRunning\talice\t00\t321\n", false},
		{"system informer tree", "Name\tPID\tCPU\tPrivate bytes\tHandles\nx.exe\t12\t0.1\t1 MB\t321\n", false},
		{"get-process", "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n    321      20    10000      20000       1.00   1234   1 x\n", false},
		{"handle listing", "x.exe pid: 12 D\\u\n   4: File  (RW-)   C:\\a\n", false},
		{"prose", "Process: it leaks. Pid: unknown\nType Name of the thing\n", false},
		{"spaces only", "Process      PID      Handles\nx.exe        12       5\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
