package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
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
}

// Run evaluates the enabled rules of set over snap and returns the ranked
// findings. It stops early, with ctx's error, when ctx is cancelled.
func Run(ctx context.Context, set *rules.Set, snap *facts.Snapshot, opts Options) (*Report, error) {
	view, procs := facts.Views(snap)
	return run(ctx, set, snap, view, procs, opts)
}

// RunSeries evaluates the rules over the last capture of a series, with
// each process's growth across the series among its facts (growth_*).
func RunSeries(ctx context.Context, set *rules.Set, s *facts.Series, opts Options) (*Report, error) {
	view, procs := facts.SeriesViews(s)
	rep, err := run(ctx, set, s.Points[len(s.Points)-1].Snapshot, view, procs, opts)
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

func run(ctx context.Context, set *rules.Set, snap *facts.Snapshot, view facts.SnapshotFacts, procs []facts.ProcessFacts, opts Options) (*Report, error) {
	rep := &Report{
		SchemaVersion: SchemaVersion,
		Findings:      []Finding{},
		Errors:        []RuleError{},
		Summary: Summary{
			Processes: view.ProcessCount, TotalHandles: view.TotalHandles, HandlesParsed: view.HandlesParsed,
			Host: snap.Host, OSVersion: snap.OSVersion, CapturedAt: snap.CapturedAt,
			Sources: nonNilOf(snap.Sources), Diagnostics: nonNilOf(snap.Diagnostics),
			UnknownCounts: view.UnknownCounts, PartialTables: view.PartialTables,
			TopProcesses: topProcesses(snap.Processes, procs),
			Rules:        []RuleRef{},
		},
	}
	enabled := set.Enabled()
	rep.Summary.RulesRun = len(enabled)
	for _, r := range enabled {
		rep.Summary.Rules = append(rep.Summary.Rules, RuleRef{ID: r.ID, Title: r.Title, Severity: r.Severity,
			Scope: r.Scope, Lang: r.Lang, Defined: r.Defined.String(), Remediation: r.Remediation,
			References: nonNil(r.References), Tags: nonNil(r.Tags)})
	}
	ctxAttr := attribution{owners: set.Owners}
	for _, g := range set.Lists[knownGoodList] {
		if p, err := rules.NewPattern(strings.ToLower(g)); err == nil {
			ctxAttr.knownGood = append(ctxAttr.knownGood, p)
		}
	}
	for _, r := range enabled {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.Scope == rules.ScopeSnapshot {
			rep.evaluate(r, &ctxAttr, &view, nil, nil)
			continue
		}
		for i := range procs {
			rep.evaluate(r, &ctxAttr, &view, &procs[i], snap.Processes[i])
		}
	}
	rep.filter(&opts)
	rank(rep.Findings)
	rep.Summary.FindingsTotal = len(rep.Findings)
	if opts.Top > 0 && len(rep.Findings) > opts.Top {
		rep.Findings = rep.Findings[:opts.Top]
	}
	if opts.Quote != nil {
		quote(rep.Findings, opts.Quote)
	}
	return rep, nil
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

// evaluate runs one rule for one process (nil for snapshot scope) and adds
// the finding if it fires.
// attribution is what naming a component takes: the owner entries and the
// known-good modules of a stack walk.
type attribution struct {
	owners    []*rules.Owner
	knownGood []*rules.Pattern
}

func (rep *Report) evaluate(r *rules.Rule, attr *attribution, view *facts.SnapshotFacts, pf *facts.ProcessFacts, p *facts.Process) {
	fired, err := r.Match(view, pf)
	if err == nil && fired {
		var score float64
		score, err = r.ScoreOf(view, pf)
		if err == nil {
			var msg string
			if msg, err = r.Render(view, pf); err == nil {
				rep.Findings = append(rep.Findings, newFinding(r, attr, score, msg, pf, p))
			}
		}
	}
	if err != nil {
		rep.ruleFailed(r.ID, p, err)
	}
}

// errorsPerRule caps the errors kept for one rule: a rule that fails for
// every one of 10,000 processes needs saying once, with a count.
const errorsPerRule = 10

func (rep *Report) ruleFailed(id string, p *facts.Process, err error) {
	n := 0
	for i := range rep.Errors {
		if rep.Errors[i].RuleID == id {
			n++
			if n == errorsPerRule {
				rep.Errors[i].More++
				return
			}
		}
	}
	e := RuleError{RuleID: id, Scope: rules.ScopeSnapshot, Message: err.Error()}
	if p != nil {
		e.Scope, e.PID, e.Image = rules.ScopeProcess, p.PID, p.Image
	}
	rep.Errors = append(rep.Errors, e)
}

func newFinding(r *rules.Rule, attr *attribution, score float64, msg string, pf *facts.ProcessFacts, p *facts.Process) Finding {
	f := Finding{
		RuleID: r.ID, Title: r.Title, Severity: r.Severity, Score: score, Message: msg,
		Remediation: r.Remediation, References: nonNil(r.References), Tags: nonNil(r.Tags),
		Evidence: []Evidence{}, Locations: []Location{},
	}
	f.Types, f.Names, f.Stacks = []TypeCount{}, []facts.NameCount{}, []facts.Stack{}
	if p != nil {
		f.Process = &ProcessRef{PID: p.PID, Image: p.Image, Path: p.Path, Address: p.Address, Source: p.Source}
		f.Evidence, f.Locations = evidence(pf, p)
		f.Types = typeCounts(p.ByType)
		f.Names = append(f.Names, p.TopNames...)
		f.Stacks = append(f.Stacks, p.OpenStacks[:min(len(p.OpenStacks), 5)]...)
		f.Component = attribute(attr.owners, attr.knownGood, p)
	} else {
		f.Component = Component{Name: "(the capture)", InferredFrom: "capture", Reason: "a finding about the capture as a whole"}
	}
	f.Fingerprint = fingerprint(&f)
	return f
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

// topProcesses lists the processes with the most handles, in a total
// order (handles, pid, image, address) whatever the snapshot's order.
func topProcesses(ps []*facts.Process, views []facts.ProcessFacts) []ProcessCount {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := views[idx[a]], views[idx[b]]
		switch {
		case x.Handles != y.Handles:
			return x.Handles > y.Handles
		case x.PID != y.PID:
			return x.PID < y.PID
		case x.Image != y.Image:
			return x.Image < y.Image
		}
		return ps[idx[a]].Address < ps[idx[b]].Address
	})
	out := make([]ProcessCount, 0, min(len(idx), TopProcessesLimit))
	for _, i := range idx[:min(len(idx), TopProcessesLimit)] {
		v := views[i]
		out = append(out, ProcessCount{PID: uint64(v.PID), Image: v.Image, Handles: v.Handles, Known: v.HandleCountKnown})
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
