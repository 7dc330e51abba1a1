package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// Options tune a run.
type Options struct {
	// Top keeps the N best-ranked findings; 0 keeps all.
	Top int
	// Quote, if set, returns the text of lines of a capture file, for the
	// findings' locations (dumpreader.Quote does). The engine itself reads
	// no files.
	Quote func(path string, lines []int64) (map[int64]string, error)
	// Baseline holds the fingerprints of findings already known (from an
	// earlier report): they are left out, so only new findings show.
	Baseline map[string]bool
	// Suppressions hide the findings a site accepts, while they are active
	// at Now (the engine reads no clock: the caller passes it).
	Suppressions []*rules.Suppression
	Now          time.Time
	// Workers is how many goroutines evaluate the process-scope rules,
	// each over its own blocks of processes; 0 is one per processor. The
	// report is the same for any number.
	Workers int
}

// Run evaluates the enabled rules of set over snap and returns the ranked
// findings. It stops early, with ctx's error, when ctx is cancelled.
func Run(ctx context.Context, set *rules.Set, snap *facts.Snapshot, opts Options) (*Report, error) {
	return run(ctx, set, snap, snap.Each, facts.NewViewSet(snap), opts)
}

// RunStream is Run over a snapshot too large to hold, whose processes
// are read again for the rules (facts.Stream): the report is the one Run
// gives for the same snapshot.
func RunStream(ctx context.Context, set *rules.Set, st *facts.Stream, opts Options) (*Report, error) {
	return run(ctx, set, st.Head, st.Each, st.Views, opts)
}

// RunSeries evaluates the rules over the last capture of a series, with
// each process's growth across the series among its facts (growth_*).
func RunSeries(ctx context.Context, set *rules.Set, s *facts.Series, opts Options) (*Report, error) {
	last := s.Points[len(s.Points)-1].Snapshot
	rep, err := run(ctx, set, last, last.Each, facts.NewSeriesViewSet(s), opts)
	if err != nil {
		return nil, err
	}
	rep.Summary.Series = &Series{Reason: s.Why}
	for _, p := range s.Points {
		rep.Summary.Series.Points = append(rep.Summary.Series.Points, diffPoint(p))
	}
	if s.TimesKnown {
		rep.Summary.Series.Hours = s.Hours(len(s.Points) - 1)
	}
	rep.Summary.Series.Growth = suspectGrowth(s, rep.Findings)
	return rep, nil
}

// DiffOf compares the first and last captures of a series: each process's
// change, and the rules' findings on the last with growth known.
func DiffOf(ctx context.Context, set *rules.Set, s *facts.Series, opts Options) (*Diff, error) {
	if len(s.Points) != 2 {
		return nil, fmt.Errorf("a diff compares two captures, not %d", len(s.Points))
	}
	rep, err := RunSeries(ctx, set, s, opts)
	if err != nil {
		return nil, err
	}
	d := &Diff{SchemaVersion: SchemaVersion, Old: diffPoint(s.Points[0]), New: diffPoint(s.Points[1]), Report: rep}
	if s.TimesKnown {
		d.Hours = s.Hours(1)
	}
	d.Processes, d.Types = changes(s)
	return d, nil
}

// run is the engine's pipeline, a stage at a time (see the package
// documentation). snap gives the capture's summary, and each its
// processes (snap's are not read).
func run(ctx context.Context, set *rules.Set, snap *facts.Snapshot, each facts.Processes, views *facts.ViewSet, opts Options) (*Report, error) {
	enabled := set.Enabled()
	rep := newReport(snap, views, enabled)
	outs, err := evaluate(ctx, enabled, attribution{owners: set.Owners, knownGood: set.KnownGood, memory: snap.Memory}, each, views, opts.Workers)
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		rep.Findings = append(rep.Findings, o.findings...)
		rep.Errors = append(rep.Errors, o.errors...)
	}
	rep.filter(&opts)
	rank(rep.Findings)
	rep.top(opts.Top)
	if opts.Quote != nil {
		quote(rep.Findings, opts.Quote)
	}
	return rep, nil
}

// newReport starts the report of a run: the summary of the capture and
// of the rules that will run, no findings yet.
func newReport(snap *facts.Snapshot, views *facts.ViewSet, enabled []*rules.Rule) *Report {
	view := views.Snapshot()
	rep := &Report{
		SchemaVersion: SchemaVersion,
		Findings:      []Finding{},
		Errors:        []RuleError{},
		Summary: Summary{
			Processes: view.ProcessCount, TotalHandles: view.TotalHandles, HandlesParsed: view.HandlesParsed,
			Host: snap.Host, OSVersion: snap.OSVersion, CapturedAt: snap.CapturedAt,
			Sources: nonNilOf(snap.Sources), Diagnostics: nonNilOf(snap.Diagnostics),
			UnknownCounts: view.UnknownCounts, PartialTables: view.PartialTables,
			TopProcesses: topProcesses(views),
			RulesRun:     len(enabled),
			Rules:        []RuleRef{},
		},
	}
	for _, r := range enabled {
		rep.Summary.Rules = append(rep.Summary.Rules, RuleRef{ID: r.ID, Title: r.Title, Severity: r.Severity,
			Scope: r.Scope, Lang: r.Lang, Defined: r.Defined.String(), Remediation: r.Remediation,
			References: nonNil(r.References), Tags: nonNil(r.Tags)})
	}
	return rep
}

// top keeps the n best-ranked findings (all when n is 0), counting them
// all in the summary first.
func (r *Report) top(n int) {
	r.Summary.FindingsTotal = len(r.Findings)
	if n > 0 && len(r.Findings) > n {
		r.Findings = r.Findings[:n]
	}
}

// quote fills in the text of the findings' locations, one read per file.
// A file that cannot be read again (standard input) keeps its locations
// without text.
func quote(fs []Finding, read func(string, []int64) (map[int64]string, error)) {
	lines := map[string][]int64{}
	for _, f := range fs {
		for _, l := range f.Locations {
			if l.Line > 0 {
				lines[l.Path] = append(lines[l.Path], l.Line)
			}
		}
	}
	texts := map[string]map[int64]string{}
	for path, ls := range lines {
		if t, err := read(path, ls); err == nil {
			texts[path] = t
		}
	}
	for i := range fs {
		for j := range fs[i].Locations {
			l := &fs[i].Locations[j]
			l.Text = texts[l.Path][l.Line]
		}
	}
}

// attribution is what naming a finding's component and gathering its
// evidence take: the owner entries, the known-good modules of a stack
// walk, and the capture's memory facts.
type attribution struct {
	owners    []*rules.Owner
	knownGood []*rules.Pattern
	// memory is the capture's memory facts, the evidence of findings
	// about the capture as a whole; nil without any.
	memory *facts.Memory
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func nonNilOf[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// topProcesses lists the processes with the most handles (ViewSet.Top).
func topProcesses(views *facts.ViewSet) []ProcessCount {
	top := views.Top()
	out := make([]ProcessCount, 0, len(top))
	for _, t := range top {
		out = append(out, ProcessCount{PID: t.PID, Image: t.Image, Handles: t.Handles, Known: t.Known})
	}
	return out
}

// typeCounts orders a process's types, most handles first.
func typeCounts(byType map[string]int64) []TypeCount {
	out := make([]TypeCount, 0, len(byType))
	for t, c := range byType {
		out = append(out, TypeCount{Type: t, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Type < out[j].Type
	})
	return out
}
