package engine

import (
	"fmt"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
	"github.com/leakdiag/leakdiag/severity"
)

// Explained is how one rule came out for one process, or for the capture
// as a whole for a snapshot-scope rule.
type Explained struct {
	RuleID   string         `json:"rule"`
	Title    string         `json:"title"`
	Severity severity.Level `json:"severity"`
	Scope    string         `json:"scope"`
	Lang     string         `json:"lang"`
	When     string         `json:"when"`
	Defined  string         `json:"defined"`
	Enabled  bool           `json:"enabled"`
	// Process is nil for a snapshot-scope rule.
	Process *ProcessRef `json:"process,omitempty"`
	*rules.Explanation
}

// ExplainOptions choose what to explain: one rule (by id) or every enabled
// one, one process (by pid) or every one.
type ExplainOptions struct {
	RuleID string
	PID    *uint64
}

// Explain evaluates rules over snap as Run does and says, for each rule
// and process, what the condition read and why it came out as it did. A
// rule named by id is explained even if disabled.
func Explain(set *rules.Set, snap *facts.Snapshot, opts ExplainOptions) ([]Explained, error) {
	return explain(set, snap, facts.NewViewSet(snap), opts)
}

// ExplainSeries explains the rules over the last capture of a series, with
// each process's growth across it known, as RunSeries runs them.
func ExplainSeries(set *rules.Set, s *facts.Series, opts ExplainOptions) ([]Explained, error) {
	return explain(set, s.Points[len(s.Points)-1].Snapshot, facts.NewSeriesViewSet(s), opts)
}

func explain(set *rules.Set, snap *facts.Snapshot, views *facts.ViewSet, opts ExplainOptions) ([]Explained, error) {
	list := set.Enabled()
	if opts.RuleID != "" {
		r, err := set.Rule(opts.RuleID)
		if err != nil {
			return nil, err
		}
		list = []*rules.Rule{r}
	}
	view := views.Snapshot()
	var pick []int
	for i, p := range snap.Processes {
		if opts.PID == nil || p.PID == *opts.PID {
			pick = append(pick, i)
		}
	}
	if opts.PID != nil && len(pick) == 0 {
		return nil, fmt.Errorf("no process with pid %d in the capture", *opts.PID)
	}
	procs := make([]facts.ProcessFacts, len(pick))
	for k, i := range pick {
		procs[k] = views.Process(i)
	}
	out := []Explained{}
	for _, r := range list {
		base := Explained{RuleID: r.ID, Title: r.Title, Severity: r.Severity, Scope: r.Scope, Lang: r.Lang,
			When: r.When, Defined: r.Defined.String(), Enabled: r.Enabled}
		if r.Scope == rules.ScopeSnapshot {
			x, err := r.Explain(view, nil)
			if err != nil {
				return nil, err
			}
			base.Explanation = x
			out = append(out, base)
			continue
		}
		for k, i := range pick {
			x, err := r.Explain(view, &procs[k])
			if err != nil {
				return nil, err
			}
			e := base
			p := snap.Processes[i]
			e.Process = &ProcessRef{PID: p.PID, Image: p.Image, Address: p.Address, Source: p.Source}
			e.Explanation = x
			out = append(out, e)
		}
	}
	return out, nil
}
