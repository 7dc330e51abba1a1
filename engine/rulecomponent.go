package engine

import (
	"fmt"

	"github.com/leakdiag/leakdiag/rules"
)

// captureComponent names the component behind a finding about the
// capture as a whole: the one the rule's component template names from
// the facts (a driver, a pool tag's owner), with the owner entry whose
// module pattern matches it, or none.
func captureComponent(owners []*rules.Owner, r *rules.Rule, named string) Component {
	if named == "" {
		return Component{Name: "(the capture)", InferredFrom: InferredCapture, Reason: "a finding about the capture as a whole"}
	}
	reason := fmt.Sprintf("rule %s names it from the capture's facts", r.ID)
	// A module pattern with a function part never matches: the facts
	// name a module, not code in it.
	mod := rules.ModuleBase(named)
	var best *rules.Owner
	bestSpec := -1
	for _, o := range owners {
		if o.Module == nil || o.Image != nil || o.ObjectName != nil || !o.MatchFrame(mod, "", false) {
			continue
		}
		if s := specificity(o); s > bestSpec {
			best, bestSpec = o, s
		}
	}
	if best != nil {
		return Component{Name: best.Component, Vendor: best.Vendor, Contact: best.Contact, InferredFrom: InferredRuleOwner,
			Reason: fmt.Sprintf("%s (%s); the owner entry at %s (module %s) assigns it", reason, named, best.Pos, best.Module.Text)}
	}
	return Component{Name: named, InferredFrom: InferredRule, Reason: reason}
}
