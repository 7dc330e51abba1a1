package kd

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// TestZombieReportFromTaskList: mex's task list is read for the zombie
// processes it counts without listing them: the warning's count, and the
// rows of !tl -z summed by image; the same table under another command,
// or rows that are not its shape, count nothing.
func TestZombieReportFromTaskList(t *testing.T) {
	const table = "Count Name             Ses Thd Obj Handles Obj Pointers\n" +
		"===== ================ === === =========== ============\n" +
		"    2 Contoso Agent.exe  1   0           1            1\n" +
		"    5 helper.exe         0   0           1            2\n" +
		"    1 Contoso Agent.exe  2   0           2            2\n" +
		"===== ================ === === =========== ============\n" +
		"Count Name             Ses Thd Obj Handles Obj Pointers\n8\n"
	type image struct {
		Name  string
		Count int64
	}
	type report struct {
		Count  int64
		Line   int64
		Images []image
	}
	tests := []struct {
		name, capture string
		want          []report
	}{
		{"the warning", "1: kd> !tl\nWarning! Zombie process(es) detected (not displayed). Count: 87 [zombie report]\n",
			[]report{{Count: 87, Line: 1}}},
		{"the warning without its command", "Warning! Zombie process(es) detected (not displayed). Count: 12\n",
			[]report{{Count: 12, Line: 1}}},
		{"the -z table", "0: kd> !mex.tl -z -r\n" + table,
			[]report{{Count: 8, Line: 1, Images: []image{{"helper.exe", 5}, {"Contoso Agent.exe", 3}}}}},
		{"the table after !tasklist", "0: kd> !mex.tasklist -z\n" + table,
			[]report{{Count: 8, Line: 1, Images: []image{{"helper.exe", 5}, {"Contoso Agent.exe", 3}}}}},
		{"the table under another command", "0: kd> !process 0 0\n" + table, nil},
		{"a warning without a count", "1: kd> !tl\nWarning! Zombie process(es) detected (not displayed).\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			var got []report
			if snap.Memory != nil {
				for _, r := range snap.Memory.ZombieReports {
					rep := report{Count: r.Count, Line: r.Source.Line}
					for _, im := range r.Images {
						rep.Images = append(rep.Images, image{im.Name, im.Count})
					}
					got = append(got, rep)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("zombie reports: diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestZombieReportBounded: counts past what a snapshot keeps add up to its
// bound, never to a sum that overflows, and the snapshot reads back.
func TestZombieReportBounded(t *testing.T) {
	capture := "0: kd> !tl -z\nCount Name Ses Thd Obj Handles Obj Pointers\n"
	for range 20 {
		capture += "999999999999999999 a.exe 1 0 1 1\n"
	}
	capture += "Warning! Zombie process(es) detected (not displayed). Count: 999999999999999999\n"
	snap := readString(t, capture)
	if snap.Memory == nil || len(snap.Memory.ZombieReports) != 1 {
		t.Fatalf("zombie reports: %+v", snap.Memory)
	}
	r := snap.Memory.ZombieReports[0]
	if r.Count != zombieCountLimit || len(r.Images) != 1 || r.Images[0].Count != zombieCountLimit {
		t.Errorf("report %+v, want counts of %d", r, int64(zombieCountLimit))
	}
	var buf bytes.Buffer
	if err := snap.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := facts.DecodeJSON(&buf); err != nil {
		t.Errorf("the snapshot does not read back: %v", err)
	}
}
