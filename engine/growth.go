package engine

import "github.com/leakdiag/leakdiag/facts"

// suspectGrowthLimit is how many suspects a series report charts.
const suspectGrowthLimit = 8

// suspectGrowth gives the handle count at each capture of the processes
// the findings name, in the findings' order, each once: what a report
// charts to show a leak as growth.
func suspectGrowth(s *facts.Series, findings []Finding) []ProcessGrowth {
	out := []ProcessGrowth{}
	seen := map[*facts.ProcessSeries]bool{}
	for _, f := range findings {
		if f.Process == nil || len(out) == suspectGrowthLimit {
			continue
		}
		ps := seriesOf(s, f.Process)
		if ps == nil || seen[ps] {
			continue
		}
		seen[ps] = true
		g := ProcessGrowth{PID: ps.PID, Image: ps.Image, Counts: make([]int64, len(ps.At))}
		for i, p := range ps.At {
			if p == nil {
				g.Counts[i] = Absent
			} else {
				g.Counts[i] = knownCount(p)
			}
		}
		out = append(out, g)
	}
	return out
}

// seriesOf finds the series of the process a finding names: in the last
// capture, where the rules ran, by pid and image.
func seriesOf(s *facts.Series, p *ProcessRef) *facts.ProcessSeries {
	last := len(s.Points) - 1
	for _, ps := range s.Processes {
		if at := ps.At[last]; at != nil && at.PID == p.PID && at.Image == p.Image {
			return ps
		}
	}
	return nil
}
