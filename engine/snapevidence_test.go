package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// A finding about the capture as a whole carries the figures of the facts
// its rule reads, and where the capture shows them.
func TestSnapshotEvidence(t *testing.T) {
	b := facts.NewBuilder()
	vm := b.VM(facts.Position{Path: capture, Line: 3})
	kb := func(n int64) *int64 { return &n }
	vm.NonPagedPoolKB, vm.NonPagedPoolMaxKB, vm.PagedPoolKB, vm.PoolFailures = kb(255364), kb(262144), kb(37232), 2311
	b.AddDriverPoolLeak(facts.DriverPoolLeak{Driver: "fabrikamflt.sys", Allocations: 2, Source: facts.Position{Path: capture, Line: 40},
		Unfreed: []facts.UnfreedAllocation{{Address: "0x8a2c1e20", Bytes: 64, Tag: "Fbfl", Caller: "fabrikamflt!InstanceSetup+0x27", Source: facts.Position{Path: capture, Line: 53}}}})
	rep := run(t, defaultRules(t), b.Snapshot(), engine.Options{})
	type got struct {
		Evidence  []engine.Evidence
		Locations []engine.Location
	}
	byRule := map[string]got{}
	for _, f := range rep.Findings {
		if f.Process == nil {
			byRule[f.RuleID] = got{f.Evidence, f.Locations}
		}
	}
	want := map[string]got{
		"LD0024": {
			Evidence: []engine.Evidence{
				{Name: "nonpaged pool", Value: "255,364 KB of 262,144 KB (97%)"},
				{Name: "paged pool", Value: "37,232 KB, its maximum not given"},
				{Name: "pool allocations failed", Value: "2,311"},
			},
			Locations: []engine.Location{{Path: capture, Line: 3, What: "!vm output"}},
		},
		"LD0031": {
			Evidence: []engine.Evidence{
				{Name: "driver", Value: "fabrikamflt.sys"},
				{Name: "allocations not freed", Value: "2"},
				{Name: "listed by !verifier 3", Value: "64 bytes, most under pool tag Fbfl, the largest of it allocated by fabrikamflt!InstanceSetup+0x27"},
			},
			Locations: []engine.Location{
				{Path: capture, Line: 40, What: "Driver Verifier's bugcheck 0xC4"},
				{Path: capture, Line: 53, What: "the first allocation !verifier 3 lists as not freed"},
			},
		},
	}
	for id, w := range want {
		if diff := cmp.Diff(w, byRule[id]); diff != "" {
			t.Errorf("%s evidence and locations (-want +got):\n%s", id, diff)
		}
	}
}
