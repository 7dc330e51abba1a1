package procfd_test

import "testing"

// TestReadPIDRelativeFD: `ls -l 4242/fd` run in /proc names the process
// by the path relative to it, with or without a prompt that shows /proc
// (the process was unknown, pid 0, and the command an unrecognized line).
func TestReadPIDRelativeFD(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "through a grep, without a prompt",
			text: "ls -l 4242/fd/  | grep -i worker\n" + row("122", "/srv/contoso/logs/worker.log") + row("214", "/srv/contoso/logs/worker.log"),
			want: []proc{{PID: 4242, Count: -1, Parsed: 2, ByType: map[string]int64{"file": 2}}},
		},
		{
			name: "after cd /proc",
			text: "$ cd /proc\n$ ls -l ./4242/fd\ntotal 0\n" + row("0", "/dev/null") + row("3", "socket:[7]"),
			want: []proc{{PID: 4242, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		},
	})
}
