package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestReadWorkingDirectory reads listings whose process is the directory
// a cd went to or a prompt shows, not a path on the ls command line.
func TestReadWorkingDirectory(t *testing.T) {
	const dots = "dr-x------ 2 u u 0 Mar  3 10:00 .\ndr-xr-xr-x 9 u u 0 Mar  3 10:00 ..\n"
	runCases(t, []readCase{
		{
			name: "cd /proc/PID, then cd fd, then ls -l",
			text: "$ cd /proc/1234\n$ cd fd\n$ ls -l\ntotal 0\n" + row("0", "/dev/null") + row("3", "socket:[7]"),
			want: []proc{{PID: 1234, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		},
		{
			name: "cd fd/ relative, then ls -ltr",
			text: "# cd /proc/77/\n# cd fd/\n# ls -ltr\ntotal 0\n" + row("4", "pipe:[3]"),
			want: []proc{{PID: 77, Count: 1, Parsed: 1, ByType: map[string]int64{"pipe": 1}}},
		},
		{
			name: "cd /proc/PID/fd, then ll with its ./ and ../ rows",
			text: "[root@db ~]# cd /proc/881/fd\n[root@db fd]# ll\ntotal 0\n" +
				"dr-x------ 2 r r  0 Mar  3 10:00 ./\n" +
				"dr-xr-xr-x 9 r r  0 Mar  3 10:00 ../\n" + row("0", "/dev/null"),
			want: []proc{{PID: 881, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "a prompt whose path is /proc/PID/fd before the command",
			text: "root@host:/proc/1234/fd# ls -l\ntotal 0\n" + row("0", "/dev/null") + row("1", "/dev/null"),
			want: []proc{{PID: 1234, Count: 2, Parsed: 2, ByType: map[string]int64{"device": 2}}},
		},
		{
			name: "a bare prompt names the directory of the ls after it",
			text: "root@host:/proc/1234/fd#\nls -l\ntotal 0\n" + row("0", "/dev/null"),
			want: []proc{{PID: 1234, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name:  "cd /proc/$$, then ls -al fd/: the shell's descriptors, of unknown pid",
			text:  "$ cd /proc/$$\n$ ls -al fd/\ntotal 0\n" + dots + row("0", "/dev/pts/3") + row("1", "/dev/pts/3"),
			want:  []proc{{Count: 2, Parsed: 2, ByType: map[string]int64{"device": 2}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name:  "cd /proc/self, then cd fd and ls -l, without prompts",
			text:  "cd /proc/self\ncd fd\nls -l\ntotal 0\n" + row("0", "/dev/pts/3"),
			want:  []proc{{Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name: "cd /proc/$(pidof NAME), then ls -l fd: the process by image",
			text: "# cd /proc/$(pidof contoso-agent)\n# ls -l fd\ntotal 0\n" + row("0", "/dev/null") + row("5", "socket:[91]"),
			want: []proc{{Image: "contoso-agent", Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		},
		{
			name:         "cd /proc/sys is no process's directory",
			text:         "# cd /proc/sys\n# ls -l fd\ntotal 0\n" + row("0", "/dev/null"),
			want:         []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
		{
			name: "pwd prints the directory of the ls after it",
			text: "$ pwd\n/proc/1234/fd\n$ ls -l\ntotal 0\n" + row("0", "/dev/null"),
			want: []proc{{PID: 1234, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name:         "pwd elsewhere leaves /proc",
			text:         "# cd /proc/7/fd\n# pwd\n/tmp\n# ls -l\n" + row("0", "/dev/null"),
			want:         []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
		{
			name: "options that run into the pipe (-l|grep) are no path to list",
			text: "# cd /proc/7/fd\n# ls -l|grep socket\n" + row("3", "socket:[1]"),
			want: []proc{{PID: 7, Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
		},
		{
			name: "a two-line prompt whose first line shows /proc/PID/fd",
			text: "┌──(root㉿kali)-[/proc/1234/fd]\n└─# ls -l\ntotal 0\n" + row("0", "/dev/null") + "┌──(root㉿kali)-[/proc/1234/fd]\n└─#\n",
			want: []proc{{PID: 1234, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name:  "a filtered count names the process but gives no count",
			text:  "[root@db fd]# pwd\n/proc/881/fd\n[root@db fd]# ls -l | grep socket | wc -l\n616\n",
			want:  []proc{{PID: 881, Count: -1, ByType: map[string]int64{}}},
			codes: []string{procfd.CodeFilteredCount},
		},
		{
			name:  "bash's prompt in a directory named fd, no cd before it: a whole listing of an unknown process",
			text:  "[root@db fd]# ls -lh\ntotal 0\n" + row("0", "/dev/null") + row("4", "pipe:[47565576]"),
			want:  []proc{{Count: 2, Parsed: 2, ByType: map[string]int64{"device": 1, "pipe": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name:  "bash's prompt in fd, a grep: no count",
			text:  "[root@db fd]# ls -l | grep socket\n" + row("3", "socket:[1]"),
			want:  []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name:         "bash's prompt elsewhere lists no descriptors",
			text:         "[root@db src]# ls -l\n" + row("3", "socket:[1]"),
			want:         []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
			unrecognized: 1,
		},
		{
			name: "a bare prompt without a path is no line of its own",
			text: "controlplane $ cd /proc/42/fd\ncontrolplane $ ls -l\n" + row("0", "/dev/null") + "controlplane $\n",
			want: []proc{{PID: 42, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "a listing of /proc/PID gives the image from exe",
			text: "$ ls -l /proc/1234\n" +
				"dr-xr-xr-x 2 www www 0 Mar  3 10:00 attr\n" +
				"-r--r--r-- 1 www www 0 Mar  3 10:00 cmdline\n" +
				"lrwxrwxrwx 1 www www 0 Mar  3 10:00 cwd -> /\n" +
				"lrwxrwxrwx 1 www www 0 Mar  3 10:00 exe -> /usr/sbin/nginx\n" +
				"dr-x------ 2 www www 0 Mar  3 10:00 fd\n" +
				"lrwxrwxrwx 1 www www 0 Mar  3 10:00 root -> /\n" +
				"$ ls -l /proc/1234/fd\n" + row("0", "/dev/null"),
			want: []proc{{PID: 1234, Image: "nginx", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "cd /proc/PID then ll gives the image; the fd listing after it the descriptors",
			text: "$ cd /proc/99\n$ ll\ntotal 0\n" +
				"lrwxrwxrwx 1 a a 0 Mar  3 10:00 exe -> '/opt/my app/bin/agent (deleted)'\n" +
				"$ ls -l fd\n" + row("0", "/dev/null"),
			want: []proc{{PID: 99, Image: "agent", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "cd and ls on one line, by pidof",
			text: "$ cd /proc/$(pidof nginx)/fd && ls -l\n" + row("0", "/dev/null"),
			want: []proc{{Image: "nginx", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name:         "a cd out of /proc leaves the process's directory",
			text:         "# cd /proc/7/fd\n# cd /tmp\n# ls -l\n" + row("0", "/dev/null"),
			want:         []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
		{
			name: "cd .. from fd, then ls -l fd",
			text: "# cd /proc/7/fd\n# cd ..\n# ls -l fd\n" + row("0", "/dev/null"),
			want: []proc{{PID: 7, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name: "ls -l of the exe link alone names the image",
			text: "$ ls -l /proc/31/exe\nlrwxrwxrwx 1 a a 0 Mar  3 10:00 /proc/31/exe -> /usr/bin/haproxy\n" +
				"$ ls -l /proc/31/fd\n" + row("0", "/dev/null"),
			want: []proc{{PID: 31, Image: "haproxy", Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
		},
		{
			name:         "a prompt whose path is outside /proc leaves the process's directory",
			text:         "root@h:/proc/7/fd# ls -l\n" + row("0", "/dev/null") + "root@h:~# ls -l\n" + row("1", "/dev/null"),
			want:         []proc{{Count: -1, Parsed: 1, ByType: map[string]int64{"device": 1}}, {PID: 7, Count: 1, Parsed: 1, ByType: map[string]int64{"device": 1}}},
			unrecognized: 1,
		},
	})
}
