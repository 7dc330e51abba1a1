package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// A snapshot-scope rule's component template names the component of its
// finding; an owner entry for that module gives its vendor; a template
// that prints nothing leaves the capture as the subject.
func TestCaptureComponentFromRule(t *testing.T) {
	const ruleFile = `
rules:
  - id: DRV1
    title: a driver left pool allocations when it unloaded
    scope: snapshot
    when: snapshot.driver_pool_leak_allocations > 0
    component: '{{with .snapshot.driver_pool_leak_driver}}{{.}}{{else}}{{.params.unnamed}}{{end}}'
    params:
      unnamed: ""
    message: '{{.snapshot.driver_pool_leak_driver}} left {{.snapshot.driver_pool_leak_allocations}} allocations'
`
	const owners = `
owners:
  - match: {module: fabrikam*}
    component: Fabrikam Filter
    vendor: Fabrikam, Inc.
    contact: support@fabrikam.example
  - match: {image: fabrikam*}
    component: Fabrikam by image
`
	const unnamed = `
rules:
  - id: DRV1
    override: true
    params:
      unnamed: a driver Verifier does not name
`
	snapWith := func(driver string) *facts.Snapshot {
		b := facts.NewBuilder()
		b.AddDriverPoolLeak(facts.DriverPoolLeak{Driver: driver, Allocations: 2})
		return b.Snapshot()
	}
	for _, tc := range []struct {
		name   string
		files  []string
		driver string
		want   engine.Component
	}{
		{"named by the facts", []string{ruleFile}, "contosoflt.sys",
			engine.Component{Name: "contosoflt.sys", InferredFrom: engine.InferredRule, Reason: "rule DRV1 names it from the capture's facts"}},
		{"an owner entry for the module", []string{ruleFile, owners}, "FabrikamFlt.sys",
			engine.Component{Name: "Fabrikam Filter", Vendor: "Fabrikam, Inc.", Contact: "support@fabrikam.example", InferredFrom: engine.InferredRuleOwner,
				Reason: "rule DRV1 names it from the capture's facts (FabrikamFlt.sys); the owner entry at rules1.yaml:3:5 (module fabrikam*) assigns it"}},
		{"not named", []string{ruleFile, owners}, "",
			engine.Component{Name: "(the capture)", InferredFrom: engine.InferredCapture, Reason: "a finding about the capture as a whole"}},
		{"a param only the component reads", []string{ruleFile, unnamed}, "",
			engine.Component{Name: "a driver Verifier does not name", InferredFrom: engine.InferredRule, Reason: "rule DRV1 names it from the capture's facts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := load(t, tc.files...)
			if len(set.Warnings) > 0 {
				t.Errorf("warnings: %v", set.Warnings)
			}
			rep := run(t, set, snapWith(tc.driver), engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			if diff := cmp.Diff(tc.want, rep.Findings[0].Component); diff != "" {
				t.Errorf("component (-want +got):\n%s", diff)
			}
		})
	}
}
