package handleexe

import "github.com/leakdiag/leakdiag/facts"

// summaryRun is the type summaries a capture holds of one scope (a
// process, or the machine), in order: the same command run again, as
// pasted before a test and after. It keeps the first runLimit-1 and the
// latest.
type summaryRun struct {
	n    int
	kept []*handleExeSummary
}

// runLimit is the most summaries of one scope a run keeps, and so the
// most captures of the series a capture of them is.
const runLimit = 64

// add keeps a copy of s, the latest.
func (r *summaryRun) add(s *handleExeSummary) {
	saved := *s
	r.n++
	if len(r.kept) < runLimit {
		r.kept = append(r.kept, &saved)
		return
	}
	r.kept[len(r.kept)-1] = &saved
}

func (r *summaryRun) first() *handleExeSummary { return r.kept[0] }
func (r *summaryRun) last() *handleExeSummary  { return r.kept[len(r.kept)-1] }

// processRun is a run of summaries of one process, and how to find that
// process in the builder of another capture.
type processRun struct {
	pb  *facts.ProcessBuilder
	run *summaryRun
}

// earlierCaptures makes the summaries before the last of each run the
// processes' tables in captures taken before this one (facts.Builder
// Earlier): read on its own, a capture of `handle -s -p` before and after
// a test is a series, whose growth rules judge. Runs of different lengths
// end together, at this capture.
func (h *handleExeReader) earlierCaptures(runs []processRun) {
	points := 0
	for _, r := range runs {
		points = max(points, len(r.run.kept)-1)
	}
	if points == 0 {
		return
	}
	earlier := make([]*facts.Builder, points)
	for i := range earlier {
		earlier[i] = h.b.Earlier()
	}
	for _, r := range runs {
		before := r.run.kept[:len(r.run.kept)-1]
		for i, s := range before {
			b := earlier[points-len(before)+i]
			s.reportTo(sameProcess(b, r.pb, facts.Position{Path: h.log.Path, Line: s.line}))
		}
	}
}

// sameProcess returns the process of b that is pb of the capture being
// read: by pid and image, or by image alone where the capture gives no
// pid.
func sameProcess(b *facts.Builder, pb *facts.ProcessBuilder, pos facts.Position) *facts.ProcessBuilder {
	p := pb.P
	if p.PID == 0 {
		return b.ProcessByImage(p.Image, pos)
	}
	e := b.ProcessByPID(p.PID, pos)
	e.P.Image = p.Image
	return e
}
