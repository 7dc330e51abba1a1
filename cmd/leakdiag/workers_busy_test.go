package main

import "testing"

// The reader goes serial only when the load average shows every
// processor of a machine of several busy.
func TestBusy(t *testing.T) {
	cases := []struct {
		load float64
		cpus int
		want bool
	}{
		{0, 2, false},
		{1.9, 2, false},
		{2, 2, true},
		{7.5, 2, true},
		{16, 32, false}, // a container's two cores on a half-loaded host
		{40, 32, true},
		{5, 1, false}, // one processor: the reader is serial anyway
	}
	for _, c := range cases {
		if got := busy(c.load, c.cpus); got != c.want {
			t.Errorf("busy(%v, %d) = %v, want %v", c.load, c.cpus, got, c.want)
		}
	}
	if l := loadAverage(); l < 0 {
		t.Errorf("loadAverage() = %v", l)
	}
}
