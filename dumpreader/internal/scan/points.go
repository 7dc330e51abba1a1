package scan

// A capture that is a series (a counter log, a Prometheus range query, a
// command run in a loop) keeps at most SeriesPoints(n) of its points as
// snapshots, evenly spread, the first and the last among them: each is a
// snapshot of n processes, a few hundred bytes a process. A day at one
// sample a minute is 1,440 points, kept as 180 to 360, enough for a slope.
const (
	// MaxSeriesPoints is the most points kept.
	MaxSeriesPoints = 360
	// MaxSeriesProcessPoints bounds the points kept times the processes
	// each holds: a series of 1,000 processes keeps at most 150 points.
	MaxSeriesProcessPoints = 150_000
	// MinSeriesPoints is the fewest points kept, however many processes.
	MinSeriesPoints = 16
)

// SeriesPoints is how many points of a series of n processes are kept at
// most.
func SeriesPoints(n int) int {
	return max(MinSeriesPoints, min(MaxSeriesPoints, MaxSeriesProcessPoints/max(n, 1)))
}
