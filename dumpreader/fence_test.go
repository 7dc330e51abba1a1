package dumpreader_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// TestFenceBetweenCommandAndOutput: a markdown fence between a command
// and its output ("Output of `lsof -p 67`:", then the fenced rows; "$ cat
// /proc/sys/fs/file-nr" above a fenced block) changes nothing of what is
// read. Before, the fence ended what the command awaited: busybox lsof's
// first row was unrecognized (and a capture of two such rows was
// refused), a count or a listing of numbers was refused, and file-nr's
// figures were passed over beside an lsof listing or refused alone.
func TestFenceBetweenCommandAndOutput(t *testing.T) {
	const lsofRow = "contoso   4242 root    3u  IPv4  90001      0t0  TCP *:8080 (LISTEN)\n"
	type want struct {
		Format            string
		PIDs              []uint64
		Parsed, Count     []int64 // per process; count -1: not set
		Unrecognized      int64
		Allocated, MaxTab int64 // the file table's, 0: none read
	}
	for _, tc := range []struct {
		name, text string
		want       want
	}{
		{"busybox lsof rows under a prose line naming the command",
			"**Output of `lsof -p 67 | grep contoso`:**\n```\n" +
				"67      /usr/local/bin/python3.12       23      /srv/contoso/a.db\n" +
				"67      /usr/local/bin/python3.12       25      /srv/contoso/a.db\n```\n",
			want{Format: "procfd", PIDs: []uint64{67}, Parsed: []int64{2}, Count: []int64{-1}}},
		{"ls's numbers",
			"$ ls /proc/4242/fd\n```\n0  1  2  3  4\n```\n",
			want{Format: "procfd", PIDs: []uint64{4242}, Parsed: []int64{0}, Count: []int64{5}}},
		{"ls's count",
			"$ ls /proc/4242/fd | wc -l\n```\n517\n```\n",
			want{Format: "procfd", PIDs: []uint64{4242}, Parsed: []int64{0}, Count: []int64{517}}},
		{"file-nr alone",
			"$ cat /proc/sys/fs/file-nr\n```\n9001\t0\t9100\n```\n",
			want{Format: "procfd", Allocated: 9001, MaxTab: 9100}},
		{"file-nr after an lsof listing",
			"COMMAND    PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n" + lsofRow +
				"$ cat /proc/sys/fs/file-nr\n```\n9001\t0\t9100\n```\n",
			want{Format: "lsof", PIDs: []uint64{4242}, Parsed: []int64{1}, Count: []int64{-1}, Allocated: 9001, MaxTab: 9100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := func(text string) want {
				path := filepath.Join(t.TempDir(), "capture.txt")
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
				if err != nil {
					t.Fatalf("%q: %v", text, err)
				}
				var got want
				for _, s := range snap.Sources {
					got.Format = s.Format
					got.Unrecognized += s.Lines.Unrecognized
				}
				for _, p := range snap.Processes {
					c := int64(-1)
					if p.HandleCount != nil {
						c = *p.HandleCount
					}
					got.PIDs, got.Parsed, got.Count = append(got.PIDs, p.PID), append(got.Parsed, p.HandlesParsed), append(got.Count, c)
				}
				var ft *facts.FileTable
				if snap.Memory != nil {
					ft = snap.Memory.FileTable
				}
				if ft != nil {
					got.Allocated, got.MaxTab = ft.Allocated, ft.Max
				}
				return got
			}
			if diff := cmp.Diff(tc.want, read(tc.text)); diff != "" {
				t.Errorf("fenced: diff (-want +got):\n%s", diff)
			}
			// The same without the fences reads the same.
			var bare []string
			for _, l := range strings.SplitAfter(tc.text, "\n") {
				if !strings.HasPrefix(l, "```") {
					bare = append(bare, l)
				}
			}
			if diff := cmp.Diff(tc.want, read(strings.Join(bare, ""))); diff != "" {
				t.Errorf("without fences: diff (-want +got):\n%s", diff)
			}
		})
	}
}
