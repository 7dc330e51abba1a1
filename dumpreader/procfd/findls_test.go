package procfd_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/procfd"
)

// TestFindLs reads `find /proc/*/fd -ls` rows: the process and the
// descriptor from the path, the escaped blank before "(deleted)", no
// count (the rows come from a search, not a listing of the directory).
func TestFindLs(t *testing.T) {
	runCases(t, []readCase{{
		name: "find -ls rows name their processes; escaped deleted suffix",
		text: "$ sudo find /proc/*/fd -ls | grep '(deleted)'\n" +
			"  4410021      0 l-wx------   1 app      app            64 Mar  3 09:12 /proc/2201/fd/5 -> /srv/app/log/out.log.1\\ (deleted)\n" +
			"  4410022      0 l-wx------   1 app      app            64 Mar  3 09:12 /proc/2201/fd/6 -> /srv/app/log/a\\\\b\\ (deleted)\n" +
			"  4410090      0 lrwx------   1 app      app            64 Mar  3 09:12 /proc/2207/fd/3 -> socket:[88123]\n",
		want: []proc{
			{PID: 2201, Count: -1, Parsed: 2, Deleted: 2, ByType: map[string]int64{"file": 2}},
			{PID: 2207, Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}},
		},
	}, {
		// A zsh prompt with a right prompt after the command: the command
		// line was unrecognized (read only when it counted, | wc -l).
		name: "the command after a zsh prompt, a right prompt after it",
		text: "ann@box ~ [ruby-3.2] % sudo find /proc/*/fd -ls | grep  '(deleted)'          ⏎ [2016-11-02 08:00:19]\n" +
			"  4410021      0 l-wx------   1 app      app            64 Mar  3 09:12 /proc/2201/fd/5 -> /srv/app/log/out.log.1\\ (deleted)\n" +
			"  4410090      0 lrwx------   1 app      app            64 Mar  3 09:12 /proc/2207/fd/3 -> socket:[88123]\n",
		want: []proc{
			{PID: 2201, Count: -1, Parsed: 1, Deleted: 1, ByType: map[string]int64{"file": 1}},
			{PID: 2207, Count: -1, Parsed: 1, ByType: map[string]int64{"socket": 1}},
		},
	}, {
		name: "an inode and block count before a mode do not make a row without a /proc path",
		text: "  4410021      0 lrwxrwxrwx   1 r r 9 Mar  3 09:12 /usr/bin/python3 -> python3.11\n",
		want: nil, unrecognized: 1,
	}})
}

// TestSniffFindLs: find -ls rows of descriptors are a listing of
// /proc/PID/fd.
func TestSniffFindLs(t *testing.T) {
	text := "  4410021      0 l-wx------   1 app app 64 Mar  3 09:12 /proc/2201/fd/5 -> /srv/a.log\\ (deleted)\n" +
		"  4410090      0 lrwx------   1 app app 64 Mar  3 09:12 /proc/2207/fd/3 -> socket:[88123]\n"
	if !procfd.Sniff([]byte(text)) {
		t.Errorf("Sniff(find -ls rows) = false, want true")
	}
}
