package reporters

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
)

// ExplainText writes analyze --explain's report: per rule, its condition,
// then per process the values the condition read, whether it fired, and
// the parts of the condition that decided it. Strings from the capture
// and the rules are escaped for a terminal (termEscape).
func ExplainText(w io.Writer, xs []engine.Explained) error {
	b := &strings.Builder{}
	last := ""
	for _, x := range xs {
		if x.RuleID != last {
			if last != "" {
				b.WriteByte('\n')
			}
			last = x.RuleID
			termf(b, "%s  %s\n", x.RuleID, x.Title)
			state := ""
			if !x.Enabled {
				state = ", disabled: analyze does not run it"
			}
			termf(b, "  %s, %s scope, %s, defined at %s%s\n", x.Severity, x.Scope, x.Lang, x.Defined, state)
			termf(b, "  when: %s\n", termLines(strings.TrimSpace(x.When), "        "))
		}
		b.WriteByte('\n')
		who := "the capture"
		if x.Process != nil {
			who = fmt.Sprintf("pid %d %s", x.Process.PID, x.Process.Image)
			if x.Process.Source.Path != "" {
				who += fmt.Sprintf(" (%s)", x.Process.Source)
			}
		}
		termf(b, "  %s: %s\n", who, verdict(x))
		width := 0
		for _, v := range x.Values {
			width = max(width, len(v.Name))
		}
		for _, v := range x.Values {
			termf(b, "    %-*s = %s\n", width, v.Name, v.Value)
		}
		switch {
		case strings.HasPrefix(x.Result, "error:"):
			// The verdict says it.
		default:
			for i, p := range x.Condition.Why() {
				label := "decided by:"
				if i > 0 {
					label = strings.Repeat(" ", len(label))
				}
				termf(b, "    %s %s is %s\n", label, termLines(p.Source, "      "), p.Value)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// verdict says how a rule came out for one process, from the explanation
// the engine gave.
func verdict(x engine.Explained) string {
	switch {
	case x.Fired:
		return "fired"
	case x.Exception != nil:
		return fmt.Sprintf("the condition held, but exception %q (%s) keeps the rule quiet: %s",
			x.Exception.Name, x.Exception.Defined, x.Exception.Reason)
	case strings.HasPrefix(x.Result, "error:"):
		return "not fired: the condition failed: " + strings.TrimPrefix(x.Result, "error: ")
	}
	return "not fired"
}

// ExplainJSON writes analyze --explain's report as JSON: an object with
// schema_version and the explanations, each with the rule, the process,
// the values read and the condition's parts with their values.
func ExplainJSON(w io.Writer, xs []engine.Explained) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		SchemaVersion int                `json:"schema_version"`
		Explanations  []engine.Explained `json:"explanations"`
	}{engine.SchemaVersion, xs})
}
