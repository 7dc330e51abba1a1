package rules

import (
	"errors"
	"fmt"

	"github.com/google/cel-go/interpreter"
)

// LimitError is an evaluation that a bound stopped: a CEL condition or
// score over its cost limit, an expr one over its meter's, a message over
// its size. It names the rule and where the part that went over is
// written, as load errors do:
//
//	site/rules.yaml:12:11: rule "SITE0001": condition: evaluation cost over the limit of 100000 ...
type LimitError struct {
	Pos    Pos
	RuleID string
	// Part is "condition", "score" or "message".
	Part string
	Err  error
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s: rule %q: %s: %v", e.Pos, e.RuleID, e.Part, e.Err)
}

func (e *LimitError) Unwrap() error { return e.Err }

// partKeys are the keys of a rule that hold each part.
var partKeys = map[string]string{"condition": "when", "score": "score", "message": "message"}

// evalError is the error of a part of r that failed to evaluate: a
// LimitError when a bound stopped it, else the error with the rule's id.
func (r *Rule) evalError(part string, err error) error {
	if overLimit(err) {
		pos, ok := r.SetAt(partKeys[part])
		if !ok {
			pos = r.Defined
		}
		return &LimitError{Pos: pos, RuleID: r.ID, Part: part, Err: err}
	}
	if part == "condition" {
		return fmt.Errorf("rule %q: %w", r.ID, err)
	}
	return fmt.Errorf("rule %q: %s: %w", r.ID, part, err)
}

func overLimit(err error) bool {
	var cancelled interpreter.EvalCancelledError
	if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded {
		return true
	}
	return errors.Is(err, errExprCost) || errors.Is(err, errMessageSize)
}
