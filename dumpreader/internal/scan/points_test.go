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
