package kd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountFirstSummary reads the per-type summary that puts the count
// before the type, with and without a command and a total, and checks
// that look-alikes are left alone.
func TestCountFirstSummary(t *testing.T) {
	const withTotal = `Running the summary on the first dump:
      3  Mutant
     42  Key
    900  Event
  12000  Token
      2  ALPC Port

  12947  Handles in process
      5  Handle Types
`
	const afterCommand = `!ext.handles

       4  Section
      61  File
   30500  Semaphore  note the growth
       7  NewTypeName
`
	const notTypes = `0:000> !unknown
      3  apples
     42  Oranges
`
	tests := []struct {
		name, capture string
		wantTypes     map[string]int64
		wantCount     int64 // -1: none
		wantUnrec     int64
	}{
		{"with its total", withTotal, map[string]int64{"Mutant": 3, "Key": 42, "Event": 900, "Token": 12000, "ALPC Port": 2}, 12947, 1},
		{"after an unknown command, with a note", afterCommand, map[string]int64{"Section": 4, "File": 61, "Semaphore": 30500, "NewTypeName": 7}, -1, 0},
		{"not object types", notTypes, map[string]int64{}, -1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.wantUnrec {
				t.Errorf("%d unrecognized lines, want %d: %+v", n, tc.wantUnrec, snap.Diagnostics)
			}
			types := map[string]int64{}
			count := int64(-1)
			for _, p := range snap.Processes {
				for typ, n := range p.ByType {
					types[typ] += n
				}
				if p.HandleCount != nil {
					count = *p.HandleCount
				}
			}
			if diff := cmp.Diff(tc.wantTypes, types); diff != "" {
				t.Errorf("types: diff (-want +got):\n%s", diff)
			}
			if count != tc.wantCount {
				t.Errorf("handle count %d, want %d", count, tc.wantCount)
			}
		})
	}
}
