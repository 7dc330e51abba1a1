package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestReadShellVariable reads a pid assigned to a shell variable
// (pid=12345): the $pid of a later count, listing or limits names it;
// a variable given no pid leaves the process unknown, as before.
func TestReadShellVariable(t *testing.T) {
	const limits = "$ cat /proc/$pid/limits | grep 'open files'\nMax open files 65535 65535 files\n"
	runCases(t, []readCase{
		{
			name: "pid=N, then a count and the limits of $pid",
			text: "$ pid=4242\n$ ls /proc/$pid/fd | wc -l\n58000\n" + limits,
			want: []proc{{PID: 4242, Count: 58000, ByType: map[string]int64{}, Limit: 65535}},
		},
		{
			name: "export PID=N, then ls -l /proc/${PID}/fd",
			text: "# export PID=4242\n# ls -l /proc/${PID}/fd\ntotal 0\n" + row("0", "/dev/null"),
			want: []proc{{PID: 4242, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "a variable set again names the later pid",
			text: "$ pid=4242\n$ pid=4343\n$ ls /proc/$pid/fd | wc -l\n12\n",
			want: []proc{{PID: 4343, Count: 12, ByType: map[string]int64{}}},
		},
		{
			name:  "a variable given no pid leaves the process unknown",
			text:  "$ pid=$(pgrep -f contoso)\n$ ls -l /proc/$pid/fd\ntotal 0\n" + row("0", "/dev/null"),
			want:  []proc{{Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name:  "another variable than the one assigned",
			text:  "$ pid=4242\n$ ls -l /proc/$other/fd\ntotal 0\n" + row("0", "/dev/null"),
			want:  []proc{{Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
	})
}
