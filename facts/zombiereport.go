package facts

import (
	"slices"
	"sort"
)

// ZombieReport is a debugger extension's count of zombie processes
// (exited, their process objects still referenced) that it does not list
// as !process does: mex's !tl warns "Zombie process(es) detected (not
// displayed). Count: 87", and its !tl -z counts them by image and
// session. A count by the kernel's own list, whatever the processes
// the capture shows.
type ZombieReport struct {
	// Count is the zombies counted: the warning's count, else the sum of
	// the table's rows.
	Count int64 `json:"count"`
	// Images are the zombies' images with the zombies of each (Type
	// "Process"), most first, ties by name, at most MemoryLimit.
	Images []NameCount `json:"images,omitempty"`
	Source Position    `json:"source"`
}

// AddZombieReport records a debugger extension's count of zombie
// processes, at most MemoryLimit reports.
func (b *Builder) AddZombieReport(r ZombieReport) {
	m := b.memory()
	if len(m.ZombieReports) >= MemoryLimit {
		return
	}
	r.Images = slices.Clone(r.Images)
	for i := range r.Images {
		r.Images[i].Name = clip(r.Images[i].Name)
	}
	sort.Slice(r.Images, func(i, j int) bool { return before(r.Images[i], r.Images[j]) })
	if len(r.Images) > MemoryLimit {
		r.Images = r.Images[:MemoryLimit]
	}
	m.ZombieReports = append(m.ZombieReports, r)
}

// zombieReportFacts fills in the snapshot facts of the zombie reports:
// the largest count (reports of one session count the same zombies
// again), and the image with most zombies in the largest report that
// names images (mex's !tl warns with a count, its !tl -z names them).
func zombieReportFacts(f *SnapshotFacts, m *Memory) {
	if m == nil {
		return
	}
	var named int64
	for _, r := range m.ZombieReports {
		f.ZombiesReported = max(f.ZombiesReported, r.Count)
		if len(r.Images) > 0 && r.Count > named {
			named = r.Count
			im := r.Images[0]
			f.TopZombieImageReported = NameFacts{Name: im.Name, Type: im.Type, Count: im.Count}
		}
	}
}
