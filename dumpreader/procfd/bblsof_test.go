package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
	"github.com/leakdiag/leakdiag/facts"
)

// TestReadBusyboxLsof checks busybox's lsof: pid, executable and link per
// descriptor, tab separated or with the tabs turned into spaces (then
// under an lsof command, or from the second row of a pid, as no pgrep or
// ps line repeats one), a process's rows giving its count only under an
// lsof command no grep filters.
func TestReadBusyboxLsof(t *testing.T) {
	tabbed := "1\t/sbin/tini\t/dev/null\n" +
		"1\t/sbin/tini\tpipe:[7001]\n" +
		"42\t/usr/bin/node\t/dev/null\n" +
		"42\t/usr/bin/node\tanon_inode:[eventpoll]\n" +
		"42\t/usr/bin/node\tsocket:[9001]\n" +
		"42\t/usr/bin/node\tsocket:[9002]\n" +
		"42\t/usr/bin/node\t/srv/app/cache.db (deleted)\n"
	spaced := "1       /sbin/tini      /dev/null\n" +
		"1       /sbin/tini      pipe:[7001]\n" +
		"42      /usr/bin/node   /dev/null\n" +
		"42      /usr/bin/node   anon_inode:[eventpoll]\n" +
		"42      /usr/bin/node   socket:[9001]\n" +
		"42      /usr/bin/node   socket:[9002]\n" +
		"42      /usr/bin/node   /srv/app/cache.db (deleted)\n"
	whole := func(c1, c42 int64) []proc {
		return []proc{
			{PID: 1, Image: "tini", Count: c1, Parsed: 2, ByType: map[string]int64{"device": 1, "pipe": 1}},
			{PID: 42, Image: "node", Count: c42, Parsed: 5,
				ByType:  map[string]int64{"device": 1, "eventpoll": 1, "socket": 2, "file": 1},
				Deleted: 1},
		}
	}
	runCases(t, []readCase{
		{name: "tabs under a prompt's lsof, which ignores -p", text: "/ # lsof -p 42\n" + tabbed, want: whole(2, 5)},
		{name: "tabs turned into spaces under the command", text: "bash-5.1# lsof\n\n" + spaced, want: whole(2, 5)},
		{name: "tabs without a command: maybe a grep's, no counts", text: tabbed, want: whole(-1, -1)},
		{name: "a grep gives no counts", text: "$ lsof | grep -v tini\n" + tabbed, want: whole(-1, -1)},
		{name: "spaces without a command: read from a pid's second row", text: spaced, want: []proc{
			{PID: 1, Image: "tini", Count: -1, Parsed: 1, ByType: map[string]int64{"pipe": 1}},
			{PID: 42, Image: "node", Count: -1, Parsed: 5,
				ByType:  map[string]int64{"device": 1, "eventpoll": 1, "socket": 2, "file": 1},
				Deleted: 1},
		}, unrecognized: 1},
		{name: "spaces without a command, a pid a row, are not read", text: "42 /usr/bin/node /srv/a.js\n43 /usr/bin/node /srv/b.js\n42 /usr/bin/node /srv/c.js\n",
			unrecognized: 3},
		{name: "pgrep -a has the spaced shape", text: "$ pgrep -a node\n42 /usr/bin/node /srv/app/server.js\n43 /usr/bin/node /srv/app/worker.js\n",
			codes: []string{facts.CodeIgnoredCommand}}, // another program's output
		{name: "words that are quotes or brackets alone", text: "$ echo \"\" ( ) | lsof\n", codes: []string{facts.CodeIgnoredCommand}},
		{name: "an lsof command then another command's output", text: "$ lsof -p 42 | wc -l\n7\n42 /usr/bin/node /srv/app/server.js\n",
			want: []proc{{PID: 42, Count: -1, ByType: map[string]int64{}}}, unrecognized: 1, codes: []string{procfd.CodeLsofCount}},
	})
}

// TestReadBusyboxLsofNumbered checks the rows of a newer busybox, which
// print the descriptor's number between the executable and the link:
// tabbed, or turned into spaces, when a row's link is a kind's (no line
// of pgrep or ps has a number and then "socket:[N]") even without the
// command; a row's number is its descriptor's, and gives the peak.
func TestReadBusyboxLsofNumbered(t *testing.T) {
	tabbed := "1\t/sbin/tini\t0\t/dev/null\n" +
		"1\t/sbin/tini\t1\tpipe:[7001]\n" +
		"42\t/usr/bin/contoso\t0\t/dev/null\n" +
		"42\t/usr/bin/contoso\t3\tanon_inode:[eventpoll]\n" +
		"42\t/usr/bin/contoso\t7\tsocket:[9001]\n" +
		"42\t/usr/bin/contoso\t12000\tsocket:[9002]\n"
	spaced := "42      /usr/bin/contoso   7       anon_inode:[pidfd]\n" +
		"42      /usr/bin/contoso   8       anon_inode:[pidfd]\n" +
		"42      /usr/bin/contoso   9       /srv/app/cache.db (deleted)\n"
	runCases(t, []readCase{
		{name: "tabs under busybox's prompt", text: "/ # lsof -p 42\n" + tabbed, want: []proc{
			{PID: 1, Image: "tini", Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "pipe": 1}},
			{PID: 42, Image: "contoso", Count: 4, Parsed: 4, ByType: map[string]int64{"device": 1, "eventpoll": 1, "socket": 2}},
		}},
		{name: "tabs turned into spaces, without a command", text: spaced, want: []proc{
			{PID: 42, Image: "contoso", Count: -1, Parsed: 3, ByType: map[string]int64{"anon_inode": 2, "file": 1}, Deleted: 1},
		}},
		{name: "a number and a path after the executable is read only under lsof", text: "42 /usr/bin/contoso 8080 /srv/app.js\n", unrecognized: 1},
	})
	snap, _ := read(t, "/ # lsof\n"+tabbed)
	if p := snap.Processes[1]; p.PeakHandles == nil || *p.PeakHandles != 12001 {
		t.Errorf("peak = %v, want 12001 (descriptor 12000 is open)", p.PeakHandles)
	}
}
