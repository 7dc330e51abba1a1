package procfd_test

import (
	"testing"
)

// TestReadPeak checks that a descriptor numbered 10,000 or more gives the
// process's peak, the least number it held at once, whether the listing
// is whole or cut (a grep, a head, rows pasted without their command),
// and that lower numbers and busybox lsof's unnumbered rows give none; and
// that a count of the descriptors a filter kept (| grep socket | wc -l)
// gives it likewise, from 10,000 on.
func TestReadPeak(t *testing.T) {
	row := func(fd, link string) string {
		return "lrwx------ 1 app app 64 Dec  7 13:58 " + fd + " -> " + link + "\n"
	}
	tests := []struct {
		name string
		text string
		pid  uint64
		want int64 // -1: no peak
	}{
		{"a grep cut the listing", "$ ls -l /proc/4242/fd | grep socket\n" +
			row("10240", "'socket:[51200101]'") + row("10241", "'socket:[51200102]'") + row("9876", "'socket:[51200001]'"),
			4242, 10242},
		{"a whole listing in ls's name order", "$ ls -l /proc/4242/fd\ntotal 0\n" +
			row("0", "/dev/null") + row("1", "/dev/null") + row("10000", "'pipe:[9001]'") + row("2", "/dev/null"),
			4242, 10001},
		{"rows pasted without their command", row("12309", "socket:[1]") + row("12310", "socket:[2]"), 0, 12311},
		{"bare rows cut down with awk", "$ ls -l /proc/77/fd | awk '{print $9, $10, $11}' | tail -2\n" +
			"10998 -> anon_inode:[eventfd]\n10999 -> anon_inode:[eventfd]\n", 77, 11000},
		{"one descriptor at a time", "$ ls -l /proc/77/fd/10500\n" +
			"lrwx------ 1 app app 64 Dec  7 13:58 /proc/77/fd/10500 -> socket:[7]\n", 77, 10501},
		{"find -ls of every process", "# find /proc/*/fd -ls | grep deleted\n" +
			"  5012345      0 l-wx------   1 app      app            64 Dec  7 13:58 /proc/77/fd/20001 -> /var/log/app.log\\ (deleted)\n" +
			"  5012346      0 l-wx------   1 app      app            64 Dec  7 13:58 /proc/77/fd/20002 -> /var/log/app.log\\ (deleted)\n",
			77, 20003},
		{"descriptor 9,999 gives none", "$ ls -l /proc/4242/fd | grep socket\n" +
			row("9998", "socket:[1]") + row("9999", "socket:[2]"), 4242, -1},
		{"busybox lsof numbers no descriptor", "# lsof\n" + bbRows(10002), 7, -1},
		{"a count of the sockets a grep kept", "$ ls -l /proc/4242/fd | grep socket | wc -l\n10500\n", 4242, 10500},
		{"a count of what grep -v kept, less ls's total row", "$ ls -l /proc/4242/fd |grep -v pipe|wc -l\n10500\n", 4242, 10499},
		{"a count in the process's directory, after pwd", "$ pwd\n/proc/4242/fd\n$ ls -l|grep socket |wc -l\n  10500\n", 4242, 10500},
		{"a filtered count under 10,000 gives none", "$ ls -l /proc/4242/fd | grep socket | wc -l\n616\n", 4242, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, _ := read(t, tc.text)
			var got int64 = -1
			found := false
			for _, p := range snap.Processes {
				if p.PID != tc.pid {
					continue
				}
				found = true
				if p.PeakHandles != nil {
					got = *p.PeakHandles
				}
			}
			if !found {
				t.Fatalf("no process of pid %d", tc.pid)
			}
			if got != tc.want {
				t.Errorf("peak handles %d, want %d", got, tc.want)
			}
		})
	}
}

// bbRows returns n rows of busybox lsof for pid 7.
func bbRows(n int) string {
	var b []byte
	for range n {
		b = append(b, "7\t/usr/bin/agent\tsocket:[4]\n"...)
	}
	return string(b)
}
