package kd

import (
	"testing"
)

// TestFilteredObjectInfo checks that a filter's output keeps the "Object
// Specific Information" block of an entry whose first line it dropped as
// part of the dump, and that the block ends at grep's "--".
func TestFilteredObjectInfo(t *testing.T) {
	const filtered = `0:001> !mex.grep -A 5 "JobDoneEvent" !handle 0 f event
  Name         	\BaseNamedObjects\JobDoneEvent
  Object specific information
    Event Type Manual Reset
    Event is Waiting
--
    Event is Set
4 handles of type Event
`
	const unfiltered = `0:001> !handle 0 f event
  Object specific information
    Event Type Manual Reset
    Event is Waiting
4 handles of type Event
`
	tests := []struct {
		name, capture string
		wantUnrec     int64
	}{
		// The line after the gap has no block of its own: not taken.
		{"filtered", filtered, 1},
		// Without a filter an orphan block is not part of any entry.
		{"unfiltered", unfiltered, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.wantUnrec {
				t.Errorf("%d unrecognized lines, want %d: %+v", n, tc.wantUnrec, snap.Diagnostics)
			}
			var events int64
			for _, p := range snap.Processes {
				events += p.ByType["Event"]
			}
			if events != 4 {
				t.Errorf("Event handles %d, want the summary's 4", events)
			}
		})
	}
}
