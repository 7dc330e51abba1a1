package procfd_test

import "testing"

// TestReadCommented reads a session pasted into a script as comments:
// its output lines lose the "# " before them, its commands read as after
// a root prompt.
func TestReadCommented(t *testing.T) {
	runCases(t, []readCase{
		{
			name: "ps, pwd and ls -l, every line after \"# \"",
			text: "# [root@vod fd]# ps axf | grep streamd\n" +
				"#  612 ?        Sl     6:48  \\_ /usr/local/sbin/streamd\n" +
				"#\n" +
				"# [root@vod fd]# pwd\n" +
				"# /proc/612/fd\n" +
				"# [root@vod fd]# ls -l\n" +
				"# total 0\n" +
				"# lrwx------ 1 root root 64 May 19 10:23 0 -> /dev/null\n" +
				"# lrwx------ 1 root root 64 May 19 10:23 3 -> socket:[21835]\n" +
				"# lr-x------ 1 root root 64 May 19 10:23 4 -> /srv/media/a.ts\n" +
				"#\n",
			want: []proc{{PID: 612, Image: "streamd", Count: 3, Parsed: 3, ByType: map[string]int64{"device": 1, "socket": 1, "file": 1},
				Cmdline: "/usr/local/sbin/streamd"}},
		},
		{
			name: "a listing quoted in a block comment, every line after \" * \"",
			text: "/*\n * $ ls -la /proc/4242/fd\n * total 0\n" +
				" * dr-x------ 2 ann ann  0 oct  3 09:14 .\n" +
				" * lr-x------ 1 ann ann 64 oct  3 09:14 0 -> pipe:[7001]\n" +
				" * lrwx------ 1 ann ann 64 oct  3 09:14 12 -> anon_inode:[eventfd]\n" +
				" *\n */\n",
			want:         []proc{{PID: 4242, Count: 2, Parsed: 2, ByType: map[string]int64{"pipe": 1, "eventfd": 1}}},
			unrecognized: 3, // "/*", "*", "*/"
		},
		{
			name: "a root prompt's command is not taken for output",
			text: "# ls -l /proc/5/fd\n# total 0\n" + row("3", "socket:[1]"),
			want: []proc{{PID: 5, Count: 1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
		},
	})
}
