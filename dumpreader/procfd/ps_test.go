package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

func TestReadPS(t *testing.T) {
	const count = "$ ls /proc/1590/fd | wc -l\n1023\n"
	runCases(t, []readCase{
		{
			name: "ps axf with its tree",
			text: "$ ps axf\n  PID TTY      STAT   TIME COMMAND\n" +
				"    1 ?        Ss     0:03 /sbin/init\n" +
				" 1590 ?        SLl    0:34  \\_ /usr/sbin/squeezed -daemon true\n" + count,
			want: []proc{{PID: 1590, Image: "squeezed", Cmdline: "/usr/sbin/squeezed -daemon true", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps aux",
			text: "USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n" +
				"root      1590  0.3  1.2 123456  7890 ?        Ssl  Jan01   1:02 ./squeezed --x\n" + count,
			want: []proc{{PID: 1590, Image: "squeezed", Cmdline: "./squeezed --x", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps -ef gives the parent",
			text: count + "$ ps -ef\nUID          PID    PPID  C STIME TTY          TIME CMD\n" +
				"root      1590     1  0 Jan01 ?        00:01:02 /usr/sbin/squeezed\n",
			want: []proc{{PID: 1590, PPID: 1, Image: "squeezed", Cmdline: "/usr/sbin/squeezed", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps -ef through grep, without its header",
			text: "$ ps -ef | grep squeezed\n" +
				"root      1590     1  0 Jan01 ?        00:01:02 /usr/sbin/squeezed\n" +
				"root      2001  1800  0 10:00 pts/0    00:00:00 grep --color=auto squeezed\n" + count,
			want: []proc{{PID: 1590, PPID: 1, Image: "squeezed", Cmdline: "/usr/sbin/squeezed", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps aux of a process that retitled itself: the name before the colon",
			text: "$ ps aux | grep nginx\n" +
				"www-data  1590  0.0  0.1  55000  5000 ?        S    10:00   0:02 nginx: worker process\n" + count,
			want: []proc{{PID: 1590, Image: "nginx", Cmdline: "nginx: worker process", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "busybox ps, a login shell",
			text: "PID   USER     TIME  COMMAND\n 1590 root      0:00 -sh\n" + count,
			want: []proc{{PID: 1590, Image: "sh", Cmdline: "-sh", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "a kernel thread names nothing",
			text: "  PID TTY      STAT   TIME COMMAND\n 1590 ?        S      0:00 [kworker/0:1]\n" + count,
			want: []proc{{PID: 1590, Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "rows of pids not listed are no processes",
			text: "  PID TTY      STAT   TIME COMMAND\n 1591 ?        S      0:00 /usr/sbin/other\n" + count,
			want: []proc{{PID: 1590, Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "descriptor rows right after ps aux are not its rows",
			text: "$ ps aux | grep squeezed\n" +
				"root      1590  0.3  1.2 123456  7890 ?        Ssl  Jan01   1:02 /usr/sbin/squeezed\n" +
				"lrwx------ 1 root root 64 Jan  1 00:00 0 -> /dev/null\n" +
				"lrwx------ 1 root root 64 Jan  1 00:00 1 -> socket:[5]\n",
			want:  []proc{{Count: -1, Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
			codes: []string{procfd.CodeUnknownProcess},
		},
		{
			name: "ps -eo pid,args through grep, without its header",
			text: "$ ps -eo pid,args | grep java\n 1590 java -Xmx1g -jar /opt/contoso/app.jar\n" + count,
			want: []proc{{PID: 1590, Image: "java", Cmdline: "java -Xmx1g -jar /opt/contoso/app.jar", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps -o args= -p PID: the row has no pid",
			text: "$ ps -o args= -p 1590\npython3 -m fabrikam.worker --queue q1\n" + count,
			want: []proc{{PID: 1590, Image: "python3", Cmdline: "python3 -m fabrikam.worker --queue q1", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "ps -aux is BSD's aux",
			text: "$ ps -aux | grep node\napp 1590 0.3 1.2 123456 7890 ? Ssl Jan01 1:02 node /srv/contoso/server.js\n" + count,
			want: []proc{{PID: 1590, Image: "node", Cmdline: "node /srv/contoso/server.js", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name: "adb shell ps: toybox's layout",
			text: "$ adb shell ps | grep com.contoso.app\nu0_a42        1590    804 2645105 172980 0                  0 S com.contoso.app\n" + count,
			want: []proc{{PID: 1590, PPID: 804, Image: "com.contoso.app", Cmdline: "com.contoso.app", Count: 1023, ByType: map[string]int64{}}},
		},
		{
			name:         "a line after the table is not a row",
			text:         "  PID TTY      STAT   TIME COMMAND\n 1590 ?        S      0:00 /usr/sbin/squeezed\nnow the fds:\n" + count,
			want:         []proc{{PID: 1590, Image: "squeezed", Cmdline: "/usr/sbin/squeezed", Count: 1023, ByType: map[string]int64{}}},
			unrecognized: 1,
		},
	})
}
