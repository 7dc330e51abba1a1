package facts

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// topTag finds tag in l.
func topTag(t *testing.T, l []PoolTag, tag string) PoolTag {
	t.Helper()
	for _, tg := range l {
		if tg.Tag == tag {
			return tg
		}
	}
	t.Fatalf("tag %s not listed in %+v", tag, l)
	return PoolTag{}
}

func TestAddPoolTagKeepsTrends(t *testing.T) {
	b := NewBuilder()
	at := func(line int64) Position { return Position{Path: "t.txt", Line: line} }
	// Listing 0 shows Ctso twice: the later row stands.
	b.AddPoolTag(PoolTag{Tag: "Ctso", NonPagedAllocs: 90, NonPagedBytes: 900, Source: at(0)}, 0, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "Ctso", NonPagedAllocs: 100, NonPagedBytes: 1000, Source: at(1)}, 0, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "Thre", NonPagedAllocs: 50, NonPagedBytes: 500, PagedAllocs: 5, PagedBytes: 50, Source: at(2)}, 0, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "CM31", PagedAllocs: 7, PagedBytes: 700, Source: at(3)}, 0, ShowsPaged)
	// Listing 1: Thre's nonpaged figures fall, its paged ones grow.
	b.AddPoolTag(PoolTag{Tag: "Ctso", NonPagedAllocs: 120, NonPagedBytes: 1200, Source: at(11)}, 1, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "Thre", NonPagedAllocs: 40, NonPagedBytes: 400, PagedAllocs: 6, PagedBytes: 60, Source: at(12)}, 1, ShowsBoth)
	// Listing 2 leaves Thre out and shows Ctso twice (the later row
	// stands, counted once); CM31 is shown by a listing of nonpaged pool
	// only, which does not count for its paged pool.
	b.AddPoolTag(PoolTag{Tag: "Ctso", NonPagedAllocs: 130, NonPagedBytes: 1300, Source: at(21)}, 2, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "Ctso", NonPagedAllocs: 125, NonPagedBytes: 1250, Source: at(22)}, 2, ShowsBoth)
	b.AddPoolTag(PoolTag{Tag: "CM31", NonPagedAllocs: 1, NonPagedBytes: 16, PagedAllocs: 7, PagedBytes: 700, Source: at(23)}, 2, ShowsNonPaged)
	u := b.PoolUsage()

	ctso := topTag(t, u.TopNonPaged, "Ctso")
	if diff := cmp.Diff(&PoolTrend{Listings: 3, FirstAllocs: 100, FirstBytes: 1000, NeverFell: true, FirstSource: at(1)}, ctso.NonPagedTrend); diff != "" {
		t.Errorf("Ctso nonpaged trend: diff (-want +got):\n%s", diff)
	}
	if ctso.NonPagedBytes != 1250 || ctso.PagedTrend != nil {
		t.Errorf("Ctso = %+v, want its latest row (1,250 bytes) and no paged trend", ctso)
	}
	thre := topTag(t, u.TopPaged, "Thre")
	if diff := cmp.Diff(&PoolTrend{Listings: 2, FirstAllocs: 50, FirstBytes: 500, FirstSource: at(2)}, thre.NonPagedTrend); diff != "" {
		t.Errorf("Thre nonpaged trend: diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&PoolTrend{Listings: 2, FirstAllocs: 5, FirstBytes: 50, NeverFell: true, FirstSource: at(2)}, thre.PagedTrend); diff != "" {
		t.Errorf("Thre paged trend: diff (-want +got):\n%s", diff)
	}
	if cm := topTag(t, u.TopPaged, "CM31"); cm.PagedTrend != nil || cm.NonPagedTrend != nil {
		t.Errorf("CM31 = %+v, want no trend: one listing showed each of its pools", cm)
	}
}

// TestAddPoolTagBoundsTrends: past poolTrendLimit tags, new tags have no
// trend, and the tags already followed keep theirs.
func TestAddPoolTagBoundsTrends(t *testing.T) {
	b := NewBuilder()
	for listing := int64(0); listing < 2; listing++ {
		for i := range poolTrendLimit + 10 {
			b.AddPoolTag(PoolTag{Tag: fmt.Sprintf("%05x", i), NonPagedAllocs: 1, NonPagedBytes: int64(i + 1)}, listing, ShowsNonPaged)
		}
	}
	if n := len(b.poolTrends); n != poolTrendLimit {
		t.Errorf("%d trends kept, want %d", n, poolTrendLimit)
	}
	u := b.PoolUsage()
	for _, tg := range u.TopNonPaged {
		switch followed := tg.NonPagedBytes <= poolTrendLimit; {
		case followed && tg.NonPagedTrend == nil:
			t.Errorf("%s has no trend", tg.Tag)
		case !followed && tg.NonPagedTrend != nil:
			t.Errorf("%s past the limit has a trend %+v", tg.Tag, tg.NonPagedTrend)
		}
	}
}

func TestPoolGrowthFacts(t *testing.T) {
	trend := func(n, allocs, bytes int64, never bool) *PoolTrend {
		return &PoolTrend{Listings: n, FirstAllocs: allocs, FirstBytes: bytes, NeverFell: never}
	}
	for _, tc := range []struct {
		name string
		pool *PoolUsage
		want SnapshotFacts
	}{{
		name: "one listing: no trend, no growth",
		pool: &PoolUsage{TopNonPaged: []PoolTag{{Tag: "Ctso", NonPagedAllocs: 9, NonPagedBytes: 9000}}},
	}, {
		name: "the tag that grew most of those that never fell, in either pool",
		pool: &PoolUsage{
			TopNonPaged: []PoolTag{
				{Tag: "Fbfs", NonPagedAllocs: 30, NonPagedBytes: 9000, NonPagedTrend: trend(2, 10, 1000, false)},
				{Tag: "Ctso", NonPagedAllocs: 20, NonPagedBytes: 3000, NonPagedTrend: trend(3, 10, 1000, true)},
			},
			TopPaged: []PoolTag{
				{Tag: "Drsd", PagedAllocs: 27, PagedBytes: 22464, PagedTrend: trend(2, 21, 17472, true), Binary: "rasdd.dll", Description: "printer driver"},
				{Tag: "MmSt", PagedAllocs: 8, PagedBytes: 800, PagedTrend: trend(2, 8, 800, true)},
			},
		},
		want: SnapshotFacts{PoolGrowthTag: "Drsd", PoolGrowthPool: PoolPaged, PoolGrowthDesc: "printer driver, rasdd.dll",
			PoolGrowthDriver: "rasdd.dll", PoolGrowthBytes: 4992, PoolGrowthAllocs: 6, PoolGrowthFromBytes: 17472,
			PoolGrowthToBytes: 22464, PoolGrowthFromAllocs: 21, PoolGrowthToAllocs: 27, PoolGrowthListings: 2, PoolGrowthNeverFell: true},
	}, {
		name: "every tag that grew also fell: the one that grew most",
		pool: &PoolUsage{TopNonPaged: []PoolTag{
			{Tag: "Fbfs", NonPagedAllocs: 30, NonPagedBytes: 9000, NonPagedTrend: trend(3, 10, 1000, false), Binary: "nt!ps"},
			{Tag: "Ctso", NonPagedAllocs: 20, NonPagedBytes: 3000, NonPagedTrend: trend(3, 10, 1000, false)},
		}},
		want: SnapshotFacts{PoolGrowthTag: "Fbfs", PoolGrowthPool: PoolNonPaged, PoolGrowthDesc: "nt!ps",
			PoolGrowthBytes: 8000, PoolGrowthAllocs: 20, PoolGrowthFromBytes: 1000, PoolGrowthToBytes: 9000,
			PoolGrowthFromAllocs: 10, PoolGrowthToAllocs: 30, PoolGrowthListings: 3},
	}, {
		name: "listed twice, nothing grew",
		pool: &PoolUsage{TopNonPaged: []PoolTag{{Tag: "EtwB", NonPagedAllocs: 128, NonPagedBytes: 5041136, NonPagedTrend: trend(2, 128, 5041136, true)}}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			var got SnapshotFacts
			poolGrowthFacts(&got, tc.pool)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(SnapshotFacts{})); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrendText(t *testing.T) {
	for _, tc := range []struct {
		tr   *PoolTrend
		want string
	}{
		{nil, ""},
		{&PoolTrend{Listings: 2, FirstAllocs: 21, FirstBytes: 17472, NeverFell: true}, " (from 17,472 bytes, 21 allocs over 2 listings, never fell)"},
		{&PoolTrend{Listings: 3, FirstAllocs: 8000, FirstBytes: 40960000}, " (from 40,960,000 bytes, 8,000 allocs over 3 listings, fell between them)"},
	} {
		if got := trendText(tc.tr); got != tc.want {
			t.Errorf("trendText(%+v) = %q, want %q", tc.tr, got, tc.want)
		}
	}
}
