package scan

import "testing"

// TestSeriesPoints: a series keeps MaxSeriesPoints points, fewer of many
// processes (MaxSeriesProcessPoints over them), never under
// MinSeriesPoints.
func TestSeriesPoints(t *testing.T) {
	for n, want := range map[int]int{0: 360, 1: 360, 400: 360, 1000: 150, 100_000: 16} {
		if got := SeriesPoints(n); got != want {
			t.Errorf("SeriesPoints(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestHostSeriesPoints: every machine past the first weighs as
// SnapshotProcesses processes; one machine keeps SeriesPoints.
func TestHostSeriesPoints(t *testing.T) {
	for _, c := range []struct{ n, hosts, want int }{
		{1, 1, 360}, {1, 0, 360}, {1000, 1, 150}, {2, 2, 360}, {300, 300, 55}, {1000, 1000, 16},
	} {
		if got := HostSeriesPoints(c.n, c.hosts); got != c.want {
			t.Errorf("HostSeriesPoints(%d, %d) = %d, want %d", c.n, c.hosts, got, c.want)
		}
	}
}
