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
			name: "a root prompt's command is not taken for output",
			text: "# ls -l /proc/5/fd\n# total 0\n" + row("3", "socket:[1]"),
			want: []proc{{PID: 5, Count: 1, Parsed: 1, ByType: map[string]int64{"socket": 1}}},
		},
	})
}
