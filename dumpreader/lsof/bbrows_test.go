package lsof

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBusyboxRowsBesideLsof checks the rows of busybox's lsof, run in a
// container, pasted with lsof's own listing from the host: under an lsof
// command they are descriptors of the processes they name, whose counts
// they give unless a filter cut them; after lsof's own rows, or with
// their tabs turned into spaces where pgrep's lines have their shape,
// they are not read.
func TestBusyboxRowsBesideLsof(t *testing.T) {
	const host = "$ sudo lsof -p 4242\n" +
		"COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n" +
		"contoso 4242 app  cwd    DIR  259,5     4096    2 /\n" +
		"contoso 4242 app    0u   CHR  136,0      0t0    3 /dev/pts/0\n"
	const numbered = "1\t/sbin/tini\t0\t/dev/null\n" +
		"42\t/usr/bin/fabrikam\t0\t/dev/null\n" +
		"42\t/usr/bin/fabrikam\t5\tanon_inode:[eventfd]\n" +
		"42\t/usr/bin/fabrikam\t12000\t/srv/app/cache.db (deleted)\n"
	const plain = "42\t/usr/bin/fabrikam\t/dev/null\n" +
		"42\t/usr/bin/fabrikam\tsocket:[9001]\n"
	type want struct {
		Image           string
		Count           *int64
		Parsed, Deleted int64
		Peak            *int64
		ByType          map[string]int64
		Unrecognized    int64
	}
	tests := []struct {
		name, text string
		want       want
	}{
		{"busybox's prompt and numbered rows, then the host's lsof", "/ # lsof -p 42\n" + numbered + host,
			want{Image: "fabrikam", Count: lsofCount(3), Parsed: 3, Deleted: 1, Peak: lsofCount(12001),
				ByType: map[string]int64{"device": 1, "eventfd": 1, "file": 1}}},
		{"rows without numbers, after the host's lsof", host + "bash-5.1# lsof\n" + plain,
			want{Image: "fabrikam", Count: lsofCount(2), Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		{"a grep keeps some: no count", "/ # lsof | grep fabrikam\n" + plain + host,
			want{Image: "fabrikam", Parsed: 2, ByType: map[string]int64{"device": 1, "socket": 1}}},
		{"under lsof's own header and rows they are not read", host + numbered,
			want{Unrecognized: 4}},
		{"spaced rows without numbers are not read", host + "/ # lsof\n42      /usr/bin/fabrikam   /dev/null\n",
			want{Unrecognized: 1}},
		{"spaced rows with numbers and a kind's link are", host + "/ # lsof\n42      /usr/bin/fabrikam   5      anon_inode:[pidfd]\n",
			want{Image: "fabrikam", Count: lsofCount(1), Parsed: 1, ByType: map[string]int64{"anon_inode": 1}}},
	}
	// Busybox's rows are no evidence of lsof's output: under a stray
	// header they are still package procfd's to read.
	if Sniff([]byte("COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n/ # lsof\n" + numbered)) {
		t.Errorf("Sniff took busybox's rows under a header alone for lsof's output")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkParallel(t, tc.name, tc.text)
			snap := readLsofBytes(t, []byte(tc.text), "bb.txt")
			got := want{Unrecognized: snap.Sources[0].Lines.Unrecognized}
			for _, p := range snap.Processes {
				if p.PID == 42 {
					got.Image, got.Count, got.Parsed, got.Deleted, got.Peak = p.Image, p.HandleCount, p.HandlesParsed, p.DeletedFDs, p.PeakHandles
					got.ByType = map[string]int64{}
					for typ, n := range p.ByType {
						got.ByType[typ] = n
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}
