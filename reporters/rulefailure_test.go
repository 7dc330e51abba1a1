package reporters_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
)

// TestRuleFailureReported: a rule that failed to evaluate (its condition
// divides by a fact that is 0) is an error of the run in every report:
// SARIF's invocation is unsuccessful with an error notification naming
// the rule, JUnit has an <error> in the rule's case, JSON lists it with
// its process, JSON Lines gives it a line; a report without failures
// says the run succeeded.
func TestRuleFailureReported(t *testing.T) {
	noFailure := func(r *engine.Report) { r.Errors = []engine.RuleError{} }
	snapshotRule := func(r *engine.Report) {
		r.Errors = []engine.RuleError{{RuleID: "T0009", Scope: "snapshot", Message: `rule "T0009": division by zero`}}
	}
	tests := []struct {
		name   string
		change func(*engine.Report)
		// want is the failure as SARIF's notification and the text report
		// say it; "" for a run without failures.
		rule, want string
	}{
		{"a process rule", func(*engine.Report) {}, "T0004", `rule T0004 failed for pid 4096 (notepad.exe): rule "T0004": division by zero`},
		{"a snapshot rule", snapshotRule, "T0009", `rule T0009 failed for the capture: rule "T0009": division by zero`},
		{"no failure", noFailure, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := fixedReport(t)
			tc.change(rep)
			failed := tc.want != ""

			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct{ Rules []struct{ ID string } }
					}
					Invocations []struct {
						ExecutionSuccessful        bool
						ToolExecutionNotifications []struct {
							Level          string
							Message        struct{ Text string }
							AssociatedRule *struct {
								ID    string
								Index *int
							}
						}
					}
				}
			}
			if err := json.Unmarshal(writeSARIF(t, rep), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			inv := run.Invocations[0]
			if inv.ExecutionSuccessful == failed {
				t.Errorf("SARIF executionSuccessful = %v, want %v", inv.ExecutionSuccessful, !failed)
			}
			if failed {
				if len(inv.ToolExecutionNotifications) != 1 {
					t.Fatalf("SARIF has %d notifications, want 1", len(inv.ToolExecutionNotifications))
				}
				n := inv.ToolExecutionNotifications[0]
				if n.Level != "error" || n.Message.Text != tc.want || n.AssociatedRule == nil || n.AssociatedRule.ID != tc.rule ||
					n.AssociatedRule.Index == nil || run.Tool.Driver.Rules[*n.AssociatedRule.Index].ID != tc.rule {
					t.Errorf("SARIF notification %+v, want an error %q associated with rule %s and its index", n, tc.want, tc.rule)
				}
			}

			text := string(write(t, "text", false, rep))
			if got := strings.Contains(text, tc.want); failed && !got {
				t.Errorf("text report does not say %q:\n%s", tc.want, text)
			}

			var doc struct {
				Errors []engine.RuleError `json:"errors"`
			}
			if err := json.Unmarshal(write(t, "json", false, rep), &doc); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rep.Errors, doc.Errors); diff != "" {
				t.Errorf("JSON errors (-want +got):\n%s", diff)
			}

			var kinds []string
			for _, l := range jsonlLines(t, writeJSONL(t, rep)) {
				if l["kind"] == "rule_error" {
					kinds = append(kinds, l["rule_id"].(string))
					if _, hasPID := l["pid"]; hasPID != (l["scope"] == "process") {
						t.Errorf("rule_error line %v: a pid exactly when the scope is process", l)
					}
				}
			}
			if got := len(kinds) == 1 && kinds[0] == tc.rule; got != failed {
				t.Errorf("JSON Lines rule_error lines for %v, want %q", kinds, tc.rule)
			}

			suite := parseJUnit(t, writeJUnit(t, rep, "never")).Suites[0]
			inError := ""
			for _, c := range suite.Cases {
				if c.Error != nil {
					inError = strings.Fields(c.Name)[0]
				}
			}
			if inError != tc.rule || (suite.Errors == 1) != failed {
				t.Errorf("JUnit: case in error %q, %d errors; want %q", inError, suite.Errors, tc.rule)
			}
		})
	}
}
