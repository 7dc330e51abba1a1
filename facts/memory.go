package facts

import (
	"sort"
	"strings"
)

// MemoryLimit bounds each list Memory keeps (the processes with most
// commit, the pool tags with most bytes of each pool), so a capture of any
// size yields a snapshot of bounded size.
const MemoryLimit = 50

// Limits on the rest of Memory: the listings and warnings it names, and
// the length of a pool tag's description or a process's image name.
const (
	poolListingLimit = 20
	vmWarningLimit   = 20
	memoryTextLimit  = 256
)

// Memory is what a capture says about the machine's memory, besides its
// processes' handles: the system-wide summary `!vm` prints and the pool
// usage by tag of `!poolused`. Either part is nil when the capture does not
// have that command's output. Handles are objects, and objects live in
// pool: a handle leak ends as pool exhaustion, which these figures show.
type Memory struct {
	VM   *VM        `json:"vm,omitempty"`
	Pool *PoolUsage `json:"pool,omitempty"`
	// DriverPoolLeaks are the drivers Driver Verifier caught unloading
	// with pool allocations not freed (driverleak.go).
	DriverPoolLeaks []DriverPoolLeak `json:"driver_pool_leaks,omitempty"`
	// ZombieReports are debugger extensions' counts of zombie processes
	// they do not list (mex's !tl, !tl -z), at most MemoryLimit.
	ZombieReports []ZombieReport `json:"zombie_reports,omitempty"`
	// PoolExhaustion is what the System event log says of pool running
	// out (events 2019 and 2020), or nil.
	PoolExhaustion *PoolExhaustion `json:"pool_exhaustion,omitempty"`
	// FileTable is what a Linux capture says of the kernel's table of
	// open files (filetable.go), or nil.
	FileTable *FileTable `json:"file_table,omitempty"`
}

// VM is the summary `!vm` prints, or the same figures of a performance
// counter log's Memory counters (Pool Nonpaged Bytes...). Sizes are in KB, the "( 123456 Kb)"
// figure the debugger derives from its page counts; a nil size was not
// printed (a capture cut short, a debugger version without that row).
// When a capture holds several `!vm`, the latest figure printed wins.
type VM struct {
	PhysicalKB    *int64 `json:"physical_kb"`
	AvailableKB   *int64 `json:"available_kb"`
	CommitKB      *int64 `json:"commit_kb"`
	CommitLimitKB *int64 `json:"commit_limit_kb"`
	// NonPagedPoolKB is "NonPagedPool Usage", plus "NonPagedPoolNx Usage"
	// where Windows 8 and later print the no-execute pool apart.
	NonPagedPoolKB    *int64 `json:"nonpaged_pool_kb"`
	NonPagedPoolMaxKB *int64 `json:"nonpaged_pool_max_kb"`
	PagedPoolKB       *int64 `json:"paged_pool_kb"`
	PagedPoolMaxKB    *int64 `json:"paged_pool_max_kb"`
	// FreeSystemPTEs is the number of free system page table entries
	// ("Free System PTEs"; each maps a page of kernel address space).
	FreeSystemPTEs *int64 `json:"free_system_ptes"`
	// PoolFailures, PTEFailures and CommitFailures are the failed pool
	// allocations, system PTE allocations and commit requests the debugger
	// reports in its starred warnings; it prints none when there were none.
	PoolFailures   int64 `json:"pool_failures"`
	PTEFailures    int64 `json:"pte_failures"`
	CommitFailures int64 `json:"commit_failures"`
	// Warnings are the debugger's other starred warnings ("Excessive
	// NonPaged Pool Usage", "Running out of system PTEs"), each once, in
	// the order printed.
	Warnings []string `json:"warnings"`
	// TopCommit lists the processes with most commit charge in the
	// per-process table (flags without bit 0), most first, at most
	// MemoryLimit; ProcessesListed counts the table's rows.
	TopCommit       []ProcessCommit `json:"top_commit"`
	ProcessesListed int64           `json:"processes_listed"`
	// Source is where the first `!vm` output starts (the sample's row, for
	// a counter log's).
	Source Position `json:"source"`
	// Counters: the figures are a counter log's Memory counters, not
	// !vm's.
	Counters bool `json:"counters,omitempty"`
}

// ProcessCommit is one row of `!vm`'s per-process commit table.
type ProcessCommit struct {
	PID      uint64   `json:"pid"`
	Image    string   `json:"image"`
	CommitKB int64    `json:"commit_kb"`
	Source   Position `json:"source"`
}

// PoolUsage is what `!poolused` says: pool bytes and outstanding
// allocations by pool tag. Tags are merged across the capture's listings
// (a `!poolused 2` and a `!poolused 4` of one dump show the same tags in
// two orders). Session pool listings (flag 8) are named in Listings but
// their rows are not counted here: session pool is not the system pool.
type PoolUsage struct {
	// Listings are the `!poolused` outputs read, in capture order (at
	// most 20 are named).
	Listings []PoolListing `json:"listings"`
	// The totals over all tags: a TOTAL row of a listing that did not
	// filter tags when there is one (TotalsFrom "total-row"); else, per
	// column, the largest sum of one listing's rows, a lower bound when a
	// listing is partial (TotalsFrom "rows").
	NonPagedAllocs int64  `json:"nonpaged_allocs"`
	NonPagedBytes  int64  `json:"nonpaged_bytes"`
	PagedAllocs    int64  `json:"paged_allocs"`
	PagedBytes     int64  `json:"paged_bytes"`
	TotalsFrom     string `json:"totals_from"`
	// TopNonPaged and TopPaged are the tags with most bytes of each pool,
	// most first (ties by tag), at most MemoryLimit each; a tag with no
	// bytes in a pool is not listed for it.
	TopNonPaged []PoolTag `json:"top_nonpaged"`
	TopPaged    []PoolTag `json:"top_paged"`
}

// Where pool totals come from (PoolUsage.TotalsFrom).
const (
	TotalsFromTotalRow = "total-row"
	TotalsFromRows     = "rows"
)

// PoolListing is one `!poolused` output.
type PoolListing struct {
	// Command is the command as typed, "" when the capture shows its
	// output without it.
	Command string `json:"command"`
	// Sort is "tag", "nonpaged", "paged" or "bytes": the order the output says it
	// is in ("Sorting by NonPaged Pool Consumed"), else the one its flags
	// ask for.
	Sort string `json:"sort"`
	// Flags are the command's flags (0 when not shown): 1 verbose, 2 and
	// 4 the sort, 8 session pool.
	Flags     int64  `json:"flags"`
	Verbose   bool   `json:"verbose"`
	Session   bool   `json:"session"`
	TagFilter string `json:"tag_filter"`
	Rows      int64  `json:"rows"`
	// TotalRow says the listing ends with the debugger's TOTAL row.
	TotalRow bool     `json:"total_row"`
	Source   Position `json:"source"`
}

// Pool listing sort orders (PoolListing.Sort).
const (
	PoolSortTag      = "tag"
	PoolSortNonPaged = "nonpaged"
	// PoolSortBytes is the order of poolmon /b: by bytes, both pools
	// together.
	PoolSortBytes = "bytes"
	PoolSortPaged = "paged"
)

// PoolTag is one pool tag's usage: outstanding allocations and bytes in
// each pool, and what the debugger's pooltag.txt says the tag is (empty
// for a tag it does not know).
type PoolTag struct {
	Tag            string `json:"tag"`
	NonPagedAllocs int64  `json:"nonpaged_allocs"`
	NonPagedBytes  int64  `json:"nonpaged_bytes"`
	PagedAllocs    int64  `json:"paged_allocs"`
	PagedBytes     int64  `json:"paged_bytes"`
	// Description is the tag's description ("Thread objects"), Binary the
	// module pooltag.txt names ("nt!ps"), either possibly empty.
	Description string   `json:"description"`
	Binary      string   `json:"binary"`
	Source      Position `json:"source"`
	// NonPagedTrend and PagedTrend are how the tag's use of each pool
	// moved across the capture's listings (poolgrowth.go), nil unless two
	// listings or more showed it there.
	NonPagedTrend *PoolTrend `json:"nonpaged_trend,omitempty"`
	PagedTrend    *PoolTrend `json:"paged_trend,omitempty"`
}

// PoolTotals are the allocations and bytes of both pools, summed over the
// rows of a listing or printed in its TOTAL row.
type PoolTotals struct {
	NonPagedAllocs, NonPagedBytes, PagedAllocs, PagedBytes int64
}

func (b *Builder) memory() *Memory {
	if b.snap.Memory == nil {
		b.snap.Memory = &Memory{}
	}
	return b.snap.Memory
}

// VM returns the snapshot's `!vm` summary, creating it on first use at pos.
func (b *Builder) VM(pos Position) *VM {
	m := b.memory()
	if m.VM == nil {
		m.VM = &VM{Warnings: []string{}, TopCommit: []ProcessCommit{}, Source: pos}
	}
	return m.VM
}

// PoolUsage returns the snapshot's pool usage by tag, creating it on
// first use.
func (b *Builder) PoolUsage() *PoolUsage {
	m := b.memory()
	if m.Pool == nil {
		m.Pool = &PoolUsage{Listings: []PoolListing{}, TopNonPaged: []PoolTag{}, TopPaged: []PoolTag{}}
	}
	return m.Pool
}

// AddWarning records one of the debugger's starred warnings, once.
func (v *VM) AddWarning(msg string) {
	msg = clip(msg)
	for _, w := range v.Warnings {
		if w == msg {
			return
		}
	}
	if len(v.Warnings) < vmWarningLimit {
		v.Warnings = append(v.Warnings, msg)
	}
}

// AddProcessCommit records one row of the per-process commit table. A
// process listed again (a second `!vm`) takes its latest commit.
func (v *VM) AddProcessCommit(c ProcessCommit) {
	v.ProcessesListed++
	c.Image = clip(c.Image)
	for i, e := range v.TopCommit {
		if e.PID == c.PID && strings.EqualFold(e.Image, c.Image) {
			v.TopCommit = append(v.TopCommit[:i], v.TopCommit[i+1:]...)
			break
		}
	}
	v.TopCommit = insertTop(v.TopCommit, c, func(a, b ProcessCommit) bool {
		if a.CommitKB != b.CommitKB {
			return a.CommitKB > b.CommitKB
		}
		return a.PID < b.PID
	})
}

// AddListing names a `!poolused` output, up to a fixed number of them.
func (u *PoolUsage) AddListing(l PoolListing) {
	if len(u.Listings) < poolListingLimit {
		l.Command = clip(l.Command)
		l.TagFilter = clip(l.TagFilter)
		u.Listings = append(u.Listings, l)
	}
}

// AddTag records a tag's usage. A tag shown again (by a second listing)
// takes its latest figures. Readers that tell one listing from the next
// call Builder.AddPoolTag, which also keeps the tag's trend.
func (u *PoolUsage) AddTag(t PoolTag) {
	t.Tag, t.Description, t.Binary = clip(t.Tag), clip(t.Description), clip(t.Binary)
	u.TopNonPaged = removeTag(u.TopNonPaged, t.Tag)
	if t.NonPagedBytes > 0 {
		u.TopNonPaged = insertTop(u.TopNonPaged, t, func(a, b PoolTag) bool {
			if a.NonPagedBytes != b.NonPagedBytes {
				return a.NonPagedBytes > b.NonPagedBytes
			}
			return a.Tag < b.Tag
		})
	}
	u.TopPaged = removeTag(u.TopPaged, t.Tag)
	if t.PagedBytes > 0 {
		u.TopPaged = insertTop(u.TopPaged, t, func(a, b PoolTag) bool {
			if a.PagedBytes != b.PagedBytes {
				return a.PagedBytes > b.PagedBytes
			}
			return a.Tag < b.Tag
		})
	}
}

// AddTotals takes a listing's totals: whole says they are a TOTAL row over
// all tags, which wins over sums of rows; sums of rows keep, per column,
// the largest seen.
func (u *PoolUsage) AddTotals(t PoolTotals, whole bool) {
	switch {
	case whole:
		u.NonPagedAllocs, u.NonPagedBytes, u.PagedAllocs, u.PagedBytes = t.NonPagedAllocs, t.NonPagedBytes, t.PagedAllocs, t.PagedBytes
		u.TotalsFrom = TotalsFromTotalRow
	case u.TotalsFrom != TotalsFromTotalRow:
		u.NonPagedAllocs = max(u.NonPagedAllocs, t.NonPagedAllocs)
		u.NonPagedBytes = max(u.NonPagedBytes, t.NonPagedBytes)
		u.PagedAllocs = max(u.PagedAllocs, t.PagedAllocs)
		u.PagedBytes = max(u.PagedBytes, t.PagedBytes)
		u.TotalsFrom = TotalsFromRows
	}
}

func removeTag(l []PoolTag, tag string) []PoolTag {
	for i := range l {
		if l[i].Tag == tag {
			return append(l[:i], l[i+1:]...)
		}
	}
	return l
}

// insertTop inserts v into l, kept sorted by less and at most MemoryLimit
// long: v is dropped when it would come last of a full list.
func insertTop[T any](l []T, v T, less func(a, b T) bool) []T {
	i := sort.Search(len(l), func(i int) bool { return less(v, l[i]) })
	if i >= MemoryLimit {
		return l
	}
	if len(l) < MemoryLimit {
		var zero T
		l = append(l, zero)
	}
	copy(l[i+1:], l[i:])
	l[i] = v
	return l
}

// clip bounds a text a capture gives, at a character boundary.
func clip(s string) string {
	if len(s) <= memoryTextLimit {
		return s
	}
	cut := memoryTextLimit
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut]
}

// memoryFacts fills in the snapshot facts that come from Memory.
func memoryFacts(f *SnapshotFacts, m *Memory) {
	for _, p := range []*int64{&f.PhysicalMemoryKB, &f.AvailableMemoryKB, &f.CommitKB, &f.CommitLimitKB,
		&f.NonPagedPoolKB, &f.NonPagedPoolMaxKB, &f.PagedPoolKB, &f.PagedPoolMaxKB, &f.FreeSystemPTEs,
		&f.FileTableAllocated, &f.FileTableMax} {
		*p = -1
	}
	if m == nil {
		return
	}
	fileTableFacts(f, m)
	zombieReportFacts(f, m)
	driverLeakFacts(f, m)
	poolExhaustionFacts(f, m)
	if v := m.VM; v != nil {
		f.MemoryKnown = true
		for _, kv := range []struct {
			dst *int64
			src *int64
		}{
			{&f.PhysicalMemoryKB, v.PhysicalKB}, {&f.AvailableMemoryKB, v.AvailableKB},
			{&f.CommitKB, v.CommitKB}, {&f.CommitLimitKB, v.CommitLimitKB},
			{&f.NonPagedPoolKB, v.NonPagedPoolKB}, {&f.NonPagedPoolMaxKB, v.NonPagedPoolMaxKB},
			{&f.PagedPoolKB, v.PagedPoolKB}, {&f.PagedPoolMaxKB, v.PagedPoolMaxKB},
			{&f.FreeSystemPTEs, v.FreeSystemPTEs},
		} {
			if kv.src != nil {
				*kv.dst = *kv.src
			}
		}
		f.NonPagedPoolUsedShare = share(f.NonPagedPoolKB, f.NonPagedPoolMaxKB)
		f.PagedPoolUsedShare = share(f.PagedPoolKB, f.PagedPoolMaxKB)
		f.CommitUsedShare = share(f.CommitKB, f.CommitLimitKB)
		f.PoolFailures = v.PoolFailures
		for _, w := range v.Warnings {
			if strings.Contains(strings.ToLower(w), "pool usage") {
				f.PoolWarnings++
			}
		}
	}
	u := m.Pool
	if u == nil {
		return
	}
	f.PoolTagsKnown = true
	f.NonPagedPoolTagBytes = u.NonPagedBytes
	f.PagedPoolTagBytes = u.PagedBytes
	if len(u.TopNonPaged) > 0 && u.TopNonPaged[0].NonPagedBytes > 0 {
		t := u.TopNonPaged[0]
		f.TopNonPagedTag, f.TopNonPagedTagBytes, f.TopNonPagedTagAllocs = t.Tag, t.NonPagedBytes, t.NonPagedAllocs
		f.TopNonPagedTagDesc, f.TopNonPagedTagDriver = tagText(t), tagDriver(t.Binary)
		f.TopNonPagedTagShare = tagShare(t.NonPagedBytes, u.NonPagedBytes, u.TotalsFrom, f.NonPagedPoolKB)
		f.TopNonPagedTagTwin = twinTag(t.Tag, t.NonPagedAllocs, u.TopNonPaged, func(o PoolTag) int64 { return o.NonPagedAllocs })
	}
	if len(u.TopPaged) > 0 && u.TopPaged[0].PagedBytes > 0 {
		t := u.TopPaged[0]
		f.TopPagedTag, f.TopPagedTagBytes, f.TopPagedTagAllocs = t.Tag, t.PagedBytes, t.PagedAllocs
		f.TopPagedTagDesc, f.TopPagedTagDriver = tagText(t), tagDriver(t.Binary)
		f.TopPagedTagShare = tagShare(t.PagedBytes, u.PagedBytes, u.TotalsFrom, f.PagedPoolKB)
		f.TopPagedTagTwin = twinTag(t.Tag, t.PagedAllocs, u.TopPaged, func(o PoolTag) int64 { return o.PagedAllocs })
	}
	poolGrowthFacts(f, u)
}

// twinMinAllocs is the fewest outstanding allocations for two tags' equal
// counts to mean one leak rather than chance.
const twinMinAllocs = 1000

// twinTag returns the tag of tags, other than top, whose outstanding
// allocations (allocs of it) are within 1% of top's count n, the closest
// first (ties by tag), or "".
func twinTag(top string, n int64, tags []PoolTag, allocs func(PoolTag) int64) string {
	if n < twinMinAllocs {
		return ""
	}
	best, bestDiff := "", n/100+1
	for _, t := range tags {
		d := allocs(t) - n
		if d < 0 {
			d = -d
		}
		if t.Tag == top || d >= bestDiff {
			continue
		}
		best, bestDiff = t.Tag, d
	}
	return best
}

// share is used over limit, 0 to 1, and 0 when either is unknown.
func share(used, limit int64) float64 {
	if used < 0 || limit <= 0 {
		return 0
	}
	return min(float64(used)/float64(limit), 1)
}

// tagShare is a tag's share of its pool. The pool's size is the TOTAL row
// of `!poolused` when it printed one, else the pool usage `!vm` gives
// (never less than the tag's rows add up to); without either the share
// is unknown, 0: the rows of a listing cut short, its top tags, would make
// any tag look dominant.
func tagShare(bytes, total int64, from string, vmKB int64) float64 {
	switch {
	case from == TotalsFromTotalRow:
	case vmKB >= 0:
		total = max(total, vmKB*1024)
	default:
		return 0
	}
	if total <= 0 {
		return 0
	}
	return min(float64(bytes)/float64(total), 1)
}

// tagDriver is the driver a tag's binary names (i8042prt.sys, tcpip),
// or "" for none: an unknown tag, or the kernel's own (nt!ps, nt!io,
// hal), whose objects a leak of handles keeps in pool on behalf of the
// process that holds them.
func tagDriver(binary string) string {
	b := strings.TrimSpace(binary)
	l := strings.ToLower(b)
	switch {
	case b == "", strings.Contains(l, "unknown"), strings.HasPrefix(l, "<"):
		return ""
	case l == "nt", l == "hal", strings.HasPrefix(l, "nt!"), strings.HasPrefix(l, "hal!"), strings.HasPrefix(l, "hal."),
		strings.HasPrefix(l, "ntoskrnl"), strings.HasPrefix(l, "ntkrnl"):
		return ""
	}
	return b
}

// tagText describes a tag as pooltag.txt does: "Thread objects, nt!ps".
func tagText(t PoolTag) string {
	switch {
	case t.Description != "" && t.Binary != "":
		return t.Description + ", " + t.Binary
	case t.Binary != "":
		return t.Binary
	}
	return t.Description
}
