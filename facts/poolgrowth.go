package facts

// A capture may list pool tags more than once: PoolMon's screens one
// after another, `!poolused` run twice in a live kernel debugging session.
// PoolMon's documentation tells how to find a leak from them: a tag whose
// outstanding allocations and bytes only grow from one listing to the next.
// PoolTag keeps each tag's latest figures; a PoolTrend beside them keeps,
// per pool, its figures at the first listing that showed it, how many
// listings showed it and whether it ever fell.

// poolTrendLimit bounds the tags whose trend a capture keeps: hostile
// text could list millions of tags, and each one's first figures are kept
// until the end (the top lists drop a tag that ranks low for a while).
const poolTrendLimit = 1 << 16

// PoolTrend is how a tag's use of one pool moved across the listings of
// a capture that showed it. Its latest figures are the PoolTag's own.
type PoolTrend struct {
	// Listings is how many listings showed the tag in this pool (two or
	// more: a tag shown once has no trend).
	Listings int64 `json:"listings"`
	// FirstAllocs and FirstBytes are its outstanding allocations and
	// bytes at the first of them.
	FirstAllocs int64 `json:"first_allocs"`
	FirstBytes  int64 `json:"first_bytes"`
	// NeverFell says neither figure was ever lower than at the listing
	// before (of those that showed it).
	NeverFell bool `json:"never_fell"`
	// FirstSource is where the first of them showed the tag (its first
	// row there, of either pool).
	FirstSource Position `json:"first_source"`
}

// PoolsShown says which pools' figures a listing's row of a tag shows:
// PoolMon prints a row per pool, `!poolused 3` of older debuggers one
// pool's columns.
type PoolsShown uint8

// The pools a row shows.
const (
	ShowsNonPaged PoolsShown = 1 << iota
	ShowsPaged
	ShowsBoth = ShowsNonPaged | ShowsPaged
)

// trendKey is a tag in one pool.
type trendKey struct {
	tag   string
	paged bool
}

// trendState is a tag's trend in one pool while listings are read.
type trendState struct {
	PoolTrend
	listing       int64 // the latest listing that showed it
	allocs, bytes int64 // its figures there
}

// AddPoolTag records a pool tag's usage as listing n of the capture shows
// it (listings numbered from 0 in capture order, as the reader counts
// them), with shown the pools whose figures the row gives. As with
// PoolUsage.AddTag the tag takes its latest figures; a pool shown by two
// listings or more also gets its PoolTrend. A tag shown twice by one
// listing counts once, with the later figures.
func (b *Builder) AddPoolTag(t PoolTag, n int64, shown PoolsShown) {
	t.Tag = clip(t.Tag)
	if shown&ShowsNonPaged != 0 {
		b.track(trendKey{t.Tag, false}, n, t.NonPagedAllocs, t.NonPagedBytes, t.Source)
	}
	if shown&ShowsPaged != 0 {
		b.track(trendKey{t.Tag, true}, n, t.PagedAllocs, t.PagedBytes, t.Source)
	}
	t.NonPagedTrend, t.PagedTrend = nil, nil
	// A pool the tag holds nothing of has no trend to show: `!poolused`
	// prints 0 for it in every listing.
	if t.NonPagedBytes > 0 {
		t.NonPagedTrend = b.trend(trendKey{t.Tag, false})
	}
	if t.PagedBytes > 0 {
		t.PagedTrend = b.trend(trendKey{t.Tag, true})
	}
	b.PoolUsage().AddTag(t)
}

// track updates a tag's trend in one pool with listing n's figures.
func (b *Builder) track(k trendKey, n, allocs, bytes int64, pos Position) {
	s := b.poolTrends[k]
	switch {
	case s == nil:
		if len(b.poolTrends) >= poolTrendLimit {
			return
		}
		if b.poolTrends == nil {
			b.poolTrends = map[trendKey]*trendState{}
		}
		b.poolTrends[k] = &trendState{PoolTrend: PoolTrend{Listings: 1, NeverFell: true}, listing: n}
		s = b.poolTrends[k]
	case n <= s.listing:
		// The same listing again: its later row stands.
	default:
		s.Listings++
		s.listing = n
		if allocs < s.allocs || bytes < s.bytes {
			s.NeverFell = false
		}
	}
	s.allocs, s.bytes = allocs, bytes
	if s.Listings == 1 {
		s.FirstAllocs, s.FirstBytes, s.FirstSource = allocs, bytes, pos
	}
}

// trend is a copy of a tag's trend in one pool, nil when fewer than two
// listings showed it there.
func (b *Builder) trend(k trendKey) *PoolTrend {
	s := b.poolTrends[k]
	if s == nil || s.Listings < 2 {
		return nil
	}
	t := s.PoolTrend
	return &t
}

// Which pool grew (SnapshotFacts.PoolGrowthPool).
const (
	PoolNonPaged = "nonpaged"
	PoolPaged    = "paged"
)

// poolGrowthFacts fills in the snapshot's facts of the tag that grew most
// across listings: of the tags each pool's top list holds with a trend,
// the one whose bytes grew most among those that never fell, else among
// all (ties by tag, nonpaged first). None when no tag's bytes grew.
func poolGrowthFacts(f *SnapshotFacts, u *PoolUsage) {
	type cand struct {
		t         PoolTag
		tr        *PoolTrend
		pool      string
		allocs    int64
		bytes     int64
		grewBytes int64
	}
	var best *cand
	better := func(c, b *cand) bool {
		switch {
		case b == nil:
			return true
		case c.tr.NeverFell != b.tr.NeverFell:
			return c.tr.NeverFell
		case c.grewBytes != b.grewBytes:
			return c.grewBytes > b.grewBytes
		}
		return c.t.Tag < b.t.Tag
	}
	for _, t := range u.TopNonPaged {
		if tr := t.NonPagedTrend; tr != nil && t.NonPagedBytes > tr.FirstBytes {
			c := &cand{t, tr, PoolNonPaged, t.NonPagedAllocs, t.NonPagedBytes, t.NonPagedBytes - tr.FirstBytes}
			if better(c, best) {
				best = c
			}
		}
	}
	for _, t := range u.TopPaged {
		if tr := t.PagedTrend; tr != nil && t.PagedBytes > tr.FirstBytes {
			c := &cand{t, tr, PoolPaged, t.PagedAllocs, t.PagedBytes, t.PagedBytes - tr.FirstBytes}
			if better(c, best) {
				best = c
			}
		}
	}
	if best == nil {
		return
	}
	f.PoolGrowthTag, f.PoolGrowthPool = best.t.Tag, best.pool
	f.PoolGrowthDesc, f.PoolGrowthDriver = tagText(best.t), tagDriver(best.t.Binary)
	f.PoolGrowthFromBytes, f.PoolGrowthToBytes, f.PoolGrowthBytes = best.tr.FirstBytes, best.bytes, best.grewBytes
	f.PoolGrowthFromAllocs, f.PoolGrowthToAllocs = best.tr.FirstAllocs, best.allocs
	f.PoolGrowthAllocs = best.allocs - best.tr.FirstAllocs
	f.PoolGrowthListings, f.PoolGrowthNeverFell = best.tr.Listings, best.tr.NeverFell
}
