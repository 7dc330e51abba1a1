package facts

import (
	"sort"
	"strings"
)

// Growth is how a process's handles changed across a series.
type Growth struct {
	// Points is the number of captures the process is in that give its
	// handle count; Unknown the number it is in that do not (left out of
	// the growth, never read as 0). Hours is the time from the first of
	// Points to the last (captures, when times are unknown).
	Points  int
	Unknown int
	Hours   float64
	// Timed: the captures' times are known, so Hours and PerHour are per
	// hour; otherwise they count captures.
	Timed bool
	// Handles is the last count minus the first; PerHour the slope of a
	// least-squares line through all its counts (per capture when times
	// are unknown); Monotonic that the count never fell and did rise.
	Handles   int64
	PerHour   float64
	Monotonic bool
	// Fit is how well that line fits the counts: the share of their
	// variance it explains (R², 0 to 1; 0 for fewer than three counts or
	// counts that never change). A leak with dips (a handle closed now
	// and then) is a rising line of a fit near 1; a flat count with
	// noise, or a count that jumps once, fits a line poorly.
	Fit float64
	// ByType is each type's last count minus its first, for the types
	// both give a count of (Process.TypeCount).
	ByType map[string]int64
	// TopType is the type that grew most, TopTypeGrowth by how much and
	// TopTypePerHour its slope; OtherTypesGrowth is how much all other
	// types in ByType together grew (or fell): types whose count a capture
	// does not give are in neither.
	TopType          string
	TopTypeGrowth    int64
	TopTypePerHour   float64
	OtherTypesGrowth int64
	// Names are the names whose handle counts grew, most first (at most
	// TopNamesLimit): from the captures' top names, so a name that was not
	// among the first capture's top names counts from 0. Where a count is
	// an estimate (NameCount.Error), the growth is the least it can be:
	// from the most the first count can be to the least the last can.
	Names []NameGrowth
	// NonPaged is the course of the nonpaged pool charged to the process
	// (Process.PoolNonpagedBytes), over the captures that give it.
	NonPaged Course
}

// Course is how one figure of a process ran across a series, over the
// captures that give it: Points of them, From the first value and To the
// last. PerHour, Monotonic and Fit are as Growth's for the handle count.
type Course struct {
	Points    int
	From, To  int64
	PerHour   float64
	Monotonic bool
	Fit       float64
}

// courseOf is the course of the values ys at the hours (or capture
// numbers) xs.
func courseOf(xs, ys []float64) Course {
	c := Course{Points: len(ys)}
	if len(ys) == 0 {
		return c
	}
	c.From, c.To = int64(ys[0]), int64(ys[len(ys)-1])
	c.PerHour, c.Fit = slope(xs, ys), fit(xs, ys)
	c.Monotonic = c.To > c.From
	for i := 1; i < len(ys); i++ {
		if ys[i] < ys[i-1] {
			c.Monotonic = false
		}
	}
	return c
}

// NameGrowth is the growth of one name's handles.
type NameGrowth struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	From   int64  `json:"from"`
	To     int64  `json:"to"`
	Growth int64  `json:"growth"`
}

// Growth computes how ps's handles changed across s. The handle count is
// taken from the captures that give it: one where the process's count is
// unknown (a summary cut before its total, <Data Not Accessible>) is left
// out, so a capture cut short never reads as a fall to 0 (Unknown counts
// them). Types are compared between the first and last captures the
// process is in, each type where both give its count.
func (s *Series) Growth(ps *ProcessSeries) Growth {
	var xs, ys []float64 // the points with a known count
	var nx, ny []float64 // the points with a known nonpaged pool charge
	var present []*Process
	var at []float64 // the hours of present
	g := Growth{ByType: map[string]int64{}, Timed: s.TimesKnown}
	for i, p := range ps.At {
		if p == nil {
			continue
		}
		present = append(present, p)
		at = append(at, s.Hours(i))
		if p.PoolNonpagedBytes != nil {
			nx, ny = append(nx, s.Hours(i)), append(ny, float64(*p.PoolNonpagedBytes))
		}
		if !p.CountKnown() {
			g.Unknown++
			continue
		}
		xs = append(xs, s.Hours(i))
		ys = append(ys, float64(p.BestCount()))
	}
	g.Points = len(xs)
	if len(present) == 0 {
		return g
	}
	g.NonPaged = courseOf(nx, ny)
	if len(xs) > 0 {
		c := courseOf(xs, ys)
		g.Hours = xs[len(xs)-1] - xs[0]
		g.Handles, g.PerHour, g.Fit, g.Monotonic = c.To-c.From, c.PerHour, c.Fit, c.Monotonic
	}
	first, last := present[0], present[len(present)-1]
	types := map[string]bool{}
	for t := range first.ByType {
		types[t] = true
	}
	for t := range last.ByType {
		types[t] = true
	}
	for t := range types {
		a, aKnown := first.TypeCount(t)
		b, bKnown := last.TypeCount(t)
		if d := b - a; aKnown && bKnown && d != 0 {
			g.ByType[t] = d
		}
	}
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		if d := g.ByType[t]; d > g.TopTypeGrowth {
			g.TopType, g.TopTypeGrowth = t, d
		}
	}
	if g.TopType != "" {
		var tx, ty []float64
		for i, p := range present {
			if n, ok := p.TypeCount(g.TopType); ok {
				tx, ty = append(tx, at[i]), append(ty, float64(n))
			}
		}
		g.TopTypePerHour = slope(tx, ty)
		for t, d := range g.ByType {
			if t != g.TopType {
				g.OtherTypesGrowth += d
			}
		}
	}
	g.Names = nameGrowth(first, last)
	return g
}

// nameGrowth compares two captures' top names; none where the first
// shows no handle (a type summary alone: its names are unknown, not
// none, and every name the last shows would read as grown from 0).
func nameGrowth(first, last *Process) []NameGrowth {
	if len(first.TopNames) == 0 && first.HandlesParsed == 0 {
		return nil
	}
	type key struct{ name, typ string }
	was := map[key]int64{}
	for _, n := range first.TopNames {
		was[key{strings.ToLower(n.Name), n.Type}] = n.Count + n.Error
	}
	var out []NameGrowth
	for _, n := range last.TopNames {
		from := was[key{strings.ToLower(n.Name), n.Type}]
		if n.Count > from {
			out = append(out, NameGrowth{Name: n.Name, Type: n.Type, From: from, To: n.Count, Growth: n.Count - from})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Growth != out[j].Growth {
			return out[i].Growth > out[j].Growth
		}
		return out[i].Name < out[j].Name
	})
	if len(out) > TopNamesLimit {
		out = out[:TopNamesLimit]
	}
	return out
}

// slope is the least-squares slope of ys over xs (0 for fewer than two
// points or no spread in xs).
func slope(xs, ys []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	sxy, sxx, _ := moments(xs, ys)
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// fit is the coefficient of determination (R²) of the least-squares line
// of ys over xs: 0 for fewer than three points or no spread.
func fit(xs, ys []float64) float64 {
	if len(xs) < 3 {
		return 0
	}
	sxy, sxx, syy := moments(xs, ys)
	if sxx == 0 || syy == 0 {
		return 0
	}
	return min(sxy*sxy/(sxx*syy), 1)
}

// moments are the sums of the products of xs's and ys's deviations from
// their means: xy, xx and yy.
func moments(xs, ys []float64) (sxy, sxx, syy float64) {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy, sxx, syy
}
