package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

const limitsHeader = "Limit                     Soft Limit           Hard Limit           Units\n"

// row is a descriptor row of ls -l.
func row(fd, link string) string {
	return "lrwx------ 1 u u 64 Mar  3 10:00 " + fd + " -> " + link + "\n"
}

func TestReadLimits(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "ls -la with quoted links, then the limits the command names",
			text: "$ ls -la /proc/31/fd\ntotal 0\n" +
				"dr-x------ 2 u u  0 Mar  3 10:00 .\ndr-xr-xr-x 9 u u  0 Mar  3 10:00 ..\n" +
				row("0", "/dev/null") + row("1", "'socket:[9]'") + row("2", "'socket:[10]'") +
				"l-wx------ 1 u u 64 Mar  3 10:00 3 -> '/tmp/a b (deleted)'\n" +
				"$ cat /proc/31/limits\n" + limitsHeader +
				"Max cpu time              unlimited            unlimited            seconds\n" +
				"Max open files            4                    8                    files\n" +
				"Max nice priority         0                    0\n" +
				"Max realtime timeout      unlimited            unlimited            us\n",
			want: []proc{{PID: 31, Count: 4, Parsed: 4, Deleted: 1, Limit: 4,
				ByType: map[string]int64{"device": 1, "socket": 2, "file": 1}}},
		},
		{
			name: "limits of another pid than the one listed: that process's",
			text: "$ ls /proc/8/fd | wc -l\n900\n$ cat /proc/9/limits\n" + limitsHeader +
				"Max open files            1024                 4096                 files\n",
			want: []proc{{PID: 8, Count: 900, ByType: map[string]int64{}},
				{PID: 9, Count: -1, Limit: 1024, ByType: map[string]int64{}}},
		},
		{
			name: "grep of the row by pidof names the process by image",
			text: "$ ls /proc/$(pidof agent)/fd | wc -l\n1000\n" +
				"$ grep 'open files' /proc/$(pidof agent)/limits\nMax open files            1024                 1024                 files\n",
			want: []proc{{Image: "agent", Count: 1000, Limit: 1024, ByType: map[string]int64{}}},
		},
		{
			name: "grep over every process's limits: each row's file names its process",
			text: "$ ls /proc/27/fd | wc -l\n2124\n" +
				"$ grep \"Max open files\" /proc/*/limits\n" +
				"/proc/1/limits:Max open files            65535                65535                files\n" +
				"/proc/27/limits:Max open files            2048                 65535                files\n" +
				"/proc/self/limits:Max open files            1024                 65535                files\n",
			want: []proc{{PID: 27, Count: 2124, Limit: 2048, ByType: map[string]int64{}}},
		},
		{
			name: "limits without their command, one process listed: its",
			text: "$ ls -l /proc/12/fd\n" + row("0", "/dev/null") + limitsHeader +
				"Max open files            2                    4096                 files\n",
			want: []proc{{PID: 12, Count: 1, Parsed: 1, Limit: 2, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "limits without their command, two processes listed: nobody's",
			text: "$ ls /proc/12/fd | wc -l\n3\n$ ls /proc/13/fd | wc -l\n4\n" +
				"Max open files            2                    4096                 files\n",
			want: []proc{{PID: 12, Count: 3, ByType: map[string]int64{}},
				{PID: 13, Count: 4, ByType: map[string]int64{}}},
			codes: []string{procfd.CodeLimitsUnassigned},
		},
		{
			name: "limits without their command, beside another process's limits: nobody's",
			text: "Max open files            2                    4096                 files\n" +
				"$ ls /proc/12/fd | wc -l\n3\n$ cat /proc/13/limits\n" +
				"Max open files            5                    4096                 files\n",
			want: []proc{{PID: 12, Count: 3, ByType: map[string]int64{}},
				{PID: 13, Count: -1, Limit: 5, ByType: map[string]int64{}}},
			codes: []string{procfd.CodeLimitsUnassigned},
		},
		{
			name: "self's limits go with self's listing",
			text: "$ ls -l /proc/self/fd\n" + row("0", "/dev/pts/0") + "$ cat /proc/self/limits\n" + limitsHeader +
				"Max open files            1                    4096                 files\n",
			want: []proc{{Image: "ls", Count: 1, Parsed: 1, Limit: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "self's limits are not the listed pid's",
			text: "$ ls /proc/12/fd | wc -l\n3\n$ cat /proc/self/limits\n" + limitsHeader +
				"Max open files            4                    4096                 files\n",
			want:  []proc{{PID: 12, Count: 3, ByType: map[string]int64{}}},
			codes: []string{procfd.CodeLimitsUnassigned},
		},
		{
			name: "an unlimited soft limit is no limit",
			text: "$ ls /proc/12/fd | wc -l\n3\n$ cat /proc/12/limits\nMax open files            unlimited            unlimited            files\n",
			want: []proc{{PID: 12, Count: 3, ByType: map[string]int64{}}},
		},
		{
			name:         "other limits rows without header or command are not known",
			text:         "$ ls /proc/12/fd | wc -l\n3\nMax processes             63704                63704                processes\n",
			want:         []proc{{PID: 12, Count: 3, ByType: map[string]int64{}}},
			unrecognized: 1,
		},
	})
}
