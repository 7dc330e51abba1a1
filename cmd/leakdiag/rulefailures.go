package main

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// errRulesFailed marks a run in which rules failed to evaluate (a
// division by zero, CEL's cost limit, expr's memory budget): where they
// failed, their findings are unknown, and a capture could otherwise
// switch rules off and keep CI green. So the run is no pass whatever
// --fail-on says: exit 2, after the reports (which name each failure)
// are written.
type errRulesFailed struct {
	ids      []string
	failures int
}

func (e errRulesFailed) Error() string {
	what := "rules " + strings.Join(e.ids, ", ")
	if len(e.ids) == 1 {
		what = "rule " + e.ids[0]
	}
	return fmt.Sprintf("%s failed to evaluate (%s): their findings there are unknown; the report names each failure",
		what, facts.Plural(e.failures, "failure"))
}

// ruleFailures is an errRulesFailed for the rules that failed in any of
// the reports, or nil.
func ruleFailures(reports ...*engine.Report) error {
	var e errRulesFailed
	seen := map[string]bool{}
	for _, r := range reports {
		if r == nil {
			continue
		}
		for _, re := range r.Errors {
			e.failures += 1 + re.More
		}
		for _, id := range r.FailedRules() {
			if !seen[id] {
				seen[id] = true
				e.ids = append(e.ids, id)
			}
		}
	}
	if e.failures == 0 {
		return nil
	}
	return e
}
