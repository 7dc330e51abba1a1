package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestReadForeignCommand reads a session that runs other programs
// between its listings: their command lines and output are ignored, not
// unrecognized, and the listing after them is read whole.
func TestReadForeignCommand(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "ulimit -n and its number before ls -l",
			text: "[root@db ~]$ ulimit -n\n1024\n\n" +
				"[root@db ~]$ ls -l /proc/77/fd/\ntotal 0\n" + row("0", "/dev/null") + row("3", "socket:[9]"),
			want:  []proc{{PID: 77, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
			codes: []string{facts.CodeIgnoredCommand},
		},
		{
			name: "sudo uptime after user@host:dir# and two lines of output",
			text: "ops@web1:/tmp# sudo uptime\n 10:01:02 up 3 days\nload average: 0.1\n" +
				"ops@web1:/tmp# ls -l /proc/8/fd\n" + row("4", "pipe:[5]"),
			want:  []proc{{PID: 8, Count: 1, Parsed: 1, ByType: map[string]int64{"pipe": 1}}},
			codes: []string{facts.CodeIgnoredCommand},
		},
		{
			name:         "prose with a dollar sign stays unrecognized",
			text:         "it costs 5$ a month\n" + "ls -l /proc/9/fd\n" + row("1", "/dev/null"),
			want:         []proc{{PID: 9, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
	})
}
