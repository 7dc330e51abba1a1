package lsof

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// lsofHeld is what TestLsofHeld compares of a process.
type lsofHeld struct {
	Parsed       int64
	Count        *int64
	Unidentified int64
	DeletedFDs   int64
	DeletedBytes int64
}

// TestLsofHeld checks the counts of deleted files and half-closed sockets
// a process holds, in listings with and without a header, with thread
// rows, and in -F output.
func TestLsofHeld(t *testing.T) {
	const hdr = "COMMAND   PID  USER   FD   TYPE DEVICE   SIZE/OFF    NODE NAME\n"
	const tidHdr = "COMMAND   PID   TID TASKCMD  USER   FD   TYPE DEVICE   SIZE/OFF    NODE NAME\n"
	tests := []struct {
		name string
		text string
		pid  uint64
		want lsofHeld
	}{{
		name: "txt, mem and DEL of an upgraded binary are no deleted descriptors",
		text: hdr +
			"nginx    1301  root  cwd    DIR  259,2       4096       2 /\n" +
			"nginx    1301  root  rtd    DIR  259,2       4096       2 /\n" +
			"nginx    1301  root  txt    REG  259,2    1190032 1966100 /usr/sbin/nginx (deleted)\n" +
			"nginx    1301  root  mem    REG  259,2    2029592 1966201 /usr/lib/libc.so.6 (deleted)\n" +
			"nginx    1301  root  DEL    REG    0,1              32768 /dev/zero\n" +
			"nginx    1301  root    3u   REG  259,2       1024 1966300 /var/log/nginx/error.log\n",
		pid:  1301,
		want: lsofHeld{Parsed: 1, Count: lsofCount(1)},
	}, {
		name: "each deleted file's size once, however many descriptors",
		text: hdr +
			"app      4242  app   cwd    DIR  259,2       4096       2 /\n" +
			"app      4242  app    5u    REG  259,2       5000 1835001 /tmp/spool.1 (deleted)\n" +
			"app      4242  app    6r    REG  259,2       5000 1835001 /tmp/spool.1 (deleted)\n" +
			"app      4242  app    7w    REG  259,2        700 1835002 /tmp/spool.2 (deleted)\n" +
			"app      4242  app    8u    REG  259,2        300 1835003 /tmp/live.dat\n",
		pid:  4242,
		want: lsofHeld{Parsed: 4, Count: lsofCount(4), DeletedFDs: 3, DeletedBytes: 5700},
	}, {
		name: "an offset says nothing of the size; terminals, directories and memfds are no deleted files",
		text: "COMMAND   PID  USER   FD   TYPE DEVICE     OFFSET    NODE NAME\n" +
			"app      4242  app   cwd    DIR  259,2        0t0       2 /\n" +
			"app      4242  app    5u    REG  259,2     0t4096 1835001 /tmp/spool.1 (deleted)\n" +
			"app      4242  app    6u    CHR  136,3        0t0       6 /dev/pts/3 (deleted)\n" +
			"app      4242  app    7r    DIR  259,2        0t0 1835010 /tmp/gone (deleted)\n" +
			"app      4242  app    8u    REG    0,1        0t0    2087 /memfd:ipc (deleted)\n",
		pid:  4242,
		want: lsofHeld{Parsed: 4, Count: lsofCount(4), DeletedFDs: 1},
	}, {
		name: "thread rows repeat the process's deleted files",
		text: tidHdr +
			"ossfs     514             root   cwd    DIR  253,1       4096       2 /\n" +
			"ossfs     514             root   36u    REG  253,1 1073741824 1054100 /tmp/tmpa1 (deleted)\n" +
			"ossfs     514             root   37u    REG  253,1       2048 1054101 /tmp/tmpa2 (deleted)\n" +
			"ossfs     514  3511 ossfs   root   36u    REG  253,1 1073741824 1054100 /tmp/tmpa1 (deleted)\n" +
			"ossfs     514  3511 ossfs   root   37u    REG  253,1       2048 1054101 /tmp/tmpa2 (deleted)\n" +
			"ossfs     514  3512 ossfs   root   36u    REG  253,1 1073741824 1054100 /tmp/tmpa1 (deleted)\n",
		pid:  514,
		want: lsofHeld{Parsed: 2, Count: lsofCount(2), DeletedFDs: 2, DeletedBytes: 1073741824 + 2048},
	}, {
		name: "lsof | grep deleted without header, TID column, after a prompt",
		text: "root@ :~# lsof -n | grep deleted|more\n" +
			"ossfs       514             root   36u      REG              253,1 1073741824    1054100 /tmp/tmpa1 (deleted)\n" +
			"ossfs       514             root   37u      REG              253,1       2048    1054101 /tmp/tmpa2 (deleted)\n" +
			"ossfs       514  3511       root   36u      REG              253,1 1073741824    1054100 /tmp/tmpa1 (deleted)\n" +
			"ossfs       514  3511       root   37u      REG              253,1       2048    1054101 /tmp/tmpa2 (deleted)\n",
		pid:  514,
		want: lsofHeld{Parsed: 2, DeletedFDs: 2, DeletedBytes: 1073741824 + 2048},
	}, {
		name: "sizes made readable by numfmt count as their bytes",
		text: "# lsof /srv | grep deleted | numfmt --field=7 --to=iec\n" +
			"worker    7310     svc    4w   REG  259,3      300M  880101 /srv/log/run.log (deleted)\n" +
			"worker    7310     svc    5u   REG  259,3      1.5K  880102 /srv/log/err.log (deleted)\n" +
			"worker    7310     svc    6u   REG  259,3       12Ki 880103 /srv/tmp/x (deleted)\n",
		pid:  7310,
		want: lsofHeld{Parsed: 3, DeletedFDs: 3, DeletedBytes: 300<<20 + 1536 + 12<<10},
	}, {
		name: "lsof +L1 without its header: NLINK before NODE, each file its own",
		text: "$ sudo lsof +aL1 /srv 2>&- | grep deleted | sort -rnk7\n" +
			"shipper  2210   root   10r   REG    8,3 5000000000     0  701130 /srv/log/a.log-1 (deleted)\n" +
			"shipper  2210   root   11r   REG    8,3  600000000     0  697096 /srv/log/b.log-1 (deleted)\n" +
			"shipper  2210   root   12u   REG    8,3       4096     0  697097 /srv/tmp/1 (deleted)\n",
		pid:  2210,
		want: lsofHeld{Parsed: 3, DeletedFDs: 3, DeletedBytes: 5000000000 + 600000000 + 4096},
	}, {
		name: "lsof +L1 under its header, blanks collapsed by a web page",
		text: "$ lsof -a +L1 /srv\n" +
			"COMMAND PID USER FD TYPE DEVICE SIZE/OFF NLINK NODE NAME\n" +
			"relay 610 www 4w REG 253,1 7340032000 0 559001 /srv/logs/out.log (deleted)\n" +
			"relay 610 www 5u REG 253,1 1024 0 559002 /srv/tmp/x (deleted)\n",
		pid:  610,
		want: lsofHeld{Parsed: 2, DeletedFDs: 2, DeletedBytes: 7340032000 + 1024},
	}, {
		name: "a process shown only by its threads' rows: each descriptor once",
		text: "# lsof -p 3301 | grep deleted\n" +
			"spooler   3301  3310 spooler   svc    4u   REG   8,2     4096000  770001 /var/tmp/sp-a (deleted)\n" +
			"spooler   3301  3310 spooler   svc    5u   REG   8,2        1000  770002 /var/tmp/sp-b (deleted)\n" +
			"spooler   3301  3311 spooler   svc    4u   REG   8,2     4096000  770001 /var/tmp/sp-a (deleted)\n" +
			"spooler   3301  3311 spooler   svc    5u   REG   8,2        1000  770002 /var/tmp/sp-b (deleted)\n",
		pid:  3301,
		want: lsofHeld{Parsed: 2, DeletedFDs: 2, DeletedBytes: 4096000 + 1000},
	}, {
		name: "collapsed rows, DEL without size",
		text: "$ lsof -p 4242\n" + hdr +
			"java 4242 app cwd DIR 259,2 4096 2 /\n" +
			"java 4242 app DEL REG 0,1 1048579 /memfd:jvm-heap-map\n" +
			"java 4242 app 14u REG 259,2 77 1048580 /srv/tmp/upload.part (deleted)\n",
		pid:  4242,
		want: lsofHeld{Parsed: 1, Count: lsofCount(1), DeletedFDs: 1, DeletedBytes: 77},
	}, {
		name: "sockets of no protocol",
		text: hdr +
			"python2.6 2711 svc   cwd    DIR  259,2       4096  652801 /opt/poller\n" +
			"python2.6 2711 svc     5u  IPv4  17051        0t0     TCP poller01:48811->db01:postgres (ESTABLISHED)\n" +
			"python2.6 2711 svc     6u  sock    0,6        0t0   17178 can't identify protocol\n" +
			"python2.6 2711 svc     7u  sock    0,6        0t0   17191 can't identify protocol\n" +
			"python2.6 2711 svc     8u  sock    0,6        0t0   17204 protocol: TCPv6\n",
		pid:  2711,
		want: lsofHeld{Parsed: 4, Count: lsofCount(4), Unidentified: 2},
	}, {
		name: "-F with device and size fields",
		text: "p4242\ncapp\nfcwd\ntDIR\nn/\n" +
			"f5\ntREG\nD0x10302\ns5000\ni1835001\nn/tmp/spool.1 (deleted)\n" +
			"f6\ntREG\nD0x10302\ns5000\ni1835001\nn/tmp/spool.1 (deleted)\n" +
			"f7\ntREG\nD0x10302\no0t12\ni1835002\nn/tmp/spool.2 (deleted)\n" +
			"f8\ntsock\ni17178\nncan't identify protocol\n" +
			"f9\nncan't identify protocol\n",
		pid:  4242,
		want: lsofHeld{Parsed: 5, Count: lsofCount(5), Unidentified: 2, DeletedFDs: 3, DeletedBytes: 5000},
	}, {
		name: "-F without device: each file by name",
		text: "p4242\nfcwd\nn/\nf5\ns10\nn/tmp/a (deleted)\nf6\ns10\nn/tmp/a (deleted)\nf7\ns20\nn/tmp/b (deleted)\n",
		pid:  4242,
		want: lsofHeld{Parsed: 3, Count: lsofCount(3), DeletedFDs: 3, DeletedBytes: 30},
	}, {
		name: "repeated listings count each descriptor once",
		text: hdr +
			"app      4242  app   cwd    DIR  259,2       4096       2 /\n" +
			"app      4242  app    5u    REG  259,2       5000 1835001 /tmp/spool.1 (deleted)\n" +
			"=======\n" +
			"app      4242  app   cwd    DIR  259,2       4096       2 /\n" +
			"app      4242  app    5u    REG  259,2       5000 1835001 /tmp/spool.1 (deleted)\n",
		pid:  4242,
		want: lsofHeld{Parsed: 1, Count: lsofCount(1), DeletedFDs: 1, DeletedBytes: 5000},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "t.txt")
			checkLsofLines(t, snap, "t.txt")
			if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
				t.Errorf("%d lines unrecognized, want none; diagnostics %+v", n, snap.Diagnostics)
			}
			p := lsofProcess(t, snap, tc.pid)
			got := lsofHeld{Parsed: p.HandlesParsed, Count: p.HandleCount, Unidentified: p.UnidentifiedSockets,
				DeletedFDs: p.DeletedFDs, DeletedBytes: p.DeletedBytes}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
			// A deleted file's descriptor is a file still (or of no known
			// type, where -F gives none).
			if n := p.ByType["file"] + p.Untyped; tc.want.DeletedFDs > n {
				t.Errorf("%d deleted descriptors but %d files", tc.want.DeletedFDs, n)
			}
		})
	}
}

// TestLsofElision checks that an author's elision amid a listing is
// recognized, and that the processes it may have cut get no handle
// count.
func TestLsofElision(t *testing.T) {
	text := "$ lsof -p 1301 -p 1302\n" +
		"COMMAND   PID  USER   FD   TYPE DEVICE   SIZE/OFF    NODE NAME\n" +
		"nginx    1300  root  cwd    DIR  259,2       4096       2 /\n" +
		"nginx    1300  root    3u   REG  259,2       1024 1966300 /var/log/nginx/error.log\n" +
		"nginx    1301  root  cwd    DIR  259,2       4096       2 /\n" +
		"nginx    1301  root    3u   REG  259,2       1024 1966300 /var/log/nginx/error.log\n" +
		"*snip*\n" +
		"nginx    1302  root    9u  IPv4  30117        0t0     TCP *snip*:https->*snip*:60942 (CLOSE_WAIT)\n" +
		"nginx    1303  root  cwd    DIR  259,2       4096       2 /\n" +
		"...\n" +
		"nginx    1303  root    4u   REG  259,2       1024 1966300 /var/log/nginx/error.log\n"
	snap := readLsofBytes(t, []byte(text), "t.txt")
	checkLsofLines(t, snap, "t.txt")
	if l := snap.Sources[0].Lines; l.Unrecognized != 0 || l.Ignored != 2 {
		t.Errorf("lines %+v, want the two elisions ignored", l)
	}
	want := map[uint64]*int64{1300: lsofCount(1), 1301: nil, 1302: nil, 1303: nil}
	for pid, count := range want {
		p := lsofProcess(t, snap, pid)
		if diff := cmp.Diff(count, p.HandleCount); diff != "" {
			t.Errorf("pid %d: handle count diff (-want +got):\n%s", pid, diff)
		}
	}
	var lines []int64
	for _, d := range snap.Diagnostics {
		if d.Code == facts.CodeElision {
			lines = append(lines, d.Line)
		}
	}
	if diff := cmp.Diff([]int64{7, 10}, lines); diff != "" {
		t.Errorf("elision lines diff (-want +got):\n%s", diff)
	}
}
