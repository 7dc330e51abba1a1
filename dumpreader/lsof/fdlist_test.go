package lsof

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFDListCommand checks which command lines list one process's
// descriptors by pid, and which pipe the listing through a filter.
func TestFDListCommand(t *testing.T) {
	tests := []struct {
		cmd      string
		pid      uint64
		filtered bool
		ok       bool
	}{
		{"ls -l /proc/473/fd", 473, false, true},
		{"sudo ls -al /proc/473/fd/", 473, false, true},
		{"ll /proc/88/fd", 88, false, true},
		{"ls -l /proc/473/fd | grep socket", 473, true, true},
		{"ls -l /proc/473/fd | wc -l", 473, true, true},
		{"ls -l /proc/473/fdinfo", 0, false, false},
		{"ls -l /proc/*/fd", 0, false, false},
		{"ls -l /proc/self/fd", 0, false, false},
		{"ls -l /proc/473/fd /proc/474/fd", 0, false, false},
		{"cat /proc/473/fd", 0, false, false},
		{"ls -l /tmp", 0, false, false},
	}
	for _, tc := range tests {
		pid, filtered, ok := fdListCommand([]byte(tc.cmd))
		if pid != tc.pid || filtered != tc.filtered || ok != tc.ok {
			t.Errorf("fdListCommand(%q) = %d, %v, %v; want %d, %v, %v", tc.cmd, pid, filtered, ok, tc.pid, tc.filtered, tc.ok)
		}
	}
}

// TestFDListBesideRows checks an ls -l listing of /proc/PID/fd pasted
// among lsof's output: its rows are the process's descriptors, named by
// their links, and a whole listing is its descriptor count.
func TestFDListBesideRows(t *testing.T) {
	const rows = "$ lsof -nP -i :8080\n" +
		"COMMAND PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n" +
		"relay   610 www     5u  IPv4  14398      0t0  TCP 127.0.0.1:8080 (LISTEN)\n"
	const listing = "total 0\n" +
		"dr-x------. 2 www www  0 2024-03-08 16:07 .\n" +
		"dr-xr-xr-x. 8 www www  0 2024-03-08 16:07 ..\n" +
		"lrwx------. 1 www www 64 2024-03-08 16:08 0 -> /dev/null\n" +
		"l-wx------. 1 www www 64 2024-03-08 16:08 1 -> /var/log/relay.log (deleted)\n" +
		"lrwx------. 1 www www 64 2024-03-08 16:08 4 -> anon_inode:[eventpoll]\n" +
		"lrwx------. 1 www www 64 2024-03-08 16:08 5 -> socket:[14398]\n" +
		"lrwx------. 1 www www 64 2024-03-08 16:09 9 -> socket:[14411]\n"
	type want struct {
		Count                *int64
		Parsed, Deleted      int64
		Unrecognized, Ignore int64
	}
	tests := []struct {
		name, text string
		want       want
	}{
		{"listed without a prompt", rows + "ls -al /proc/610/fd\n" + listing,
			want{Count: lsofCount(5), Parsed: 5, Deleted: 1, Ignore: 3}},
		{"listed after a prompt, before lsof", "$ sudo ls -al /proc/610/fd\n" + listing + rows,
			want{Count: lsofCount(5), Parsed: 5, Deleted: 1, Ignore: 3}},
		{"a grep keeps some: no count", rows + "$ ls -l /proc/610/fd | grep socket\n" +
			"lrwx------ 1 www www 64 Mar  8 16:08 5 -> socket:[14398]\n" +
			"lrwx------ 1 www www 64 Mar  8 16:09 9 -> socket:[14411]\n",
			want{Parsed: 2}},
		{"an elision inside: no count", rows + "ls -l /proc/610/fd\n" +
			"lrwx------ 1 www www 64 Mar  8 16:08 5 -> socket:[14398]\n...\n" +
			"lrwx------ 1 www www 64 Mar  8 16:09 9 -> socket:[14411]\n",
			want{Parsed: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "fdlist.txt")
			p := lsofProcess(t, snap, 610)
			got := want{Count: p.HandleCount, Parsed: p.HandlesParsed, Deleted: p.DeletedFDs,
				Unrecognized: snap.Sources[0].Lines.Unrecognized, Ignore: snap.Sources[0].Lines.Ignored}
			if tc.want.Ignore == 0 {
				got.Ignore = 0
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}
