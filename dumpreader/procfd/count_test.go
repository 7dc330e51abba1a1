package procfd_test

import (
	"fmt"
	"testing"
)

// TestReadCount checks what a `| wc -l` count gives for each ls: the
// lines ls prints besides the descriptors are not descriptors.
func TestReadCount(t *testing.T) {
	tests := []struct {
		cmd  string
		want int64  // the count of 100 lines; -1: none
		out  string // what wc printed, "100" when empty
	}{
		{"ls /proc/1/fd | wc -l", 100, ""},
		{"ls /proc/1/fd|wc -l", 100, ""},
		{"ls -1 /proc/1/fd | wc -l", 100, ""},
		{"ls -l /proc/1/fd | wc -l", 99, ""},
		{"ls -l /proc/1/fd|wc -l", 99, ""},
		{"sudo ls -la /proc/1/fd | wc -l", 97, ""},
		{"ls -l -a /proc/1/fd | wc -l", 97, ""},
		{"ls --all /proc/1/fd | wc -l", 98, ""},
		{"ls -a /proc/1/fd | wc -l", 98, ""},
		{"ls -f /proc/1/fd | wc -l", 98, ""},
		{"ls -f1 /proc/1/fd | wc -l", 98, ""},
		{"ls -lf /proc/1/fd | wc -l", 98, ""},
		{"ls -fl /proc/1/fd | wc -l", 97, ""},
		{"ls -lA /proc/1/fd | wc -l", 99, ""},
		{"ls -aA /proc/1/fd | wc -l", 100, ""},
		{"ls -s /proc/1/fd | wc -l", 99, ""},
		{"ls -n /proc/1/fd | wc -l", 99, ""},
		{"ll /proc/1/fd | wc -l", 97, ""},
		{"ls --color=never /proc/1/fd | wc -l", 100, ""},
		{"ls /proc/$(pgrep -f app)/fd | wc -l", 100, ""},
		{"ls -l /proc/$(pgrep -f app)/fd | wc -l", 99, ""},
		{"ls /proc/`pgrep -f app`/fd | wc -l", 100, ""},
		{"ls -l /proc/$(pidof -s app)/fd | wc -l", 99, ""},
		{"ls -a /proc/$(pgrep -f app)/fd | wc -l", 98, ""},
		{"ls -l /proc/1/fd/* | wc -l", 100, ""},
		{"ls -l /proc/1/fd | sort | wc -l", 99, ""},
		{"ls -l /proc/1/fd | wc --lines", 99, ""},
		{"ls -l /proc/1/fd | grep socket | wc -l", -1, ""},
		{"ls -C /proc/1/fd | wc -l", -1, ""},
		{"ls -ld /proc/1/fd | wc -l", -1, ""},
		{"ls /proc/1/fd | wc -c", -1, ""},
		{"ls -l /proc/1/fd | wc", 99, "    100     902    4415"},
		{"ls -l /proc/1/fd | wc -lc", 99, "    100    4415"},
		{"ls -l /proc/1/fd | wc -w -l", 99, "    100     902"},
		{"ls -l /proc/1/fd | wc -w", -1, "    902"},
		{"ls -l /proc/1/fd | wc", -1, "100 902 4415 x"},
		{"find /proc/1/fd | wc -l", 99, ""},
		{"find /proc/1/fd|wc -l", 99, ""},
		{"sudo find /proc/1/fd 2>/dev/null | wc -l", 99, ""},
		{"find /proc/1/fd -type l | wc -l", 100, ""},
		{"find /proc/1/fd -maxdepth 1 -type l|wc -l", 100, ""},
		{"find /proc/1/fd -mindepth 1 | wc -l", 100, ""},
		{"find /proc/1/fd/* | wc -l", 100, ""},
		{"find /proc/$(pgrep -f app)/fd | wc -l", 99, ""},
		{"find /proc/$(pgrep -f app)/fd -type l | wc -l", 100, ""},
		{"find -L /proc/1/fd | wc -l", -1, ""},
		{"find /proc/1/fd -name '*3*' | wc -l", -1, ""},
		{"find /proc/1/fd | grep socket | wc -l", -1, ""},
		{"find /proc/1/fd -type f | wc -l", -1, ""},
		{"echo /proc/1/fd/* | wc -w", 100, ""},
		{"sh -c 'echo /proc/1/fd/*' | wc -w", 100, ""},
		{`kubectl exec app -c proxy -- sh -c 'echo /proc/1/fd/*' | sed 's/ /\n/g' | sort -t/ -k 5 -rn | wc -l`, 100, ""},
		{`echo /proc/1/fd/* | tr ' ' '\n' | wc -l`, 100, ""},
		{"echo /proc/1/fd/* | wc -l", -1, "1"},
		{"echo /proc/1/fd | wc -w", -1, "1"},
		{`echo /proc/1/fd/* | tr ' ' '\n' | grep 3 | wc -l`, -1, ""},
		{"echo /proc/1/fd/3 | wc -w", -1, "1"},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			out := tc.out
			if out == "" {
				out = "100"
			}
			snap, _ := read(t, fmt.Sprintf("$ %s\n%s\n", tc.cmd, out))
			got := int64(-1)
			if len(snap.Processes) == 1 && snap.Processes[0].HandleCount != nil {
				got = *snap.Processes[0].HandleCount
			}
			if got != tc.want {
				t.Errorf("%s: count %d, want %d", tc.cmd, got, tc.want)
			}
		})
	}
}

func TestReadListedTwice(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "the latest listing or count gives the count",
			text: "$ ls -l /proc/40/fd\n" + row("0", "/dev/null") + row("1", "'socket:[9]'") +
				"$ ls /proc/40/fd | wc -l\n7\n" +
				"$ ls -l /proc/40/fd\n" + row("0", "/dev/null") + row("1", "'socket:[9]'") + row("2", "'socket:[10]'") +
				"$ ls -l /proc/41/fd\n" + row("0", "/dev/null") + "$ ls /proc/41/fd | wc -l\n5\n",
			want: []proc{{PID: 40, Count: 3, Parsed: 3, ByType: map[string]int64{"device": 1, "socket": 2}},
				{PID: 41, Count: 5, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "a filtered listing after a whole one leaves its count",
			text: "$ ls -l /proc/40/fd\n" + row("0", "/dev/null") + row("1", "'socket:[9]'") +
				"$ ls -l /proc/40/fd | grep socket\n" + row("1", "'socket:[9]'"),
			want: []proc{{PID: 40, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		},
		{
			name: "an elision cuts one listing, not the one before",
			text: "$ ls -l /proc/40/fd\n" + row("0", "/dev/null") + row("1", "'socket:[9]'") +
				"$ ls -l /proc/40/fd\n" + row("0", "/dev/null") + "...\n",
			want: []proc{{PID: 40, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		},
		{
			name: "a listing command without rows gives no count (its output was not pasted)",
			text: "$ ls -l /proc/40/fd\n$ ls /proc/41/fd | wc -l\n5\n",
			want: []proc{{PID: 40, Count: -1, ByType: map[string]int64{}},
				{PID: 41, Count: 5, ByType: map[string]int64{}}},
		},
		{
			name: "a listing cut without a line break gives no count",
			text: "ls -l /proc/3/fd\nls: /proc/3/fd/3: cannot read link: No such file or directory\n" +
				"lr-x------    1 root     root            64 Aug 29 08:42 0 -> pipe:[874]\n" +
				"lr-x------    1 root     root            64 Aug 29 08:42 3",
			want:  []proc{{PID: 3, Count: -1, Parsed: 2, ByType: map[string]int64{"pipe": 1}}},
			codes: []string{"truncated-block"},
		},
	})
}

// TestReadLsofCount: `lsof -p PID | wc -l` counts lsof's header and its
// rows that are no descriptors (through a grep, the rows that match), so
// it names the process (whose limits may follow) without giving it a
// count.
func TestReadLsofCount(t *testing.T) {
	limits := "Limit                     Soft Limit           Hard Limit           Units\n" +
		"Max open files            1024                 524288               files\n"
	runCases(t, []readCase{
		{
			name:  "the count names the process its limits then belong to",
			text:  "root@box ~ # lsof -p 950 | wc -l\n1050\nroot@box ~ # cat /proc/950/limits\n" + limits,
			want:  []proc{{PID: 950, Count: -1, ByType: map[string]int64{}, Limit: 1024}},
			codes: []string{"lsof-count"},
		},
		{
			name:  "options that only change how rows print",
			text:  "$ sudo lsof -nP -p950 | wc -l\n1050\n",
			want:  []proc{{PID: 950, Count: -1, ByType: map[string]int64{}}},
			codes: []string{"lsof-count"},
		},
		{
			name:  "counts of the rows a grep kept name the process too",
			text:  "user@box:~/app$ lsof -p 950 | grep TCP | wc -l\n2817\nuser@box:~/app$ lsof -p 950 | grep -c CLOSE_WAIT\n2790\n",
			want:  []proc{{PID: 950, Count: -1, ByType: map[string]int64{}}},
			codes: []string{"lsof-count"},
		},
		{
			name:  "the pipe glued to the pid, no prompt",
			text:  "lsof -p 950| wc -l\n1090\nlsof -p950|grep -c TCP\n243\n",
			want:  []proc{{PID: 950, Count: -1, ByType: map[string]int64{}}},
			codes: []string{"lsof-count"},
		},
		{
			name: "elvish's prompt, count and value marker",
			text: "~> ls /proc/4321/fd/ | count\n▶ 1024\n",
			want: []proc{{PID: 4321, Count: 1024, ByType: map[string]int64{}}},
		},
		{
			name:  "an lsof count of a filtered listing names no process",
			text:  "$ lsof -p 950 -i | wc -l\n12\n",
			codes: []string{"lsof-count"},
		},
		{
			// Busybox's rows after a count of every process's: the
			// count was an unrecognized line.
			name: "a count of every process's rows before busybox's rows",
			text: "/app # lsof | grep ruby | grep socket | wc -l\n845\n/app # lsof | grep ruby | head -3\n" +
				"1\t/usr/local/bin/ruby\t6\tsocket:[20865]\n1\t/usr/local/bin/ruby\t9\tsocket:[20122]\n1\t/usr/local/bin/ruby\t10\tsocket:[20128]\n",
			want:  []proc{{PID: 1, Image: "ruby", Count: -1, Parsed: 3, ByType: map[string]int64{"socket": 3}}},
			codes: []string{"lsof-count"},
		},
		{
			// Its lines were unrecognized, and the prompt with no blank
			// after its "#" hid the command.
			name: "a count, then a histogram of a column of the rows",
			text: "lsof -p 950 | wc -l\n115\n[root@db01:~]#lsof -p 950 | awk '{print $9}' | sort | uniq -c | sort -nr\n" +
				"     34 pipe\n     21 protocol:\n     16 [eventpoll]\n      1 /sys/fs/cgroup/memory/memory.stat\n",
			want:  []proc{{PID: 950, Count: -1, ByType: map[string]int64{}}},
			codes: []string{"lsof-count", "lsof-summary"},
		},
	})
}
