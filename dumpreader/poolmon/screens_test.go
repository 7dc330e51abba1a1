package poolmon_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// screen is a PoolMon display: its memory lines, header and rows.
func screen(rows ...string) string {
	return " Memory:  130480K Avail:   91856K  PageFlts:  1220   InRam Krnl: 2484K P: 7988K\n" +
		" Commit:  30104K Limit: 248432K Peak:  34028K            Pool N: 2224K P: 8004K\n" +
		" Tag  Type        Allocs           Frees           Diff  Bytes           Per Alloc\n\n" +
		strings.Join(rows, "\n") + "\n\n"
}

// poolTrends are the trends of a snapshot's top tags, "TAG nonpaged" and
// "TAG paged", with only their first line kept of their positions.
func poolTrends(t *testing.T, text string) (map[string]facts.PoolTrend, *facts.PoolUsage) {
	t.Helper()
	snap, err := dumpreader.Read(strings.NewReader(text), "t.txt", dumpreader.Options{Format: dumpreader.FormatPoolmon})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]facts.PoolTrend{}
	u := snap.Memory.Pool
	for _, l := range [][]facts.PoolTag{u.TopNonPaged, u.TopPaged} {
		for _, tg := range l {
			for pool, tr := range map[string]*facts.PoolTrend{"nonpaged": tg.NonPagedTrend, "paged": tg.PagedTrend} {
				if tr != nil {
					c := *tr
					c.FirstSource = facts.Position{Line: tr.FirstSource.Line}
					got[tg.Tag+" "+pool] = c
				}
			}
		}
	}
	return got, u
}

// TestScreens: PoolMon screens one after another are listings of their
// own, and a tag shown by two or more keeps its first figures beside its
// latest, as PoolMon's documentation says to compare them (a tag whose
// Diff and Bytes only grow is the leak). A tag that falls between two
// screens never "only grew"; a screen that leaves a tag out (a console
// window too short for it) does not count for it; a tag shown once has
// no trend.
func TestScreens(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     map[string]facts.PoolTrend
		listings []int64 // each listing's rows
		latest   map[string]int64
	}{
		{"two screens, Drsd grows", screen(
			" Drsd Paged       560 ( 177)       539 ( 171)       21   17472 (  4992)    832",
		) + screen(
			" Drsd Paged       737 (   0)       710 (   0)       27   22464 (     0)    832",
		), map[string]facts.PoolTrend{
			"Drsd paged": {Listings: 2, FirstAllocs: 21, FirstBytes: 17472, NeverFell: true, FirstSource: facts.Position{Line: 5}},
		}, []int64{1, 1}, map[string]int64{"Drsd paged": 22464}},
		{"three screens: one falls, one is left out of the second, one is new", screen(
			" Drsd Paged       560 ( 177)       539 ( 171)       21   17472 (  4992)    832",
			" Thre Nonp      91000 (   4)     88000 (   4)     3000 3840000 (     0)   1280",
			" Thre Paged       200 (   0)       180 (   0)       20    2560 (     0)    128",
		) + screen(
			" Drsd Paged       737 (   0)       710 (   0)       27   22464 (     0)    832",
			" Thre Nonp      95000 (   4)     92000 (   4)     3000 3840000 (     0)   1280",
		) + screen(
			" Drsd Paged       800 (   0)       780 (   0)       20   16640 (     0)    832",
			" Thre Nonp      99000 (   4)     95900 (   4)     3100 3968000 (     0)   1280",
			" Thre Paged       260 (   0)       230 (   0)       30    3840 (     0)    128",
			" Ctso Nonp        100 (   0)         0 (   0)      100  102400 (     0)   1024",
		), map[string]facts.PoolTrend{
			"Drsd paged":    {Listings: 3, FirstAllocs: 21, FirstBytes: 17472, FirstSource: facts.Position{Line: 5}},
			"Thre nonpaged": {Listings: 3, FirstAllocs: 3000, FirstBytes: 3840000, NeverFell: true, FirstSource: facts.Position{Line: 6}},
			"Thre paged":    {Listings: 2, FirstAllocs: 20, FirstBytes: 2560, NeverFell: true, FirstSource: facts.Position{Line: 6}},
		}, []int64{3, 2, 4}, map[string]int64{"Drsd paged": 16640, "Thre nonpaged": 3968000, "Thre paged": 3840}},
		{"a session pool screen between two of system pool", screen(
			" Drsd Paged       560 ( 177)       539 ( 171)       21   17472 (  4992)    832",
		) + strings.Replace(screen(
			" Drsd Paged         9 (   0)         8 (   0)        1     832 (     0)    832",
		), " Tag ", " All sessions pool information\n Tag ", 1) + screen(
			" Drsd Paged       737 (   0)       710 (   0)       27   22464 (     0)    832",
		), map[string]facts.PoolTrend{
			"Drsd paged": {Listings: 2, FirstAllocs: 21, FirstBytes: 17472, NeverFell: true, FirstSource: facts.Position{Line: 5}},
		}, []int64{1, 1, 1}, map[string]int64{"Drsd paged": 22464}},
		{"one screen", screen(
			" Drsd Paged       560 ( 177)       539 ( 171)       21   17472 (  4992)    832",
			" Thre Nonp      91000 (   4)     88000 (   4)     3000 3840000 (     0)   1280",
		), map[string]facts.PoolTrend{}, []int64{2}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, u := poolTrends(t, tc.text)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("trends: diff (-want +got):\n%s", diff)
			}
			var rows []int64
			for _, l := range u.Listings {
				rows = append(rows, l.Rows)
			}
			if diff := cmp.Diff(tc.listings, rows); diff != "" {
				t.Errorf("listings' rows: diff (-want +got):\n%s", diff)
			}
			for _, tg := range u.TopNonPaged {
				if want, ok := tc.latest[tg.Tag+" nonpaged"]; ok && tg.NonPagedBytes != want {
					t.Errorf("%s nonpaged bytes %d, want the latest %d", tg.Tag, tg.NonPagedBytes, want)
				}
			}
			for _, tg := range u.TopPaged {
				if want, ok := tc.latest[tg.Tag+" paged"]; ok && tg.PagedBytes != want {
					t.Errorf("%s paged bytes %d, want the latest %d", tg.Tag, tg.PagedBytes, want)
				}
			}
		})
	}
}
