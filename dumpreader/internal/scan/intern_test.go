package scan

import (
	"fmt"
	"testing"
)

// TestInternerBounded: past InternLimit values the interner keeps no
// more, and still returns every value repaired and equal to what it
// returned while it kept them.
func TestInternerBounded(t *testing.T) {
	in := NewInterner(nil)
	for i := range InternLimit + 1000 {
		v := fmt.Sprintf(`\Device\HarddiskVolume2\tmp\req-%d.tmp`, i)
		if got := in.Get([]byte(v)); got != v {
			t.Fatalf("Get(%q) = %q", v, got)
		}
	}
	if in.Len() != InternLimit {
		t.Errorf("%d values kept, want the limit %d", in.Len(), InternLimit)
	}
	// A value past the limit is still repaired (a paste's damage undone).
	for range 2 {
		if got := in.Get([]byte("Name\u00a0&lt;x&gt;")); got != "Name <x>" {
			t.Errorf("Get of a damaged value past the limit = %q, want it repaired", got)
		}
		in.Get([]byte("other")) // not the last value: the map is asked
	}
	first := in.Get([]byte(`\Device\HarddiskVolume2\tmp\req-1.tmp`))
	if first != `\Device\HarddiskVolume2\tmp\req-1.tmp` {
		t.Errorf("a kept value: %q", first)
	}
}

// An Interner with a Limit keeps that many values and makes the others
// all the same.
func TestInternerLimit(t *testing.T) {
	in := NewInterner(nil)
	in.Limit = 2
	for _, v := range []string{"a", "b", "c", "d", "a", "c"} {
		if got := in.Get([]byte(v)); got != v {
			t.Errorf("Get(%q) = %q", v, got)
		}
	}
	if in.Len() != 2 {
		t.Errorf("Len() = %d, want 2 (the Limit)", in.Len())
	}
}
