package lsof

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// TestLsofKind checks how a file's type and name become a handle's type
// and name.
func TestLsofKind(t *testing.T) {
	tests := []struct {
		typ, node, proto, state, name string
		want                          lsofKind
	}{
		{typ: "REG", node: "1835101", name: "/srv/app/logs/stdout.log", want: lsofKind{typ: "file", name: "/srv/app/logs/stdout.log", naming: facts.Named}},
		{typ: "REG", name: "/memfd:jvm-heap-map (deleted)", want: lsofKind{typ: "file", name: "/memfd:jvm-heap-map (deleted)", naming: facts.Named}},
		// Older lsof: anonymous inodes as regular files of anon_inodefs.
		{typ: "REG", node: "4021", name: "[eventpoll]", want: lsofKind{typ: "eventpoll", naming: facts.Unnamed}},
		{typ: "REG", node: "4021", name: "[eventfd]", want: lsofKind{typ: "eventfd", naming: facts.Unnamed}},
		{typ: "REG", node: "4021", name: "inotify", want: lsofKind{typ: "inotify", naming: facts.Unnamed}},
		{typ: "REG", name: "/var/lib/app/[eventpoll]", want: lsofKind{typ: "file", name: "/var/lib/app/[eventpoll]", naming: facts.Named}},
		{typ: "DIR", name: "/sys/fs/cgroup", want: lsofKind{typ: "directory", name: "/sys/fs/cgroup", naming: facts.Named}},
		{typ: "CHR", name: "/dev/null", want: lsofKind{typ: "device", name: "/dev/null", naming: facts.Named}},
		{typ: "BLK", name: "/dev/sda1", want: lsofKind{typ: "device", name: "/dev/sda1", naming: facts.Named}},
		{typ: "FIFO", node: "35542", name: "pipe", want: lsofKind{typ: "pipe", name: "pipe:[35542]", naming: facts.Named}},
		{typ: "FIFO", node: "35542", name: "pipe 4243,cat,0r", want: lsofKind{typ: "pipe", name: "pipe:[35542]", naming: facts.Named}},
		{typ: "FIFO", name: "pipe", want: lsofKind{typ: "pipe", naming: facts.Unnamed}},
		{typ: "FIFO", node: "1966330", name: "/run/initctl", want: lsofKind{typ: "pipe", name: "/run/initctl", naming: facts.Named}},
		{typ: "IPv4", proto: "TCP", name: "127.0.0.1:8080->10.0.0.2:5555 (CLOSE_WAIT)", want: lsofKind{typ: "TCP", name: "127.0.0.1:8080 -> 10.0.0.2:5555 (CLOSE_WAIT)", naming: facts.Named, state: "CLOSE_WAIT"}},
		{typ: "IPv4", proto: "TCP", name: "*:22 (LISTEN)", want: lsofKind{typ: "TCP", name: "0.0.0.0:22 (LISTEN)", naming: facts.Named, state: "LISTEN"}},
		{typ: "IPv6", proto: "TCP", name: "*:8080 (LISTEN)", want: lsofKind{typ: "TCP6", name: "[::]:8080 (LISTEN)", naming: facts.Named, state: "LISTEN"}},
		{typ: "IPv6", proto: "TCP", name: "10.0.3.17:43512->10.0.9.4:5432 (CLOSE_WAIT)", want: lsofKind{typ: "TCP6", name: "[::ffff:10.0.3.17]:43512 -> [::ffff:10.0.9.4]:5432 (CLOSE_WAIT)", naming: facts.Named, state: "CLOSE_WAIT"}},
		{typ: "IPv6", proto: "TCP", name: "[fe80::1]:22->[fe80::2]:6000 (ESTABLISHED)", want: lsofKind{typ: "TCP6", name: "[fe80::1]:22 -> [fe80::2]:6000 (ESTABLISHED)", naming: facts.Named, state: "ESTABLISHED"}},
		{typ: "IPv4", proto: "TCP", name: "localhost:ipp->web01:http (ESTABLISHED)", want: lsofKind{typ: "TCP", name: "localhost:ipp -> web01:http (ESTABLISHED)", naming: facts.Named, state: "ESTABLISHED"}},
		{typ: "IPv6", proto: "TCP", name: "1.2.3:80 (LISTEN)", want: lsofKind{typ: "TCP6", name: "1.2.3:80 (LISTEN)", naming: facts.Named, state: "LISTEN"}},
		{typ: "IPv4", proto: "TCP", name: "10.0.0.1:22->10.0.0.9:6000 (ST=ESTABLISHED QR=0 QS=0)", want: lsofKind{typ: "TCP", name: "10.0.0.1:22 -> 10.0.0.9:6000 (ESTABLISHED)", naming: facts.Named, state: "ESTABLISHED"}},
		{typ: "IPv4", proto: "TCP", state: "TIME_WAIT", name: "10.0.0.1:80->10.0.0.9:6001", want: lsofKind{typ: "TCP", name: "10.0.0.1:80 -> 10.0.0.9:6001 (TIME_WAIT)", naming: facts.Named, state: "TIME_WAIT"}},
		{typ: "IPv6", proto: "TCP", name: "[::1]:631 (LISTEN)", want: lsofKind{typ: "TCP6", name: "[::1]:631 (LISTEN)", naming: facts.Named, state: "LISTEN"}},
		{typ: "IPv4", proto: "UDP", name: "127.0.0.1:323", want: lsofKind{typ: "UDP", name: "127.0.0.1:323", naming: facts.Named}},
		{typ: "IPv6", proto: "UDP", name: "*:5353", want: lsofKind{typ: "UDP6", name: "[::]:5353", naming: facts.Named}},
		{typ: "IPv4", proto: "UDP", name: "*:*", want: lsofKind{typ: "UDP", name: "0.0.0.0:0", naming: facts.Named}},
		{typ: "IPv6", proto: "UDPLITE", name: "*:9", want: lsofKind{typ: "UDPLITE6", name: "[::]:9", naming: facts.Named}},
		{typ: "IPv4", name: "*:22", want: lsofKind{typ: "IPv4", name: "0.0.0.0:22", naming: facts.Named}},
		{typ: "IPv4", proto: "TCP", want: lsofKind{typ: "TCP", naming: facts.Unnamed}},
		{typ: "unix", node: "19178", name: "/run/systemd/notify type=DGRAM (UNCONNECTED)", want: lsofKind{typ: "UNIX", name: "/run/systemd/notify", naming: facts.Named}},
		{typ: "unix", node: "19180", name: "type=DGRAM (CONNECTED)", want: lsofKind{typ: "UNIX", name: "unix:[19180]", naming: facts.Named}},
		{typ: "unix", node: "17044", name: "socket", want: lsofKind{typ: "UNIX", name: "unix:[17044]", naming: facts.Named}},
		{typ: "unix", node: "5120", name: "->INO=5121 4243,cat,3u type=STREAM", want: lsofKind{typ: "UNIX", name: "unix:[5120]", naming: facts.Named}},
		{typ: "unix", node: "51210", name: "@/tmp/.X11-unix/X0 type=STREAM (CONNECTED)", want: lsofKind{typ: "UNIX", name: "@/tmp/.X11-unix/X0", naming: facts.Named}},
		{typ: "unix", name: "type=STREAM", want: lsofKind{typ: "UNIX", naming: facts.Unnamed}},
		{typ: "sock", node: "17178", name: "can't identify protocol", want: lsofKind{typ: "socket", name: "socket:[17178]", naming: facts.Named}},
		{typ: "netlink", node: "17431", name: "KOBJECT_UEVENT", want: lsofKind{typ: "netlink", name: "KOBJECT_UEVENT", naming: facts.Named}},
		{typ: "a_inode", name: "[eventfd]", want: lsofKind{typ: "eventfd", naming: facts.Unnamed}},
		{typ: "a_inode", name: "[eventfd:27]", want: lsofKind{typ: "eventfd", naming: facts.Unnamed}},
		{typ: "a_inode", name: "[eventpoll:5,7,8]", want: lsofKind{typ: "eventpoll", naming: facts.Unnamed}},
		{typ: "a_inode", name: "[timerfd]", want: lsofKind{typ: "timerfd", naming: facts.Unnamed}},
		{typ: "a_inode", name: "[signalfd]", want: lsofKind{typ: "signalfd", naming: facts.Unnamed}},
		{typ: "a_inode", name: "inotify", want: lsofKind{typ: "inotify", naming: facts.Unnamed}},
		{typ: "anon_inode", name: "anon_inode:[timerfd]", want: lsofKind{typ: "timerfd", naming: facts.Unnamed}},
		{typ: "a_inode", name: "[io_uring]", want: lsofKind{typ: "anon_inode", name: "[io_uring]", naming: facts.Named}},
		{typ: "a_inode", name: "[pidfd:3340]", want: lsofKind{typ: "anon_inode", name: "[pidfd]", naming: facts.Named}},
		{typ: "a_inode", name: "bpf-map", want: lsofKind{typ: "anon_inode", name: "bpf-map", naming: facts.Named}},
		{typ: "0000", node: "3765", name: "anon_inode", want: lsofKind{typ: "anon_inode", naming: facts.Unnamed}},
		{typ: "0000", name: "/dev/weird", want: lsofKind{typ: "0000", name: "/dev/weird", naming: facts.Named}},
		{typ: "pack", node: "ALL", name: "type=SOCK_RAW", want: lsofKind{typ: "socket", name: "packet", naming: facts.Named}},
		{typ: "raw6", node: "5511", name: "[::]:58->[::]:0 st=07", want: lsofKind{typ: "socket", name: "raw6", naming: facts.Named}},
		{typ: "icmp", node: "5512", name: "00000000:0001->00000000:0000", want: lsofKind{typ: "socket", name: "socket:[5512]", naming: facts.Named}},
		{typ: "KQUEUE", want: lsofKind{typ: "KQUEUE", naming: facts.Unnamed}},
		// No type: a -F field set without t, or lsof's "unknown".
		{name: "[eventfd:3]", want: lsofKind{typ: "eventfd", naming: facts.Unnamed}},
		{node: "88121", name: "pipe", want: lsofKind{typ: "pipe", name: "pipe:[88121]", naming: facts.Named}},
		{node: "93420", name: "type=STREAM (CONNECTED)", want: lsofKind{typ: "UNIX", name: "unix:[93420]", naming: facts.Named}},
		{proto: "TCP", name: "10.0.3.17:43512->10.0.9.4:5432", state: "CLOSE_WAIT", want: lsofKind{typ: "TCP", name: "10.0.3.17:43512 -> 10.0.9.4:5432 (CLOSE_WAIT)", naming: facts.Named, state: "CLOSE_WAIT"}},
		{proto: "TCP", name: "[::1]:443->[::1]:50888", want: lsofKind{typ: "TCP6", name: "[::1]:443 -> [::1]:50888", naming: facts.Named}},
		{name: "/dev/null", want: lsofKind{name: "/dev/null", naming: facts.Named}},
		{typ: "unknown", name: "/proc/1/fd/3 (readlink: Permission denied)", want: lsofKind{naming: facts.NameUnknown}},
		{want: lsofKind{naming: facts.NameUnknown}},
	}
	for _, tc := range tests {
		t.Run(tc.typ+" "+tc.name, func(t *testing.T) {
			r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("t", Name))
			f := lsofFile{typ: []byte(tc.typ), node: []byte(tc.node), proto: []byte(tc.proto), state: []byte(tc.state), name: []byte(tc.name)}
			if got := r.kind(&f); got != tc.want {
				t.Errorf("kind(%+v) = %+v, want %+v", tc, got, tc.want)
			}
		})
	}
}

// TestLsofRowParse checks how rows are split into columns, with the
// header's spacing and without it.
func TestLsofRowParse(t *testing.T) {
	type got struct {
		Cmd, FD, Type, Node, Proto, Name string
		PID, PPID                        uint64
		TID                              bool
	}
	tests := []struct {
		name   string
		header string
		row    string
		want   *got // nil: not a row
	}{
		{"aligned socket", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF  NODE NAME",
			"sshd     812 root    3u  IPv4  24533      0t0   TCP *:22 (LISTEN)",
			&got{Cmd: "sshd", PID: 812, FD: "3", Type: "IPv4", Proto: "TCP", Name: "*:22 (LISTEN)"}},
		{"aligned, empty DEVICE", "COMMAND  PID USER   FD    TYPE DEVICE SIZE/OFF  NODE NAME",
			"systemd    1 root    9u netlink             0t0 17431 KOBJECT_UEVENT",
			&got{Cmd: "systemd", PID: 1, FD: "9", Type: "netlink", Node: "17431", Name: "KOBJECT_UEVENT"}},
		{"aligned NOFD", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"systemd    1 root NOFD                                /proc/1/fd (opendir: Permission denied)",
			&got{Cmd: "systemd", PID: 1, FD: "NOFD", Name: "/proc/1/fd (opendir: Permission denied)"}},
		{"aligned name with blanks", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF  NODE NAME",
			"bash      77 ann    3r   REG  259,2      120  1101 /home/ann/My  Files/notes.txt",
			&got{Cmd: "bash", PID: 77, FD: "3", Type: "REG", Node: "1101", Name: "/home/ann/My  Files/notes.txt"}},
		{"aligned thread row", "COMMAND  PID  TID TASKCMD   USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"java    4242 4251 VM\\x20Thr  app    0r   CHR    1,3      0t0    5 /dev/null",
			&got{Cmd: "java", PID: 4242, TID: true, FD: "0", Type: "CHR", Node: "5", Name: "/dev/null"}},
		{"aligned, TID without TASKCMD, numeric user", "COMMAND  PID  TID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"java    4242      1001    0r   CHR    1,3      0t0    5 /dev/null",
			&got{Cmd: "java", PID: 4242, FD: "0", Type: "CHR", Node: "5", Name: "/dev/null"}},
		{"aligned PPID and SECURITY-CONTEXT", "COMMAND  PID SECURITY-CONTEXT                PPID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"sshd     812 system_u:system_r:sshd_t:s0-s0    1 root    0r   CHR    1,3      0t0    5 /dev/null",
			&got{Cmd: "sshd", PID: 812, PPID: 1, FD: "0", Type: "CHR", Node: "5", Name: "/dev/null"}},
		{"aligned FILE-ADDR and NLINK", "COMMAND  PID USER   FD   TYPE          FILE-ADDR DEVICE SIZE/OFF NLINK NODE NAME",
			"bash      77 ann    0u   CHR 0xffff9a3e0b6c3400  136,0      0t0     1    3 /dev/pts/0",
			&got{Cmd: "bash", PID: 77, FD: "0", Type: "CHR", Node: "3", Name: "/dev/pts/0"}},
		{"aligned bare FD", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"odd       12 root    7    REG  259,2        0   44 /tmp/x",
			&got{Cmd: "odd", PID: 12, FD: "7", Type: "REG", Node: "44", Name: "/tmp/x"}},
		{"collapsed", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"java 5120 app 10u IPv6 120377 0t0 TCP 10.0.3.17:51002->10.0.9.4:5432 (CLOSE_WAIT)",
			&got{Cmd: "java", PID: 5120, FD: "10", Type: "IPv6", Proto: "TCP", Name: "10.0.3.17:51002->10.0.9.4:5432 (CLOSE_WAIT)"}},
		{"collapsed DEL row", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME",
			"java 4242 app DEL REG 0,1 1048579 /memfd:jvm-heap-map",
			&got{Cmd: "java", PID: 4242, FD: "DEL", Type: "REG", Node: "1048579", Name: "/memfd:jvm-heap-map"}},
		{"no header, thread row", "",
			"java      4242 4263 C2\\x20Compil   app   14u      REG                0,1         0      1048579 /memfd:x (deleted)",
			&got{Cmd: "java", PID: 4242, TID: true, FD: "14", Type: "REG", Node: "1048579", Name: "/memfd:x (deleted)"}},
		{"no header, lock", "",
			"java 4242 app 9uW REG 259,2 0 1835222 /srv/app/data/app.lock",
			&got{Cmd: "java", PID: 4242, FD: "9", Type: "REG", Node: "1835222", Name: "/srv/app/data/app.lock"}},
		{"no header, mem with lock", "",
			"java 4242 app mem-R REG 259,2 0 1835222 /srv/app/data/map",
			&got{Cmd: "java", PID: 4242, FD: "mem", Type: "REG", Node: "1835222", Name: "/srv/app/data/map"}},
		{"prose with a number", "", "we saw 4242 open sockets yesterday", nil},
		{"ps row", "", "app       4242  0.3  2.1 3300000 170000 ?     Sl   Jan01  12:00 java", nil},
		{"bare FD without header", "", "odd 12 root 7 REG 259,2 0 44 /tmp/x", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("t", Name))
			if tc.header != "" && !r.headerLine([]byte(tc.header)) {
				t.Fatalf("headerLine(%q) = false", tc.header)
			}
			line := []byte(tc.row)
			var row lsofRow
			ok := r.hdr.parseRow(line, lsofSpans(line, nil), &row)
			if !ok {
				if tc.want != nil {
					t.Errorf("parseRow(%q) = false, want a row", tc.row)
				}
				return
			}
			if tc.want == nil {
				t.Fatalf("parseRow(%q) = %+v, want no row", tc.row, row)
			}
			g := got{Cmd: string(row.cmd), PID: row.pid, PPID: row.ppid, TID: row.tid, FD: string(row.file.fd),
				Type: string(row.file.typ), Node: string(row.file.node), Proto: string(row.file.proto), Name: string(row.file.name)}
			if isInetType(row.file.typ) {
				g.Node = "" // the protocol, where the header's columns show it
			}
			if diff := cmp.Diff(*tc.want, g); diff != "" {
				t.Errorf("parseRow(%q) diff (-want +got):\n%s", tc.row, diff)
			}
		})
	}
}

// TestLsofRowColumns checks which values of a row are taken for its
// DEVICE and SIZE/OFF, which the size of a deleted file comes from.
func TestLsofRowColumns(t *testing.T) {
	tests := []struct {
		name, header, row string
		dev, size, node   string
	}{
		{"aligned", "COMMAND  PID USER   FD   TYPE DEVICE   SIZE/OFF    NODE NAME",
			"ossfs    614 root   36u   REG  253,1 1073741824 1054100 /tmp/tmpa1 (deleted)", "253,1", "1073741824", "1054100"},
		{"aligned, no size", "COMMAND  PID USER   FD   TYPE DEVICE   SIZE/OFF    NODE NAME",
			"java    4242  app   DEL   REG    0,1            1048579 /memfd:jvm-heap-map", "0,1", "", "1048579"},
		{"no header", "", "ossfs 614 root 36u REG 253,1 1073741824 1054100 /tmp/tmpa1 (deleted)", "253,1", "1073741824", "1054100"},
		{"no header, TID", "", "ossfs 614 3593 root 36u REG 253,1 1073741824 1054100 /tmp/tmpa1 (deleted)", "253,1", "1073741824", "1054100"},
		{"no header, offset", "", "app 42 app 5u REG 259,2 0t4096 1835001 /tmp/spool.1 (deleted)", "259,2", "0t4096", "1835001"},
		{"no header, no size", "", "java 4242 app DEL REG 0,1 1048579 /memfd:jvm-heap-map", "0,1", "", "1048579"},
		{"no header, no device", "", "systemd 1 root 9u netlink 0t0 17431 KOBJECT_UEVENT", "", "0t0", "17431"},
		{"no header, socket address", "", "sshd 812 root 4u unix 0xffff88003707c000 0t0 17044 socket", "0xffff88003707c000", "0t0", "17044"},
		{"no header, Internet socket", "", "sshd 812 root 3u IPv4 24533 0t0 TCP *:22 (LISTEN)", "24533", "0t0", ""},
		{"header with NLINK, collapsed", "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NLINK NODE NAME",
			"bash 77 ann 3r REG 259,2 120 1 1101 /tmp/x (deleted)", "259,2", "120", "1101"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newLsofReader(facts.NewBuilder(), facts.NewSourceLog("t", Name))
			if tc.header != "" && !r.headerLine([]byte(tc.header)) {
				t.Fatalf("headerLine(%q) = false", tc.header)
			}
			line := []byte(tc.row)
			var row lsofRow
			if !r.hdr.parseRow(line, lsofSpans(line, nil), &row) {
				t.Fatalf("parseRow(%q) = false, want a row", tc.row)
			}
			f := &row.file
			if isInetType(f.typ) {
				f.node = nil // the protocol
			}
			if string(f.dev) != tc.dev || string(f.size) != tc.size || string(f.node) != tc.node {
				t.Errorf("parseRow(%q): device %q, size %q, node %q, want %q, %q, %q", tc.row, f.dev, f.size, f.node, tc.dev, tc.size, tc.node)
			}
		})
	}
}

// TestReadLsofText reads short captures of forms the testdata captures
// do not show, and checks the facts and diagnostics that tell them.
func TestReadLsofText(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		pid     uint64
		count   *int64 // the process's HandleCount
		types   map[string]int64
		unnamed *int64 // the process's Unnamed, when checked
		codes   []string
	}{
		{
			name: "-F with NOFD",
			text: "p1\ncsystemd\nfcwd\nn/proc/1/cwd (readlink: Permission denied)\nfNOFD\nn/proc/1/fd (opendir: Permission denied)\n",
			pid:  1, types: map[string]int64{}, codes: []string{facts.CodeMissing},
		},
		{
			name: "-F pfn, no type",
			text: "p9\nfcwd\nn/\nf0\nn/dev/null\nf3\nn[eventfd:2]\nf4\nnpipe\n",
			pid:  9, count: lsofCount(3), types: map[string]int64{"eventfd": 1, "pipe": 1}, codes: []string{facts.CodeMissing},
		},
		{
			name: "lsof | head: the last process may be cut",
			text: "$ lsof -nP | head -4\nCOMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2     4096    2 /\ninit      1 root    0u CHR    1,3      0t0    5 /dev/null\n",
			pid: 1, types: map[string]int64{"device": 1}, codes: []string{scan.CodePartial},
		},
		{
			name: "-p selects processes, not descriptors",
			text: "$ lsof -nP -a -p 1 -u root\nCOMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2     4096    2 /\ninit      1 root    0u CHR    1,3      0t0    5 /dev/null\n",
			pid: 1, count: lsofCount(1), types: map[string]int64{"device": 1},
		},
		{
			name: "-d selects descriptors",
			text: "$ lsof -nP -p 1 -d 0-9\nCOMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root    0u CHR    1,3      0t0    5 /dev/null\n",
			pid: 1, types: map[string]int64{"device": 1}, codes: []string{scan.CodePartial},
		},
		{
			name: "-s with a size header",
			text: "COMMAND PID USER   FD TYPE DEVICE SIZE NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2 4096    2 /\ninit      1 root    3r REG  259,2  120   44 /etc/hosts\n",
			pid: 1, count: lsofCount(1), types: map[string]int64{"file": 1},
		},
		{
			name: "-F pft, no names",
			text: "p9\nfcwd\ntDIR\nf0\ntCHR\nf3\nta_inode\nf4\ntREG\nf5\ntFIFO\n",
			pid:  9, count: lsofCount(4), types: map[string]int64{"device": 1, "anon_inode": 1, "file": 1, "pipe": 1}, unnamed: lsofCount(0),
		},
		{
			name: "a pid shown with two images",
			text: "COMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2     4096    2 /\nsystemd   1 root    3r REG  259,2      120   44 /etc/hosts\n",
			pid: 1, count: lsofCount(1), types: map[string]int64{"file": 1}, codes: []string{scan.CodePIDImage},
		},
		{
			name: "another command's output is ignored",
			text: "$ uptime\n 10:00:00 up 3 days,  2:01,  1 user,  load average: 0.00, 0.01, 0.05\n$ lsof -p 1\nCOMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2     4096    2 /\n",
			pid: 1, count: lsofCount(0), types: map[string]int64{}, codes: []string{facts.CodeIgnoredCommand},
		},
		{
			name: "lsof's own rows, no header",
			text: "lsof      4711 alice  cwd       DIR              8,1     4096          2 /home/alice\n" +
				"lsof      4711 alice  txt       REG              8,1   163136     280624 /usr/bin/lsof\n" +
				"lsof      4711 alice    4r      DIR              0,4        0          1 /proc\n" +
				"lsof      4711 alice    5w     FIFO             0,13      0t0     917234 pipe\n",
			pid: 4711, count: lsofCount(2), types: map[string]int64{"directory": 1, "pipe": 1},
		},
		{
			name: "a descriptor listed twice",
			text: "COMMAND PID USER   FD TYPE DEVICE SIZE/OFF NODE NAME\n" +
				"init      1 root  cwd  DIR  259,2     4096    2 /\ninit      1 root    3r REG  259,2      120   44 /etc/hosts\ninit      1 root    3r REG  259,2      120   44 /etc/hosts\n",
			pid: 1, count: lsofCount(1), types: map[string]int64{"file": 1}, codes: []string{facts.CodeDuplicate},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readLsofBytes(t, []byte(tc.text), "t.txt")
			checkLsofLines(t, snap, "t.txt")
			p := lsofProcess(t, snap, tc.pid)
			if diff := cmp.Diff(tc.count, p.HandleCount); diff != "" {
				t.Errorf("handle count diff (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.types, p.ByType); diff != "" {
				t.Errorf("by type diff (-want +got):\n%s", diff)
			}
			if tc.unnamed != nil && p.Unnamed != *tc.unnamed {
				t.Errorf("%d unnamed handles, want %d", p.Unnamed, *tc.unnamed)
			}
			var codes []string
			for _, d := range snap.Diagnostics {
				codes = append(codes, d.Code)
			}
			for _, c := range tc.codes {
				if !strings.Contains(strings.Join(codes, " "), c) {
					t.Errorf("diagnostics %v lack %q", codes, c)
				}
			}
		})
	}
}

// TestLsofFilter checks which command lines select descriptors.
func TestLsofFilter(t *testing.T) {
	tests := []struct {
		line string
		want string
	}{
		{"lsof", ""},
		{"lsof -nP", ""},
		{"lsof -nP -p 4242", ""},
		{"lsof -p4242 -a -u app", ""},
		{"lsof +c 15 -c java", ""},
		{"lsof -nP -K i", ""},
		{"lsof -F pcfnt -p 1", ""},
		{"lsof -nP -p 1 2>/dev/null", ""},
		{"lsof -nP > out.txt", ""},
		{"lsof -nP | less", ""},
		{"lsof -i", "-i"},
		{"lsof -nPi :8080", "-i"},
		{"lsof -iTCP -sTCP:LISTEN", "-i"},
		{"lsof -U", "-U"},
		{"lsof -d 0-9 -p 1", "-d"},
		{"lsof +D /var/log", "+D"},
		{"lsof /var/log/syslog", "/var/log/syslog"},
		{"lsof -p 1 -s TCP:LISTEN", "-s"},
		{"lsof -nP | grep java", "| grep"},
		{"lsof -nP |head", "| head"},
		{"lsof -n|grep -e PID -e delete", "| grep"},
		{"lsof -p 1|less", ""},
		{"lsof -Di", ""},
	}
	for _, tc := range tests {
		words := [][]byte{}
		for _, w := range strings.Fields(tc.line)[1:] {
			words = append(words, []byte(w))
		}
		if got := lsofFilter(words); got != tc.want {
			t.Errorf("lsofFilter(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestLsofPrompt checks which lines are shell command lines.
func TestLsofPrompt(t *testing.T) {
	tests := []struct {
		line string
		cmd  string // "" for none
	}{
		{"$ lsof -p 1", "lsof -p 1"},
		{"# lsof -nP", "lsof -nP"},
		{"root@web01:~# lsof -nP", "lsof -nP"},
		{"[svc@poller01 ~]$ /usr/sbin/lsof -p 2711", "/usr/sbin/lsof -p 2711"},
		{"maria@laptop:~/src $ lsof", "lsof"},
		{"bash-5.1$ lsof", "lsof"},
		{"-bash-4.4# lsof | grep deleted", "lsof | grep deleted"},
		{"/ # lsof -p 42", "lsof -p 42"},
		{"/srv/app # lsof", "lsof"},
		{"~ $ lsof -p 1", "lsof -p 1"},
		{"-note# lsof", ""},
		{"/a b # lsof", ""},
		{"web-1:/$ lsof -p 9", "lsof -p 9"},
		{"box:~/src# lsof", "lsof"},
		{"Price:$ lsof", ""},
		{"note:today$ lsof", ""},
		{"a b:/$ lsof", ""},
		{"root@ :~# lsof -n | grep deleted|more", "lsof -n | grep deleted|more"},
		{"root@  :/tmp# lsof", "lsof"},
		{"[app@ ~]$ lsof -p 1", "lsof -p 1"},
		{"[ps395777]$ lsof -p20695", "lsof -p20695"},
		{"[web01 ~]# ulimit -n", "ulimit -n"},
		{"[12:10:50] [root@db01 ~]# lsof  -n|grep -e PID -e delete", "lsof  -n|grep -e PID -e delete"},
		{"[12:10:50] it costs $ 5", ""},
		{"(base) root@db01:~# lsof -i :8080", "lsof -i :8080"},
		{"(ENV) B000000081679:RecordLocal yang$ lsof -i:1717", "lsof -i:1717"},
		{"mbp:src ann$ lsof -p 12", "lsof -p 12"},
		{"(see note) it costs $ 5", ""},
		{"Cost: high $ 5", ""},
		{"[1]$ 5", ""},
		{"[]$ lsof", ""},
		{"root@ host:~# lsof", ""},
		{"mail me @ :noon# lsof", ""},
		{"$ sudo -u app lsof -p 1", "sudo -u app lsof -p 1"},
		{"it costs $ 5", ""},
		{"## Output", ""},
		{"n/tmp/odd$ name", ""},
		{"➜  ~ lsof -i:8080", "lsof -i:8080"},
		{"➜  proxy git:(main) ✗ lsof -p 77", "lsof -p 77"},
		{"➜  proxy git:(main) lsof", "lsof"},
		{"➜  ~", ""},
		{"└─$ lsof -i :4444   ", "lsof -i :4444"},
		{"╰─# lsof  -p 53324 | wc -l", "lsof  -p 53324 | wc -l"},
		{"└─$", ""},
		{"└── lsof.txt", ""},
		{"~ % lsof -p 17990", "lsof -p 17990"},
		{"simon@Mac ~ % lsof /tmp/covid.db", "lsof /tmp/covid.db"},
		{"ann@mbp-2 src % lsof -i :8080", "lsof -i :8080"},
		{"~/src/app % lsof -p 1", "lsof -p 1"},
		{"grew 30 % over", ""},
		{"rate ~ 5 % lsof", ""},
		{"src % lsof", ""},
		{"[root@fuel ~] lsof", "lsof"},
		{"[root@db01 /var/log] lsof -p 1", "lsof -p 1"},
		{"[note] lsof is slow", ""},
		{"www-data@dev03 ~ # lsof | grep nginx | wc -l", "lsof | grep nginx | wc -l"},
		{"ann@dev03 ~/src $ lsof -p 1", "lsof -p 1"},
		{"dev03 /var/log # lsof -p 1", "lsof -p 1"},
		{"dev03 ~ $ lsof -p 1", ""},
		{"see note # lsof", ""},
		{"rate ~ 5 # lsof", ""},
		{"3 ~ # lsof", ""},
		{"[root@db01:~]#lsof -p 1948 | wc -l", "lsof -p 1948 | wc -l"},
		{"[ann@db01 ~]$sudo lsof", "sudo lsof"},
		{"[note]#lsof", ""},
		{"[root@db01:~]#", ""},
		{"[1] see below", ""},
	}
	for _, tc := range tests {
		cmd, ok := lsofPrompt([]byte(tc.line))
		if got := string(cmd); ok != (tc.cmd != "") || got != tc.cmd {
			t.Errorf("lsofPrompt(%q) = %q, %v, want %q", tc.line, got, ok, tc.cmd)
		}
	}
}

// TestSkipCommandPrefix checks that what runs lsof is not taken for it.
func TestSkipCommandPrefix(t *testing.T) {
	tests := []struct{ line, want string }{
		{"lsof -p 1", "lsof"},
		{"sudo lsof -p 1", "lsof"},
		{"sudo -E lsof", "lsof"},
		{"sudo -u app lsof -nP", "lsof"},
		{"LC_ALL=C time /usr/sbin/lsof", "/usr/sbin/lsof"},
		{"ps aux", "ps"},
	}
	for _, tc := range tests {
		var words [][]byte
		for _, w := range strings.Fields(tc.line) {
			words = append(words, []byte(w))
		}
		if got := skipCommandPrefix(words); len(got) == 0 || string(got[0]) != tc.want {
			t.Errorf("skipCommandPrefix(%q) starts with %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestLsofUnescape checks the decoding of command names.
func TestLsofUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"java", "java"},
		{"Web\\x20Con", "Web Con"},
		{"Web\\x20Co", "Web Co"},
		{"Web\\x2", "Web\\x2"},
		{"a\\x00b", "a\\x00b"},
		{"x\\x41\\x42", "xAB"},
	}
	for _, tc := range tests {
		if got := string(lsofUnescape([]byte(tc.in))); got != tc.want {
			t.Errorf("lsofUnescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
