package engine

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// snapshotEvidence gathers the key numbers of a finding about the capture
// as a whole, and the places in the capture they come from: those of the
// facts rule r reads (its condition, score, message and component), a
// group at a time: the top pool tags, !vm's pools, a driver's unfreed
// pool, the exited processes, the zombies a debugger extension counted,
// the System log's events of pool running out, a Linux machine's file
// table, what the capture lacks.
func snapshotEvidence(r *rules.Rule, view *facts.SnapshotFacts, mem *facts.Memory) ([]Evidence, []Location) {
	ev, locs := []Evidence{}, []Location{}
	add := func(name, value string) { ev = append(ev, Evidence{Name: name, Value: value}) }
	reads := snapshotFactsRead(r)
	if mem == nil {
		mem = &facts.Memory{}
	}
	if reads.any("top_nonpaged_tag", "nonpaged_pool_tag_bytes") && view.TopNonPagedTag != "" {
		add("top nonpaged pool tag", tagEvidence(view.TopNonPagedTag, view.TopNonPagedTagDesc, view.TopNonPagedTagBytes, view.TopNonPagedTagAllocs, view.TopNonPagedTagShare, "nonpaged"))
		if view.TopNonPagedTagTwin != "" {
			add("allocated one for one with it", "pool tag "+view.TopNonPagedTagTwin)
		}
		if p := mem.Pool; p != nil && len(p.TopNonPaged) > 0 {
			locs = append(locs, at(p.TopNonPaged[0].Source, "the row of pool tag "+view.TopNonPagedTag))
		}
	}
	if reads.any("top_paged_tag", "paged_pool_tag_bytes") && view.TopPagedTag != "" {
		add("top paged pool tag", tagEvidence(view.TopPagedTag, view.TopPagedTagDesc, view.TopPagedTagBytes, view.TopPagedTagAllocs, view.TopPagedTagShare, "paged"))
		if p := mem.Pool; p != nil && len(p.TopPaged) > 0 {
			locs = append(locs, at(p.TopPaged[0].Source, "the row of pool tag "+view.TopPagedTag))
		}
	}
	if reads.any("nonpaged_pool", "paged_pool_kb", "paged_pool_max", "paged_pool_used", "pool_failures", "pool_warnings", "commit_") && view.MemoryKnown {
		add("nonpaged pool", poolEvidence(view.NonPagedPoolKB, view.NonPagedPoolMaxKB, view.NonPagedPoolUsedShare))
		add("paged pool", poolEvidence(view.PagedPoolKB, view.PagedPoolMaxKB, view.PagedPoolUsedShare))
		if view.PoolFailures > 0 {
			add("pool allocations failed", facts.FormatCount(view.PoolFailures))
		}
		if view.NonPagedPoolGrowthPoints >= 2 && reads.any("nonpaged_pool_growth") {
			add("nonpaged pool across the series", fmt.Sprintf("%s KB to %s KB over %d captures",
				facts.FormatCount(view.NonPagedPoolGrowthFromKB), facts.FormatCount(view.NonPagedPoolGrowthToKB), view.NonPagedPoolGrowthPoints))
		}
		switch {
		case mem.VM == nil:
		case mem.VM.Counters:
			locs = append(locs, at(mem.VM.Source, "the sample of the Memory counters"))
		default:
			locs = append(locs, at(mem.VM.Source, "!vm output"))
		}
	}
	if reads.any("driver_pool_leak") && view.DriverPoolLeakAllocations > 0 {
		driver := view.DriverPoolLeakDriver
		if driver == "" {
			driver = "not named in the capture"
		}
		add("driver", driver)
		add("allocations not freed", facts.FormatCount(view.DriverPoolLeakAllocations))
		if view.DriverPoolLeakTopTag != "" {
			add("listed by !verifier 3", fmt.Sprintf("%s bytes, most under pool tag %s, the largest of it allocated by %s",
				facts.FormatCount(view.DriverPoolLeakListedBytes), view.DriverPoolLeakTopTag, view.DriverPoolLeakTopCaller))
		}
		for _, l := range mem.DriverPoolLeaks {
			if l.Allocations > 0 {
				what := "Driver Verifier's bugcheck 0xC4"
				if l.Listed {
					what = "!verifier 3's entry of the driver, unloaded with allocations counted"
				}
				locs = append(locs, at(l.Source, what))
				if len(l.Unfreed) > 0 {
					locs = append(locs, at(l.Unfreed[0].Source, "the first allocation !verifier 3 lists as not freed"))
				}
				break
			}
		}
	}
	if reads.any("exited_processes") && view.ExitedProcesses > 0 {
		add("exited processes", facts.FormatCount(view.ExitedProcesses)+" the capture shows, still referenced")
	}
	if reads.any("zombies_reported", "top_zombie_image_reported") && view.ZombiesReported > 0 {
		v := facts.FormatCount(view.ZombiesReported)
		if t := view.TopZombieImageReported; t.Name != "" {
			v += fmt.Sprintf(", %s of them %s", facts.FormatCount(t.Count), t.Name)
		}
		add("zombies counted", v)
		if len(mem.ZombieReports) > 0 {
			locs = append(locs, at(mem.ZombieReports[0].Source, "the debugger extension's count of zombies"))
		}
	}
	if reads.any("pool_exhausted_") && (view.PoolExhaustedNonPagedEvents > 0 || view.PoolExhaustedPagedEvents > 0) {
		v := fmt.Sprintf("%s of nonpaged pool (2019), %s of paged pool (2020)",
			facts.FormatCount(view.PoolExhaustedNonPagedEvents), facts.FormatCount(view.PoolExhaustedPagedEvents))
		if view.PoolExhaustedFirst != "" {
			v += fmt.Sprintf(", from %s to %s", view.PoolExhaustedFirst, view.PoolExhaustedLast)
		}
		add("System log events of pool running out", v)
		if e := mem.PoolExhaustion; e != nil {
			locs = append(locs, at(e.Source, "the first event of pool running out"))
		}
	}
	if reads.any("file_table_", "file_max_reached_") && mem.FileTable != nil {
		switch {
		case view.FileTableAllocated < 0 || view.FileTableMax <= 0:
		case view.FileTableMax >= facts.FileTableUnlimited:
			add("file handles allocated", facts.FormatCount(view.FileTableAllocated)+", of no maximum (file-max 2^63-1)")
		default:
			add("file handles allocated", fmt.Sprintf("%s of at most %s (%s)", facts.FormatCount(view.FileTableAllocated),
				facts.FormatCount(view.FileTableMax), facts.FormatShare(view.FileTableUsedShare)))
		}
		if view.FileMaxReachedMessages > 0 {
			add("kernel messages: file-max limit reached", facts.FormatCount(view.FileMaxReachedMessages))
		}
		locs = append(locs, at(mem.FileTable.Source, "the kernel's file table, as the capture first shows it"))
	}
	if reads.any("unknown_counts") && view.UnknownCounts > 0 {
		add("processes without a handle count", fmt.Sprintf("%s of %s", facts.FormatCount(view.UnknownCounts), facts.FormatCount(view.ProcessCount)))
	}
	if reads.any("partial_tables") && view.PartialTables > 0 {
		add("handle dumps cut short", facts.FormatCount(view.PartialTables))
	}
	if reads.any("unrecognized") && view.Unrecognized > 0 {
		add("lines not recognized", fmt.Sprintf("%s of %s (the diagnostics quote them)", facts.FormatCount(view.Unrecognized), facts.FormatCount(view.Lines)))
	}
	return ev, locs
}

// tagEvidence says what a pool tag holds: "Thre (Thread objects, nt!ps):
// 150,000,000 bytes in 234,375 allocations, 75% of nonpaged pool".
func tagEvidence(tag, desc string, bytes, allocs int64, share float64, pool string) string {
	s := tag
	if desc != "" {
		s += " (" + desc + ")"
	}
	s += fmt.Sprintf(": %s bytes in %s allocations", facts.FormatCount(bytes), facts.FormatCount(allocs))
	if share > 0 {
		s += fmt.Sprintf(", %s of %s pool", facts.FormatShare(share), pool)
	}
	return s
}

// poolEvidence says how full a pool is, from !vm's figures (-1 unknown).
func poolEvidence(kb, maxKB int64, share float64) string {
	switch {
	case kb < 0:
		return "not given"
	case maxKB > 0 && share > 0:
		return fmt.Sprintf("%s KB of %s KB (%s)", facts.FormatCount(kb), facts.FormatCount(maxKB), facts.FormatShare(share))
	}
	return facts.FormatCount(kb) + " KB, its maximum not given"
}

// factNames are the snapshot facts a rule reads, by name.
type factNames []string

// any reports whether a name read starts with one of prefixes.
func (n factNames) any(prefixes ...string) bool {
	for _, name := range n {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	}
	return false
}

// snapshotFactsRead finds the snapshot facts r's condition, score,
// message and component name ("snapshot.NAME", ".snapshot.NAME").
func snapshotFactsRead(r *rules.Rule) factNames {
	var names factNames
	for _, src := range []string{r.When, r.Score, r.Message, r.Component} {
		for rest := src; ; {
			i := strings.Index(rest, "snapshot.")
			if i < 0 {
				break
			}
			rest = rest[i+len("snapshot."):]
			j := 0
			for j < len(rest) && (rest[j] == '_' || 'a' <= rest[j] && rest[j] <= 'z' || '0' <= rest[j] && rest[j] <= '9') {
				j++
			}
			if j > 0 {
				names = append(names, rest[:j])
			}
		}
	}
	return names
}
