package facts

import "testing"

// TestUnfreedFacts: the listed bytes add up; the top tag is the one with
// most bytes in all (not the largest single allocation), ties by tag;
// its caller is that of its largest allocation.
func TestUnfreedFacts(t *testing.T) {
	var f SnapshotFacts
	unfreedFacts(&f, []UnfreedAllocation{
		{Tag: "Big1", Bytes: 4096, Caller: "drv!Once"},
		{Tag: "Many", Bytes: 3000, Caller: "drv!Small"},
		{Tag: "Many", Bytes: 3000, Caller: "drv!Second"},
		{Tag: "Many", Bytes: 3500, Caller: "drv!Largest"},
		{Tag: "Tie1", Bytes: 10},
	})
	if f.DriverPoolLeakListedBytes != 13606 || f.DriverPoolLeakTopTag != "Many" || f.DriverPoolLeakTopCaller != "drv!Largest" {
		t.Errorf("facts %d %q %q, want 13606, Many, drv!Largest", f.DriverPoolLeakListedBytes, f.DriverPoolLeakTopTag, f.DriverPoolLeakTopCaller)
	}
	var g SnapshotFacts
	unfreedFacts(&g, []UnfreedAllocation{{Tag: "Bbbb", Bytes: 8, Caller: "b"}, {Tag: "Aaaa", Bytes: 8, Caller: "a"}})
	if g.DriverPoolLeakTopTag != "Aaaa" || g.DriverPoolLeakTopCaller != "a" {
		t.Errorf("tie: %q %q, want the first tag by name", g.DriverPoolLeakTopTag, g.DriverPoolLeakTopCaller)
	}
}
