package procfd_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
	"github.com/leakdiag/leakdiag/facts"
)

// read reads text and returns its snapshot and the lines' account.
func read(t *testing.T, text string) (*facts.Snapshot, *facts.SourceLog) {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("t.txt", procfd.Name)
	if err := procfd.Read(b, log, strings.NewReader(text)); err != nil {
		t.Fatalf("Read: %v", err)
	}
	b.AddSource(log)
	return b.Snapshot(), log
}

// proc is what a test checks of a process.
type proc struct {
	PID     uint64
	Image   string
	Count   int64 // -1: not set
	Parsed  int64
	ByType  map[string]int64
	Deleted int64
	Limit   int64 // the fd limit, 0: not set
	PPID    uint64
	Cmdline string
}

func procs(s *facts.Snapshot) []proc {
	var out []proc
	for _, p := range s.Processes {
		c := int64(-1)
		if p.HandleCount != nil {
			c = *p.HandleCount
		}
		by := map[string]int64{}
		for typ, n := range p.ByType {
			by[typ] = n
		}
		var limit int64
		if p.FDLimit != nil {
			limit = *p.FDLimit
		}
		out = append(out, proc{PID: p.PID, Image: p.Image, Count: c, Parsed: p.HandlesParsed, ByType: by,
			Deleted: p.DeletedFDs, Limit: limit, PPID: p.PPID, Cmdline: p.Cmdline})
	}
	return out
}

// readCase is a capture and what reading it must give.
type readCase struct {
	name         string
	text         string
	want         []proc
	unrecognized int64
	// codes are diagnostic codes the reading must report.
	codes []string
}

// runCases reads each case's text and compares its processes, its
// unrecognized lines and its diagnostics.
func runCases(t *testing.T, tests []readCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap, log := read(t, tc.text)
			if diff := cmp.Diff(tc.want, procs(snap)); diff != "" {
				t.Errorf("processes: diff (-want +got):\n%s", diff)
			}
			if log.Lines.Unrecognized != tc.unrecognized {
				t.Errorf("unrecognized lines = %d, want %d", log.Lines.Unrecognized, tc.unrecognized)
			}
			for _, code := range tc.codes {
				if !slices.ContainsFunc(snap.Diagnostics, func(d facts.Diagnostic) bool { return d.Code == code }) {
					t.Errorf("diagnostics = %v, want one %q", snap.Diagnostics, code)
				}
			}
		})
	}
}

func TestRead(t *testing.T) {
	runCases(t, []readCase{
		{
			// Read as an unknown command's output, the two listings
			// were one process's, the second's rows "listed again".
			name: "an alias of ls of the author's own lists two processes",
			text: " $ lsa /proc/$$/fd\n" +
				"lrwx------ 1 1001 666 64 20240909004440 0 -> /dev/pts/20\n" +
				"lrwx------ 1 1001 666 64 20240909004440 1 -> /dev/pts/20\n" +
				"lr-x------ 1 1001 666 64 20240909004440 4 -> /dev/null\n" +
				"\nthe fd 4 is the one the window manager opened:\n" +
				" $ lsa /proc/`pgrep -P1 contoso`/fd\n" +
				"lr-x------ 1 1001 666 64 20240909180255 0 -> /dev/null\n" +
				"l-wx------ 1 1001 666 64 20240909180255 1 -> pipe:[11682]\n" +
				"lrwx------ 1 1001 666 64 20240909180255 3 -> socket:[12584]\n" +
				"lr-x------ 1 1001 666 64 20240909180255 4 -> /dev/null\n",
			want: []proc{
				{Count: 3, Parsed: 3, ByType: map[string]int64{"device": 3}},
				{Image: "contoso", Count: 4, Parsed: 4, ByType: map[string]int64{"device": 2, "pipe": 1, "socket": 1}},
			},
			unrecognized: 1,
		},
		{
			// What an alias adds to ls's options is unknown: its count
			// is not read, nor is a command that is no alias of ls.
			name: "no alias: a count of one, less",
			text: "$ la /proc/4242/fd | wc -l\n12\n$ less /proc/4242/fd\n",
		},
		{
			name: "gnu ls -l with selinux dots, deleted file and memfd",
			text: "$ ls -l /proc/90/fd\ntotal 0\n" +
				"lrwx------. 1 a a 64 Jan  2 10:00 0 -> /dev/null\n" +
				"lrwx------. 1 a a 64 Jan  2 10:00 3 -> anon_inode:[eventfd]\n" +
				"lrwx------. 1 a a 64 Jan  2 10:00 4 -> anon_inode:[eventfd:12]\n" +
				"lrwx------. 1 a a 64 Jan  2 10:00 5 -> socket:[123]\n" +
				"l-wx------. 1 a a 64 Jan  2 10:00 6 -> /tmp/x (deleted)\n" +
				"l-wx------. 1 a a 64 Jan  2 10:00 7 -> /memfd:y (deleted)\n",
			want: []proc{{PID: 90, Count: 6, Parsed: 6, Deleted: 1,
				ByType: map[string]int64{"device": 1, "eventfd": 2, "socket": 1, "file": 2}}},
		},
		{
			name: "busybox prompt names the directory, la rows of . and ..",
			text: "/proc/12/fd # ls -la\ntotal 0\n" +
				"dr-x------    2 root     root             0 Jan  1 00:00 .\n" +
				"dr-xr-xr-x    8 root     root             0 Jan  1 00:00 ..\n" +
				"lrwx------    1 root     root            64 Jan  1 00:00 0 -> pipe:[9]\n",
			want: []proc{{PID: 12, Count: 1, Parsed: 1, ByType: map[string]int64{"pipe": 1}}},
		},
		{
			name: "ls -ls: the blocks before each mode",
			text: "[root@web fd]# ls -ls /proc/88/fd\ntotal 0\n" +
				"0 lrwx------ 1 www www 64 Nov 10 22:41 0 -> /dev/null\n" +
				"0 l-wx------ 1 www www 64 Nov 10 22:41 2 -> /var/log/app/error.log\n" +
				"0 lrwx------ 1 www www 64 Nov 10 22:50 3 -> socket:[11191]\n",
			want: []proc{{PID: 88, Count: 3, Parsed: 3, ByType: map[string]int64{"device": 1, "file": 1, "socket": 1}}},
		},
		{
			name: "ls -li and ls -lais: the inode, and the blocks, before each mode",
			text: "# cd /proc/2333/fd/\n# ls -li | grep pts\n" +
				" 153028253 lrwx------  1 root root 64 Sep 12 11:18 10533 -> /dev/pts/0\n" +
				" 153028254 lrwx------  1 root root 64 Sep 12 11:18 99997 -> /dev/pts/0\n" +
				"# ls -lais /proc/2334/fd\n" +
				"0 0 dr-x------ 2 root root  0 Sep 12 11:18 .\n" +
				"153028301 0 lrwx------ 1 root root 64 Sep 12 11:18 4 -> pipe:[9]\n",
			want: []proc{
				{PID: 2333, Count: -1, Parsed: 2, ByType: map[string]int64{"device": 2}},
				{PID: 2334, Count: 1, Parsed: 1, ByType: map[string]int64{"pipe": 1}},
			},
		},
		{
			name: "a grep filter leaves the count unset",
			text: "# ls -l /proc/5/fd | grep socket\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 3 -> socket:[1]\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 4 -> socket:[2]\n",
			want: []proc{{PID: 5, Count: -1, Parsed: 2, ByType: map[string]int64{"socket": 2}}},
		},
		{
			name: "wc -l of ls -l counts the total row too",
			text: "$ ls -l /proc/$(pidof -s worker)/fd | wc -l\n2001\n",
			want: []proc{{Image: "worker", Count: 2000, ByType: map[string]int64{}}},
		},
		{
			name: "a glob under $(pidof) expands to paths that give the named process its pid",
			text: "# ls -l /proc/$(pidof db)/fd/* | grep tmp\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 /proc/71/fd/6 -> /var/db/tmp/a (deleted)\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 /proc/71/fd/7 -> /var/db/tmp/b (deleted)\n",
			want: []proc{{PID: 71, Image: "db", Count: -1, Parsed: 2, Deleted: 2, ByType: map[string]int64{"file": 2}}},
		},
		{
			name: "rows without a command belong to a process of unknown pid",
			text: "lrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/pts/0\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 9 -> anon_inode:[pidfd]\n",
			want: []proc{{Count: -1, Parsed: 2, ByType: map[string]int64{"device": 1, "anon_inode": 1}}},
		},
		{
			name: "an entry ls could not stat is a descriptor of unknown kind",
			text: "$ ls -l /proc/6/fd\nls: cannot access '/proc/6/fd/4': No such file or directory\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n" +
				"l????????? ? ? ? ?            ? 4\n",
			want: []proc{{PID: 6, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "GNU ls quotes link targets with brackets or blanks",
			text: "$ ls -l /proc/3/fd\n" +
				"l-wx------ 1 r r 64 Oct 13 20:28 10 -> 'pipe:[775725]'\n" +
				"lrwx------ 1 r r 64 Oct 13 20:28 11 -> 'anon_inode:[eventfd]'\n" +
				"l-wx------ 1 r r 64 Oct 13 20:28 12 -> '/tmp/a b (deleted)'\n" +
				"l-wx------ 1 r r 64 Oct 13 20:28 13 -> '/tmp/it'\\''s'\n",
			want: []proc{{PID: 3, Count: 4, Parsed: 4, Deleted: 1,
				ByType: map[string]int64{"pipe": 1, "eventfd": 1, "file": 2}}},
		},
		{
			name: "a pipe to another command cuts a listing, a later whole one counts",
			text: "~> ls /proc/9/fd/ | to-lines\n▶ 1024\n" +
				"$ ls -l /proc/9/fd | sort\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n",
			want:         []proc{{PID: 9, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
		{
			name: "a listing piped to a count that is not shown gives no count",
			text: "$ ls /proc/8/fd | wc -l\n$ ls -l /proc/7/fd\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n",
			want: []proc{{PID: 7, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}},
				{PID: 8, Count: -1, ByType: map[string]int64{}}},
		},
		{
			name: "ll in the process's directory, its ./ and ../ rows, an O_PATH descriptor",
			text: "ubuntu@t1:/proc/4242$ ll fd\ntotal 0\n" +
				"dr-x------ 2 u u  0 Apr  1 17:55 ./\n" +
				"dr-xr-xr-x 9 u u  0 Mar 30 21:33 ../\n" +
				"lrwx------ 1 u u 64 Apr  1 17:55 0 -> 'socket:[88567492]'\n" +
				"l--------- 1 u u 64 Apr  1 17:55 7 -> /tmp\n",
			want: []proc{{PID: 4242, Count: 2, Parsed: 2, ByType: map[string]int64{"socket": 1, "file": 1}}},
		},
		{
			name: "cd to the process's directory, then ls fd",
			text: "# cd /proc/51\n# ls -l fd\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n",
			want: []proc{{PID: 51, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "a thread's fd directory is its process's; a glob lists them all",
			text: "$ ll /proc/215/task/296/fd/**\n" +
				"lrwx------ 1 g g 64 Aug  2 17:09 /proc/215/task/296/fd/1 -> 'socket:[3487300049]'\n",
			want: []proc{{PID: 215, Count: 1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
		},
		{
			name: "a glob of pids lists each process under its heading",
			text: "# ls -l /proc/[0-9]*/fd\n/proc/10/fd:\ntotal 0\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n\n/proc/11/fd:\ntotal 0\n" +
				"lrwx------ 1 r r 64 Jan  1 00:00 0 -> pipe:[3]\n",
			want: []proc{{PID: 10, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}},
				{PID: 11, Count: 1, Parsed: 1, ByType: map[string]int64{"pipe": 1}}},
		},
		{
			name: "bare rows of descriptor and link",
			text: " 0 -> /dev/null\n 1 -> 'socket:[23354]'\n 4 -> 'pipe:[28740]'\n",
			want: []proc{{Count: -1, Parsed: 3, ByType: map[string]int64{"device": 1, "socket": 1, "pipe": 1}}},
		},
		{
			name: "one descriptor by its path names its process",
			text: "$ ls -l /proc/31/fd/7\nlrwx------ 1 r r 64 Aug  2 06:05 /proc/31/fd/7 -> socket:[5]\n",
			want: []proc{{PID: 31, Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
		},
		{
			name:         "prose around the listing is unrecognized, a bare prompt ignored",
			text:         "the fds keep growing:\n[u@h ~]$ ls -l /proc/8/fd\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n[u@h ~]$\n",
			want:         []proc{{PID: 8, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
	})
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"two descriptor rows", "lrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\nlr-x------ 1 r r 64 Jan  1 00:00 1 -> pipe:[3]\n", true},
		{"one row under its command", "$ ls -l /proc/4/fd\nlrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n", true},
		{"symlinks of an ordinary directory", "lrwxrwxrwx 1 root root 9 Jan  1 00:00 python3 -> python3.11\nlrwxrwxrwx 1 root root 7 Jan  1 00:00 2 -> usr/bin\n", false},
		{"lsof rows", "COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nbash 10 r 0u CHR 136,0 0t0 3 /dev/pts/0\n", false},
		{"one row alone", "lrwx------ 1 r r 64 Jan  1 00:00 0 -> /dev/null\n", false},
		{"bare rows with kernel links", "0 -> /dev/null\n1 -> 'socket:[5]'\n", true},
		{"bare rows of other links", "1 -> usr/bin\n2 -> lib\n", false},
		{"a count under its command", "$ ls -l /proc/77/fd | wc -l\n16\n", true},
		{"a count under another command", "$ ls -l /tmp | wc -l\n16\n", false},
		{"a command alone", "$ ls -l /proc/12/fd\n", false},
		{"an lsof count of one process", "# lsof -p 950 | wc -l\n1050\n", true},
		{"an echo of the fd glob counted", "$ sh -c 'echo /proc/27/fd/*' | wc -w\n2124\n", true},
		{"an lsof count of a user's processes", "# lsof -u app | wc -l\n1050\n", false},
		{"limits alone", "$ cat /proc/12/limits\nLimit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n", false},
		{"ps rows alone", "  PID TTY      STAT   TIME COMMAND\n 1590 ?        S      0:00 /usr/sbin/squeezed\n 1591 ?        S      0:00 /usr/sbin/other\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := procfd.Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
