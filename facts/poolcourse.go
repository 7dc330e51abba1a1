package facts

// NonPagedPool is the course of the machine's nonpaged pool in use (KB:
// Memory.VM's NonPagedPoolKB, from !vm or a counter log's Pool Nonpaged
// Bytes) across the series, over the captures that give it; a capture
// without it (a Get-Process table between two !vm) is left out, never
// read as 0.
func (s *Series) NonPagedPool() Course {
	var xs, ys []float64
	for i, p := range s.Points {
		m := p.Snapshot.Memory
		if m == nil || m.VM == nil || m.VM.NonPagedPoolKB == nil {
			continue
		}
		xs, ys = append(xs, s.Hours(i)), append(ys, float64(*m.VM.NonPagedPoolKB))
	}
	return courseOf(xs, ys)
}

// setPoolCourse fills in the snapshot facts of the machine's nonpaged
// pool across a series.
func (f *SnapshotFacts) setPoolCourse(c Course) {
	f.NonPagedPoolGrowthPoints = int64(c.Points)
	f.NonPagedPoolGrowthFromKB, f.NonPagedPoolGrowthToKB = c.From, c.To
	f.NonPagedPoolGrowthKB = c.To - c.From
	f.NonPagedPoolGrowthPerHour, f.NonPagedPoolGrowthMonotonic, f.NonPagedPoolGrowthFit = c.PerHour, c.Monotonic, c.Fit
}
