package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestReadSelfApartFromShell: /proc/self/fd lists the descriptors of the
// command that reads it, another process than the shell's $$: a capture
// of both shows two processes, each counted whole, not one whose latest
// listing is short of all it listed.
func TestReadSelfApartFromShell(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "a container's shell, then docker exec ls of /proc/self/fd",
			text: "/ # ls -l /proc/$$/fd\ntotal 0\n" + row("0", "/dev/pts/0") + row("10", "/dev/tty") + row("6", "socket:[701]") +
				"[root@contoso ~]# docker exec c0ffee ls -l '/proc/self/fd'\ntotal 0\n" +
				row("0", "pipe:[874]") + row("1", "pipe:[875]") + row("6", "socket:[701]"),
			want: []proc{
				{Count: 3, Parsed: 3, ByType: map[string]int64{"device": 2, "socket": 1}},
				{Image: "ls", Count: 3, Parsed: 3, ByType: map[string]int64{"pipe": 2, "socket": 1}},
			},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name: "ll /proc/thread-self/fd is ls's too",
			text: "$ ll /proc/thread-self/fd\ntotal 0\n" + row("0", "/dev/pts/0"),
			want: []proc{{Image: "ls", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
	})
}
