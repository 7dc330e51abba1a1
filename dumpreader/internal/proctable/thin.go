package proctable

import "github.com/leakdiag/leakdiag/dumpreader/internal/scan"

// A command run in a loop for a day prints thousands of tables, and a
// loop of one statement a run per row: a point each would be a Builder
// and a snapshot per row of the capture, a few hundred bytes of text
// making kilobytes. Repeats keeps at most scan.SeriesPoints of them, evenly
// spread, as the counter log reader keeps its samples: every stride-th
// table and the latest; when the limit is reached every other point is
// let go and the stride doubles. The tables let go are read, into a
// Builder let go with them.

// MaxPoints and MinPoints are the limits on the points kept, a counter
// log's (scan.SeriesPoints).
const (
	MaxPoints = scan.MaxSeriesPoints
	MinPoints = scan.MinSeriesPoints
)

// keep takes p, the point of the next table of the series, of procs
// processes over hosts machines: the latest point, if the stride would
// not keep it, gives way to it.
func (rep *Repeats) keep(p Point, procs, hosts int) {
	last := &rep.points[len(rep.points)-1]
	p.Index = last.Index + 1
	if last.Index%rep.stride != 0 {
		*last = p
	} else {
		rep.points = append(rep.points, p)
	}
	for limit := scan.HostSeriesPoints(procs, hosts); len(rep.points) > limit; {
		rep.thin()
	}
}

// thin lets every other point on the stride go, keeping the first and
// the latest, and doubles the stride.
func (rep *Repeats) thin() {
	rep.stride *= 2
	n, last := 0, len(rep.points)-1
	for i, p := range rep.points {
		if p.Index%rep.stride == 0 || i == last {
			rep.points[n] = p
			n++
		}
	}
	clear(rep.points[n:])
	rep.points = rep.points[:n]
}
