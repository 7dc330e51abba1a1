package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

func TestReadLocaleTotal(t *testing.T) {
	for _, word := range []string{"total", "总用量", "insgesamt", "合計", "итого"} {
		runCases(t, []readCase{{
			name: word,
			text: "$ ls -l /proc/5/fd\n" + word + " 0\n" + row("0", "/dev/null"),
			want: []proc{{PID: 5, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		}})
	}
}

func TestReadNumbersOnly(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "ls in columns",
			text: "$ ls /proc/1234/fd\n0  1  10  11  12  2  3  4\n5  6  7  8  9\n$ cat /proc/1234/limits\n",
			want: []proc{{PID: 1234, Count: 13, ByType: map[string]int64{}}},
		},
		{
			name: "ls -a piped, one a line, under a working directory",
			text: "# cd /proc/88/fd\n# ls -a | sort -n\n.\n..\n0\n1\n2\n",
			want: []proc{{PID: 88, Count: 3, ByType: map[string]int64{}}},
		},
		{
			name: "a number past 10,000 gives the peak of a listing cut by head",
			text: "$ ls /proc/9/fd | head -3\n0\n1\n10000\n",
			want: []proc{{PID: 9, Count: -1, ByType: map[string]int64{}}},
		},
		{
			name:         "numbers under ls -l are no descriptors",
			text:         "$ ls -l /proc/3/fd\n" + row("0", "/dev/null") + "1 2 3\n",
			want:         []proc{{PID: 3, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
		{
			name:         "ls -s prints each size before its number: no count",
			text:         "$ ls -s /proc/3/fd\ntotal 0\n0 0  0 1  0 2\n",
			want:         []proc{{PID: 3, Count: -1, ByType: map[string]int64{}}},
			unrecognized: 1,
		},
		{
			name:  "numbers under another command are no descriptors",
			text:  "$ ls /proc/3/fd\n0 1\n$ seq 3\n1\n2\n3\n",
			want:  []proc{{PID: 3, Count: 2, ByType: map[string]int64{}}},
			codes: []string{facts.CodeIgnoredCommand}, // seq's output
		},
	})
	snap, _ := read(t, "$ ls /proc/9/fd | head -3\n0\n1\n10000\n")
	if p := snap.Processes[0]; p.PeakHandles == nil || *p.PeakHandles != 10001 {
		t.Errorf("peak = %v, want 10001", p.PeakHandles)
	}
}
