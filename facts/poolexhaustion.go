package facts

import "time"

// PoolExhaustion is what the System event log says of kernel pool
// running out: the server service (source Srv) logs event 2019 when it
// cannot allocate from nonpaged pool because the pool is empty, 2020 for
// paged pool. Every handle keeps its object in pool, so these events are
// how a long handle leak shows in the log before anyone runs a debugger.
type PoolExhaustion struct {
	// NonPaged and Paged count the events 2019 and 2020 read.
	NonPaged int64 `json:"nonpaged"`
	Paged    int64 `json:"paged"`
	// First and Last are the times of the earliest and the latest event
	// as the capture prints them, of the events whose time was read;
	// empty when none was.
	First string `json:"first,omitempty"`
	Last  string `json:"last,omitempty"`
	// FirstAt and LastAt are the same times read, as 2006-01-02T15:04:05
	// (a time without a year, Get-EventLog's "Dec 07 14:13", in year 0):
	// what the times are compared by.
	FirstAt string `json:"first_at,omitempty"`
	LastAt  string `json:"last_at,omitempty"`
	// Source is the first event read.
	Source Position `json:"source"`
}

// stampLayout is the form of FirstAt and LastAt, which sorts as the
// times do.
const stampLayout = "2006-01-02T15:04:05"

// AddPoolExhaustionEvent records one event 2019 (paged false) or 2020
// (paged true) at pos; when, as printed, and at, its time read (zero
// when it was not), give the first and last times.
func (b *Builder) AddPoolExhaustionEvent(paged bool, when string, at time.Time, pos Position) {
	m := b.memory()
	e := m.PoolExhaustion
	if e == nil {
		e = &PoolExhaustion{Source: pos}
		m.PoolExhaustion = e
	}
	if paged {
		e.Paged++
	} else {
		e.NonPaged++
	}
	if at.IsZero() {
		return
	}
	when = clip(when)
	stamp := at.Format(stampLayout)
	if at.Year() < 0 || at.Year() > 9999 {
		return
	}
	if e.FirstAt == "" || stamp < e.FirstAt {
		e.First, e.FirstAt = when, stamp
	}
	if e.LastAt == "" || stamp > e.LastAt {
		e.Last, e.LastAt = when, stamp
	}
}

// poolExhaustionFacts fills in the snapshot facts of the pool-exhaustion
// events.
func poolExhaustionFacts(f *SnapshotFacts, m *Memory) {
	e := m.PoolExhaustion
	if e == nil {
		return
	}
	f.PoolExhaustedNonPagedEvents = e.NonPaged
	f.PoolExhaustedPagedEvents = e.Paged
	f.PoolExhaustedFirst = e.First
	f.PoolExhaustedLast = e.Last
}
