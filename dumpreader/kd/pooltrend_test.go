package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// trends are the pool trends of a snapshot's top tags, "TAG nonpaged" and
// "TAG paged", without their positions.
func trends(snap *facts.Snapshot) map[string]facts.PoolTrend {
	got := map[string]facts.PoolTrend{}
	if snap.Memory == nil || snap.Memory.Pool == nil {
		return got
	}
	u := snap.Memory.Pool
	for _, l := range [][]facts.PoolTag{u.TopNonPaged, u.TopPaged} {
		for _, t := range l {
			for pool, tr := range map[string]*facts.PoolTrend{"nonpaged": t.NonPagedTrend, "paged": t.PagedTrend} {
				if tr != nil {
					c := *tr
					c.FirstSource = facts.Position{}
					got[t.Tag+" "+pool] = c
				}
			}
		}
	}
	return got
}

// TestPoolTrends: `!poolused` run more than once in a live session keeps
// each tag's first figures beside its latest, per pool, counting the
// listings that showed it and whether it ever fell; a tag shown once has
// no trend, and a listing that leaves a tag out (filtered, or of the
// other pool only) does not count for it.
func TestPoolTrends(t *testing.T) {
	tests := []struct {
		name, capture string
		want          map[string]facts.PoolTrend
		listings      int
	}{
		{"twice, one grows, one falls, one stays", `0: kd> !poolused 2
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     12040      9633280          0            0	Fabrikam stream contexts , Binary: fabrikamflt.sys
 EtwB       128      5041136          4       163840	Etw Buffer , Binary: nt!etw
 File      8811      3524400          0            0	File objects
0: kd> g
0: kd> !poolused 2
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     25310     20248000          0            0	Fabrikam stream contexts , Binary: fabrikamflt.sys
 EtwB       128      5041136          4       163840	Etw Buffer , Binary: nt!etw
 File      8102      3240800          0            0	File objects
`, map[string]facts.PoolTrend{
			"Fbfs nonpaged": {Listings: 2, FirstAllocs: 12040, FirstBytes: 9633280, NeverFell: true},
			"EtwB nonpaged": {Listings: 2, FirstAllocs: 128, FirstBytes: 5041136, NeverFell: true},
			"EtwB paged":    {Listings: 2, FirstAllocs: 4, FirstBytes: 163840, NeverFell: true},
			"File nonpaged": {Listings: 2, FirstAllocs: 8811, FirstBytes: 3524400},
		}, 2},
		{"three, one filtered out of the second, one up then down, one new", `0: kd> !poolused 2
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     12040      9633280          0            0
 Thre      1725      4416000          0            0	Thread objects , Binary: nt!ps
0: kd> !poolused 2 Fb*
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     20000     16000000          0            0
0: kd> !poolused 2
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     18000     14400000          0            0
 Thre      1790      4582400          0            0	Thread objects , Binary: nt!ps
 Ctso       100       102400          0            0
`, map[string]facts.PoolTrend{
			"Fbfs nonpaged": {Listings: 3, FirstAllocs: 12040, FirstBytes: 9633280},
			"Thre nonpaged": {Listings: 2, FirstAllocs: 1725, FirstBytes: 4416000, NeverFell: true},
		}, 3},
		{"one pool's columns, then both", `kd> !poolused 4
   Sorting by Paged Pool Consumed
 Tag    Allocs     Used
 CM31    12004 55607296Internal Configuration manager allocations
kd> !poolused 2
   Sorting by NonPaged Pool Consumed
 Tag    Allocs     Used    Allocs     Used
 CM31       10     2560     13000 60000000Internal Configuration manager allocations
`, map[string]facts.PoolTrend{
			"CM31 paged": {Listings: 2, FirstAllocs: 12004, FirstBytes: 55607296, NeverFell: true},
		}, 2},
		{"once", `0: kd> !poolused 2
 Sorting by NonPaged Pool Consumed
 Tag     Allocs         Used     Allocs         Used
 Fbfs     12040      9633280          0            0
 EtwB       128      5041136          4       163840	Etw Buffer , Binary: nt!etw
`, map[string]facts.PoolTrend{}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if n := len(snap.Memory.Pool.Listings); n != tc.listings {
				t.Errorf("%d listings, want %d", n, tc.listings)
			}
			if diff := cmp.Diff(tc.want, trends(snap)); diff != "" {
				t.Errorf("trends: diff (-want +got):\n%s", diff)
			}
		})
	}
}
