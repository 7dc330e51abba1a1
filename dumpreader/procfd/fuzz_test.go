package procfd_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// FuzzReadProcFD feeds the reader arbitrary bytes, seeded with the
// project's listings of /proc/PID/fd. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadProcFD(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/procfd", "*.txt"))
	f.Add([]byte("$ ls /proc/`pgrep x`/fd | wc -l\n12\n/proc/1/fd:\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> socket:[1]\n"))
	f.Add([]byte("UID PID PPID C STIME TTY TIME CMD\nroot 7 1 0 Jan01 ? 00:00:01 /bin/x\n$ ls -lf /proc/7/fd|wc -l\n9\n" +
		"$ cat /proc/self/limits\nLimit Soft Limit Hard Limit Units\nMax open files 1 2 files\nlrwx------ 1 r r 64 Jan  1 00:00 0"))
	f.Add([]byte("$ ls -l /proc/4242/fd total 0 lrwx------ 1 a a 64 Mar 11 10:05 0 -> /dev/null l-wx------. 1 a a 64 Mar 11 10:05 1 -&gt; pipe:[5]\n"))
	f.Add([]byte("42   /usr/bin/contoso   7   anon_inode:[pidfd]\n42\t/usr/bin/contoso\t8\tsocket:[9]\n42 /usr/bin/contoso /dev/null\n42 /usr/bin/contoso /dev/null\n"))
	f.Add([]byte("lsof -p 9 | wc -l\n115\n[r@h:~]#lsof -p 9 | awk '{print $9}' | sort | uniq -c | sort -nr\n     34 pipe\n     21 protocol:\n  2 \n"))
	f.Add([]byte("$ ps -o args= -p 9\nx -jar a.jar\n$ adb shell ps | grep y\nu 9 1 1 1 0 0 S y\n$ ps -eo pid,lstart,cmd\n 9 Mon Dec  7 10:00:00 2026 x\n$ ls /proc/9/fd | wc -l\n7\n"))
	f.Add([]byte("$ pid=9\n$ export P=8\n$ ls /proc/$pid/fd | wc -l\n7\n# cat /proc/${P}/limits\nMax open files 1 2 files\n$ pid=$(pgrep x)\n$ ls -l /proc/$pid/fd\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatProcFD}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		procfd.Sniff(data)
	})
}
