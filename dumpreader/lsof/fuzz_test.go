package lsof_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
)

// FuzzReadLsof feeds the lsof reader arbitrary bytes, seeded with the
// project's lsof captures. Properties: no panic, every line accounted for
// exactly once, every diagnostic on a line of the input, and the
// snapshot's JSON form reads back to the same facts; detection does not
// panic either.
func FuzzReadLsof(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/lsof", "*.txt"))
	f.Add([]byte("COMMAND PID TID TASKCMD USER FD TYPE DEVICE SIZE/OFF NODE NAME\njava 1 2 t u 3u IPv4 9 0t0 TCP a:1->b:2 (CLOSE_WAIT)\n"))
	f.Add([]byte("p1\x00cx\x00\nf3\x00tIPv6\x00PTCP\x00n[::1]:1->[::1]:2\x00TST=LISTEN\x00\n"))
	f.Add([]byte("$ lsof -nP | grep x\nx 1 u 0u a_inode 0,14 0 1 [eventfd:1]\nlsof: WARNING: y\n"))
	f.Add([]byte("/ # lsof -p 42\n1\t/sbin/x\t0\t/dev/null\n42\t/usr/bin/y\t3\tpipe:[1]\n-bash-4.4# lsof -p 42 | grep -c pipe\n1\n"))
	f.Add([]byte("root@ :~# lsof -n | grep deleted\nx 1 2 u 36u REG 253,1 99 7 /tmp/a (deleted)\n*snip*\nx 1 u 5u sock 0,6 0t0 8 can't identify protocol\n"))
	f.Add([]byte("p1\nf5\ntREG\nD0x803\ns999999999999999999\ni7\nn/tmp/a (deleted)\nf6\ns999999999999999999\nn/tmp/b (deleted)\n"))
	f.Add([]byte("a@b ~ # date && lsof -p 1 | wc -l; sleep 2; lsof | grep 'x;y' | wc -l && lsof -i -a -p 1 | tail -n 1\nThu Aug 25 08:53:01 EDT 2016\n9\n12\nx 1 u 7u IPv4 9 0t0 TCP a:1->b:2 (ESTABLISHED)\n"))
	f.Add([]byte("[r@h:~]#lsof | awk '{print $2}' | sort | uniq -c\nPassword:\n  22116 1\n    182 \n      1 x 1 u 26u IPv4 9 0t0 TCP a:1 (LISTEN)\n`x 1 u 5r REG 0,18 9 81 /a (deleted)\nx 1 u 8r REG 0,18 9 82 /b (deleted)`\n"))
	f.Add([]byte("$ ps -o args= -p 1\nx -jar a.jar\n# ps -eo pid,ppid,cmd | grep x\n 1 0 x\nadb shell ps\nu 1 0 1 1 0 0 S y\n  PID TTY TIME CMD\n1 ? 0:00 z\nx 1 u 3u IPv4 9 0t0 TCP *:1 (LISTEN)\n"))
	f.Add([]byte("COMMAND PID TID USER FD TYPE DEVICE SIZE/OFF NODE NAME ... a 1 u 3u unix 0x1 0t0 7 /s a 1 u 6w FIFO 0,8 0t0 4 pipe b 2 0 cwd DIR 8,6 4 2 / c 3 4 1000 5u IPv4 6 0t0 TCP x:1->y:2 (ESTABLISHED) ...\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Read as dumpreader reads it, UTF-16 decoded first.
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatLsof}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		lsof.Sniff(data)
	})
}
