package proctable

// A command run in a loop for a day prints thousands of tables, and a
// loop of one statement a run per row: a point each would be a Builder
// and a snapshot per row of the capture, a few hundred bytes of text
// making kilobytes. Repeats keeps at most pointsFor of them, evenly
// spread, as the counter log reader keeps its samples: every stride-th
// table and the latest; when the limit is reached every other point is
// let go and the stride doubles. The tables let go are read, into a
// Builder let go with them.

// The limits on the points kept, as the counter log reader's on its
// samples: MaxPoints at most, fewer for tables of many processes
// (MaxProcessPoints over the processes), MinPoints at least.
const (
	MaxPoints        = 360
	MaxProcessPoints = 150_000
	MinPoints        = 16
)

// pointsFor is how many points of tables of n processes are kept.
func pointsFor(n int) int {
	return max(MinPoints, min(MaxPoints, MaxProcessPoints/max(n, 1)))
}

// keep takes p, the point of the next table of the series, of procs
// processes: the latest point, if the stride would not keep it, gives
// way to it.
func (rep *Repeats) keep(p Point, procs int) {
	last := &rep.points[len(rep.points)-1]
	p.Index = last.Index + 1
	if last.Index%rep.stride != 0 {
		*last = p
	} else {
		rep.points = append(rep.points, p)
	}
	for limit := pointsFor(procs); len(rep.points) > limit; {
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
