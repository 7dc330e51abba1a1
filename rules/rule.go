package rules

import (
	"fmt"
	"math"
	"text/template"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// Scopes: what a rule's condition is evaluated over.
const (
	// ScopeProcess: once per process, with `process` and `snapshot`.
	ScopeProcess = "process"
	// ScopeSnapshot: once per capture, with `snapshot` only.
	ScopeSnapshot = "snapshot"
)

// Dialects of conditions.
const (
	LangCEL  = "cel"
	LangExpr = "expr"
)

// Rule is a rule after layering: its definition merged with every later
// override, compiled.
type Rule struct {
	ID, Title   string
	Scope, Lang string
	Severity    severity.Level
	When        string
	Score       string // "" for the default score
	Message     string
	// Component is the template that names the component behind a
	// snapshot-scope finding (a driver, a pool tag's owner), "" for
	// none: a process's component is inferred from the process.
	Component   string
	Remediation string
	References  []string
	Tags        []string
	Enabled     bool
	// Defined is where the rule was defined; Overridden where later
	// files changed it, in order.
	Defined    Pos
	Overridden []Pos
	// From is where each of the rule's own keys was last set ("when",
	// "severity", and its own params as "params.threshold"); a key
	// without an entry has its default or, for a param, the files'
	// value: SetAt answers for those too. A table param merged over
	// several files names the last file that changed it.
	From map[string]Pos
	// Exceptions keep the rule quiet where all of one's comparisons
	// hold: the rule's own and every override's, in order.
	Exceptions []*Exception

	// params are what the rule sees as params.* (Params);
	// sharedFrom is where each of the files' params was last set.
	params     paramSet
	sharedFrom map[string]Pos
	// msgParams are the params its message and component read; msgCost
	// their estimated steps (messageBounds).
	msgParams map[string]any
	msgCost   int

	cond    evaluator
	score   evaluator
	explain *explainerOnce
	msg     *template.Template
	comp    *template.Template
}

// evaluator is a compiled condition or score. Its eval is safe for
// concurrent use.
type evaluator interface {
	eval(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (any, error)
}

// ruleEnv is what a rule's expressions are compiled against.
type ruleEnv struct {
	ruleID string
	scope  string
	params paramSet
	lists  map[string][]string
	// checked and record are loadOptions'.
	checked, record *CheckedCEL
}

// Match evaluates the rule's condition for a process (nil for a
// snapshot-scope rule).
func (r *Rule) Match(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (bool, error) {
	if r.cond == nil {
		return false, fmt.Errorf("rule %q has no compiled condition", r.ID)
	}
	out, err := r.cond.eval(snap, proc)
	if err != nil {
		return false, r.evalError("condition", err)
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("rule %q: condition yielded %T, not a bool", r.ID, out)
	}
	if b && r.exceptedBy(snap, proc) != nil {
		return false, nil
	}
	return b, nil
}

// ScoreOf evaluates the rule's score, or the default: a process finding
// scores its handle count (the bigger leak first), a snapshot finding 1.
func (r *Rule) ScoreOf(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (float64, error) {
	if r.score == nil {
		if proc != nil {
			return float64(proc.Handles), nil
		}
		return 1, nil
	}
	out, err := r.score.eval(snap, proc)
	if err != nil {
		return 0, r.evalError("score", err)
	}
	var v float64
	switch x := out.(type) {
	case float64:
		v = x
	case int64:
		v = float64(x)
	case uint64:
		v = float64(x)
	case int:
		v = float64(x)
	default:
		return 0, fmt.Errorf("rule %q: score yielded %T, not a number", r.ID, out)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("rule %q: score is %v, not a finite number", r.ID, v)
	}
	return v, nil
}
