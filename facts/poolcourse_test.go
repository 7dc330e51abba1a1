package facts

import (
	"testing"
	"time"
)

// TestNonPagedPoolCourse checks the course of the machine's nonpaged pool
// across a series: from the captures that give it (one without !vm is
// left out, not read as 0), per hour when the times are known.
func TestNonPagedPoolCourse(t *testing.T) {
	snap := func(kb int64, known bool) *Snapshot {
		s := &Snapshot{SchemaVersion: SchemaVersion, Processes: []*Process{}}
		if known {
			s.Memory = &Memory{VM: &VM{NonPagedPoolKB: &kb}}
		}
		return s
	}
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s, err := NewSeries(
		[]*Snapshot{snap(100000, true), snap(0, false), snap(200000, true), snap(300000, true)},
		[]time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour), t0.Add(3 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c := s.NonPagedPool()
	if c.Points != 3 || c.From != 100000 || c.To != 300000 || !c.Monotonic {
		t.Errorf("course %+v, want 3 points from 100000 to 300000, rising", c)
	}
	if c.PerHour < 64285 || c.PerHour > 64286 {
		t.Errorf("per hour %v, want 64,285.7: the slope through hours 0, 2 and 3, the hour without a figure left out", c.PerHour)
	}
	var f SnapshotFacts
	f.setPoolCourse(c)
	if f.NonPagedPoolGrowthKB != 200000 || f.NonPagedPoolGrowthPoints != 3 {
		t.Errorf("facts %+v", f)
	}
}
