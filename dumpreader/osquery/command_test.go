package osquery_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable/proctest"
	"github.com/leakdiag/leakdiag/dumpreader/osquery"
)

// TestShellCommand checks that the shell command that ran osqueryi is
// read as the capture's command, after the prompts pastes carry, and
// that prose naming osqueryi is not.
func TestShellCommand(t *testing.T) {
	rows := "+------+-----------+--------------+\n" +
		"| pid  | name      | handle_count |\n" +
		"+------+-----------+--------------+\n" +
		"| 4242 | agent.exe | 1200         |\n" +
		"+------+-----------+--------------+\n"
	tests := []struct {
		name    string
		command string
		read    bool // read as the command, not unrecognized
	}{
		{"bare", `osqueryi "select pid, name, handle_count from processes"`, true},
		{"sudo and a path", `$ sudo /usr/local/bin/osqueryi --line "select * from processes where pid = 4242;"`, true},
		{"user@host prompt", `ops@web01:~$ osqueryi --json 'select * from processes'`, true},
		{"root prompt", `[root@web01 ~]# osqueryi "select * from processes"`, true},
		{"PowerShell", `PS C:\Program Files\osquery> .\osqueryi.exe "select pid, name, handle_count from processes"`, true},
		{"cmd", `C:\Program Files\osquery>osqueryi.exe "select * from processes"`, true},
		{"prose", `Then run osqueryi to list the processes:`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.command + "\n" + rows
			if !osquery.Sniff([]byte(text)) {
				t.Fatalf("Sniff = false, want true")
			}
			snap := read(t, text)
			unrecognized := snap.Sources[0].Lines.Unrecognized
			if want := map[bool]int64{true: 0, false: 1}[tc.read]; unrecognized != want {
				t.Errorf("%d lines unrecognized, want %d: %v", unrecognized, want, proctest.DiagLines(snap))
			}
			if len(snap.Processes) != 1 || proctest.Count(snap.Processes[0].HandleCount) != "1200" {
				t.Errorf("processes %v, want agent.exe with 1200 handles", snap.Processes)
			}
		})
	}
}
