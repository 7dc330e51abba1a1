package rulesd_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/kdgen"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// analyzeCapture reads a generated kd capture and runs the default rules
// over it, the whole way leakdiag analyze does.
func analyzeCapture(t *testing.T, cfg kdgen.Config) *engine.Report {
	t.Helper()
	var buf bytes.Buffer
	if _, err := kdgen.Write(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	snap, err := dumpreader.Read(&buf, "gen.txt", dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := rules.ReadDir(rulesd.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(srcs)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Run(context.Background(), set, snap, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("rule errors: %+v", rep.Errors)
	}
	return rep
}

// A busy machine without a leak, as kd prints it: no warning.
func TestHealthyGeneratedCaptureGivesNoWarning(t *testing.T) {
	rep := analyzeCapture(t, kdgen.Config{Processes: 60, Handles: 60_000, Seed: 3})
	for _, f := range rep.Findings {
		if rules.SeverityRank(f.Severity) >= rules.SeverityRank(rules.SevWarning) {
			t.Errorf("finding on a healthy machine: %s %s: %s", f.RuleID, f.Severity, f.Message)
		}
	}
}

// The same machine with a vendor service leaking handles to one registry
// key: the service ranks first and the vendor is named from the key.
func TestGeneratedRegistryLeakNamesVendor(t *testing.T) {
	rep := analyzeCapture(t, kdgen.Config{Processes: 60, Handles: 90_000, Seed: 3, Leaks: []kdgen.Leak{{
		Image: "FabrikamBackupSvc.exe", Type: "Key", Share: 0.35,
		Name: `\REGISTRY\MACHINE\SOFTWARE\WOW6432Node\Fabrikam\Backup\Jobs`,
	}}})
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	f := rep.Findings[0]
	if f.Process == nil || f.Process.Image != "FabrikamBackupSvc.exe" || f.Component.Vendor != "Fabrikam" ||
		f.Component.Name != "Fabrikam Backup" || f.Component.InferredFrom != "object_name:registry" {
		t.Errorf("first finding: %s on %+v, component %+v", f.RuleID, f.Process, f.Component)
	}
}
