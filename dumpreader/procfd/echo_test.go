package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestReadEchoShellPID reads the shell's pid that `echo $$` printed: the
// $$ of a later listing, cd or limits names that pid; without the echo,
// or where it printed no pid, $$ is the process of unknown pid.
func TestReadEchoShellPID(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "echo $$, then ls -l /proc/$$/fd",
			text: "$ echo $$\n4321\n$ ls -l /proc/$$/fd\ntotal 0\n" + row("0", "/dev/pts/3") + row("1", "/dev/pts/3"),
			want: []proc{{PID: 4321, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 2}}},
		},
		{
			name: "echo $$, cd /proc/$$, ls -al fd/, without prompts",
			text: "echo $$\n4321\ncd /proc/$$\nls -al fd/\ntotal 0\n" + row("0", "/dev/pts/3"),
			want: []proc{{PID: 4321, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "the limits of $$ are the echoed pid's",
			text: "$ echo $$\n4321\n$ ls -l /proc/4321/fd\ntotal 0\n" + row("0", "/dev/pts/3") +
				"$ cat /proc/$$/limits\n" + limitsHeader + "Max open files            1024                 4096                 files\n",
			want: []proc{{PID: 4321, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}, Limit: 1024}},
		},
		{
			name:         "echo $$ that printed no pid leaves $$ unknown",
			text:         "$ echo $$\nbash\n$ ls -l /proc/$$/fd\ntotal 0\n" + row("0", "/dev/pts/3"),
			want:         []proc{{Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
			codes:        []string{procfd.CodeUnknownProcess},
		},
		{
			name: "self is not the shell: it is ls",
			text: "$ echo $$\n4321\n$ ls -l /proc/self/fd\ntotal 0\n" + row("0", "/dev/pts/3"),
			want: []proc{{Image: "ls", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
	})
}
