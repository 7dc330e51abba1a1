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

// SnapshotProcesses is what a point's snapshot of one more machine
// weighs, in processes, against the points a series keeps: a capture of
// several machines (a Prometheus range query of a fleet, Get-Process in a
// loop over Invoke-Command) makes a snapshot of each machine at each
// point, and a snapshot with its Builder and source log takes about what
// 8 processes' facts take.
const SnapshotProcesses = 8

// HostSeriesPoints is how many points of a series of n processes over
// hosts machines are kept at most: 1,000 machines of a process each keep
// 16 points (16,000 snapshots), not 360.
func HostSeriesPoints(n, hosts int) int {
	return SeriesPoints(n + max(hosts-1, 0)*SnapshotProcesses)
}
