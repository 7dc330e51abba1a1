package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestReadPerProcessLs: an ls xargs or a loop runs once per pid, its
// directory naming the process by a placeholder, lists several processes
// one after another: its output is not read as one process's, and a
// diagnostic says so; the listing after it, and a loop over one pid, are
// read.
func TestReadPerProcessLs(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "pgrep | xargs -I PID ls of bare numbers in columns",
			text: " user@host $ pgrep -f contoso | xargs -n 1 -I PID ls /proc/PID/fd/\n" +
				"0  1  10  11  12  2  3\n0  1  10  2  3  4  5  6  7  8  9\n" +
				"$ ls -l /proc/4321/fd\ntotal 0\n" + row("0", "/dev/null"),
			want:  []proc{{PID: 4321, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			codes: []string{procfd.CodePerProcess},
		},
		{
			name:  "a for loop over pgrep's pids with ls -l",
			text:  "# for p in $(pgrep contoso); do ls -l /proc/$p/fd; done\ntotal 0\n" + row("0", "/dev/null") + "total 0\n" + row("0", "/dev/null") + row("7", "socket:[88]"),
			codes: []string{procfd.CodePerProcess},
		},
		{
			name: "a loop over one pid is that pid's",
			text: "$ for i in 1 2; do ls /proc/4321/fd | wc -l; done\n57\n",
			want: []proc{{PID: 4321, Count: 57, ByType: map[string]int64{}}},
		},
	})
}
