package engine

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// evaluate runs every enabled rule: snapshot-scope rules once,
// process-scope rules over every process, and returns what each rule gave,
// in rule order.
//
// The processes' facts are built a block at a time, their rules evaluated,
// and let go: the facts of all processes at once would take more memory
// than the snapshot. Within a block, each rule runs over every process
// before the next rule does, which keeps a rule's program in the
// processor's caches (a process at a time, the default rules ran 12%
// slower). Blocks are spread over workers (each builds its own blocks'
// facts) and their outcomes joined in block order, then rule order, so
// the report is the one a single goroutine running rule by rule over all
// processes gives.
func evaluate(ctx context.Context, enabled []*rules.Rule, attr attribution, each facts.Processes, views *facts.ViewSet, workers int) ([]outcome, error) {
	view := views.Snapshot()
	outs := make([]outcome, len(enabled))
	var perProcess []*rules.Rule
	var at []int // the index in enabled of each of perProcess
	for k, r := range enabled {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.Scope == rules.ScopeSnapshot {
			outs[k].evaluate(r, &attr, view, nil, nil)
			continue
		}
		perProcess, at = append(perProcess, r), append(at, k)
	}
	if len(perProcess) == 0 {
		return outs, nil
	}
	blocks, err := blockOutcomes(ctx, perProcess, &attr, each, views, workers)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, b := range blocks {
		for i, k := range at {
			outs[k].join(b[i])
		}
	}
	return outs, nil
}

// blockOutcomes evaluates the process-scope rules over every block of
// viewBlock processes, on workers goroutines (0: one per processor), and
// returns each block's outcomes, one per rule. One goroutine reads the
// processes (each, in order: a snapshot's, or a stream's decoded anew)
// into blocks, which the workers take as they come; it stops once ctx is
// done, and the caller looks at ctx. A few blocks are held at a time.
func blockOutcomes(ctx context.Context, rs []*rules.Rule, attr *attribution, each facts.Processes, views *facts.ViewSet, workers int) ([][]outcome, error) {
	n := views.Len()
	out := make([][]outcome, (n+viewBlock-1)/viewBlock)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(out))
	type block struct {
		b  int
		ps []*facts.Process
	}
	blocks := make(chan block, workers)
	var readErr error
	go func() {
		defer close(blocks)
		cur := block{ps: make([]*facts.Process, 0, viewBlock)}
		i := 0
		readErr = each(func(p *facts.Process) error {
			if i >= n {
				return errMoreProcesses
			}
			i++
			if cur.ps = append(cur.ps, p); len(cur.ps) == viewBlock {
				if err := ctx.Err(); err != nil {
					return err
				}
				blocks <- cur
				cur = block{b: cur.b + 1, ps: make([]*facts.Process, 0, viewBlock)}
			}
			return nil
		})
		switch {
		case readErr == nil && i < n:
			readErr = errMoreProcesses
		case readErr == nil && len(cur.ps) > 0:
			blocks <- cur
		}
	}()
	work := func() {
		view := views.Snapshot()
		pfs := make([]facts.ProcessFacts, min(n, viewBlock))
		for bl := range blocks {
			if ctx.Err() != nil {
				continue // drained, so the reader is not left waiting
			}
			start := bl.b * viewBlock
			pfs = pfs[:len(bl.ps)]
			for j, p := range bl.ps {
				views.ProcessInto(start+j, p, &pfs[j])
			}
			res := make([]outcome, len(rs))
			for i, r := range rs {
				for j := range pfs {
					res[i].evaluate(r, attr, view, &pfs[j], bl.ps[j])
				}
			}
			out[bl.b] = res
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if readErr != nil && ctx.Err() == nil {
		return nil, readErr
	}
	return out, nil
}

// errMoreProcesses: the processes read are not as many as those the
// capture-wide figures were worked out from (a stream's file changed
// between its reads).
var errMoreProcesses = errors.New("the capture's processes changed while it was read: its count differs from one read to the next")

// viewBlock is how many processes' facts are held at a time by one
// worker; the context is looked at between blocks.
const viewBlock = 256

// outcome is what one rule gave: its findings and its errors.
type outcome struct {
	findings []Finding
	errors   []RuleError
}

// evaluate runs one rule for one process (nil for snapshot scope) and adds
// the finding if it fires.
func (o *outcome) evaluate(r *rules.Rule, attr *attribution, view *facts.SnapshotFacts, pf *facts.ProcessFacts, p *facts.Process) {
	fired, err := r.Match(view, pf)
	if err == nil && fired {
		var score float64
		score, err = r.ScoreOf(view, pf)
		if err == nil {
			var msg, named string
			if msg, err = r.Render(view, pf); err == nil && p == nil {
				named, err = r.RenderComponent(view)
			}
			if err == nil {
				o.findings = append(o.findings, newFinding(r, attr, score, msg, named, view, pf, p))
			}
		}
	}
	if err != nil {
		o.ruleFailed(r.ID, p, err)
	}
}

// errorsPerRule caps the errors kept for one rule: a rule that fails for
// every one of 10,000 processes needs saying once, with a count.
const errorsPerRule = 10

// join adds what the rule gave over the next processes, b, after what it
// gave over those before: the errors kept are still the first
// errorsPerRule, the last counting the rest.
func (o *outcome) join(b outcome) {
	o.findings = append(o.findings, b.findings...)
	for _, e := range b.errors {
		if len(o.errors) == errorsPerRule {
			o.errors[errorsPerRule-1].More += 1 + e.More
			continue
		}
		o.errors = append(o.errors, e)
	}
}

func (o *outcome) ruleFailed(id string, p *facts.Process, err error) {
	if len(o.errors) == errorsPerRule {
		o.errors[errorsPerRule-1].More++
		return
	}
	e := RuleError{RuleID: id, Scope: rules.ScopeSnapshot, Message: err.Error()}
	if p != nil {
		e.Scope, e.PID, e.Image = rules.ScopeProcess, p.PID, p.Image
	}
	o.errors = append(o.errors, e)
}

// newFinding makes the finding of rule r about process p, or about the
// capture (p nil), whose component the rule named (named, "" for none).
func newFinding(r *rules.Rule, attr *attribution, score float64, msg, named string, view *facts.SnapshotFacts, pf *facts.ProcessFacts, p *facts.Process) Finding {
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
		f.Component = captureComponent(attr.owners, r, named)
		if view != nil {
			f.Evidence, f.Locations = snapshotEvidence(r, view, attr.memory)
		}
	}
	f.Fingerprint = fingerprint(&f)
	return f
}
