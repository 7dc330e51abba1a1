package rulesd_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/corpus"
	"github.com/leakdiag/leakdiag/internal/kdgen"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
	"github.com/leakdiag/leakdiag/severity"
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
		if f.Severity.AtLeast(severity.Warning) {
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

// The bundled !htrace -diff example: the DLL the open stacks pass through
// first outside Windows is named, with its vendor from the example's owner
// map, and the chain that led there.
func TestHtraceExampleNamesTheDLL(t *testing.T) {
	snap, err := dumpreader.ReadFile("../testdata/examples/htrace-diff-contoso-hook-events.txt", dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var srcs []rules.Source
	defaults, _ := rules.ReadDir(rulesd.FS, ".")
	site, err := rules.ReadDir(os.DirFS("../testdata/examples/contoso-rules"), ".")
	if err != nil {
		t.Fatal(err)
	}
	srcs = append(append(srcs, defaults...), site...)
	set, err := rules.Load(srcs)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Run(context.Background(), set, snap, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Findings[0]
	c := f.Component
	if f.RuleID != "LD0010" || f.Severity != "error" || c.Name != "Contoso Telemetry Hook" || c.Vendor != "Contoso Ltd." ||
		c.InferredFrom != "stack+owner:module" ||
		!strings.Contains(c.Reason, "247 of 271 open Event handles with stacks were created at contosohook!TelemetryQueue::Post+0x42") ||
		!strings.Contains(c.Reason, "called from contosohook!TelemetryQueue::Flush+0x1b7 <- ContosoAgent!SendHeartbeat+0x9a") {
		t.Errorf("first finding %s %s, component %+v", f.RuleID, f.Severity, c)
	}
}

// In the public captures, the blamed frame is the first outside the
// known-good modules, or there is none when every frame is Windows' or
// .NET's (the excerpts are cut short).
func TestHtraceCorpusBlame(t *testing.T) {
	dir := corpus.Path(t, "htrace")
	srcs, _ := rules.ReadDir(rulesd.FS, ".")
	srcs = append(srcs, rules.Source{Path: "any.yaml", Data: []byte("rules:\n  - id: ANY\n    title: any traced process\n    when: process.open_traced > 0\n")})
	set, err := rules.Load(srcs)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"htrace-um-x64-win81-winhttp-dotnet-corefx-2793.txt":            "winhttp!OpenIeKey+0x5c",
		"htrace-um-x64-win7-clr-dotnet-coreclr-24438.txt":               "",
		"htrace-um-x64-win10-mscorlib-event-orleans-4516-truncated.txt": "",
	} {
		snap, err := dumpreader.ReadFile(filepath.Join(dir, file), dumpreader.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := engine.Run(context.Background(), set, snap, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, f := range rep.Findings {
			if f.RuleID == "ANY" && f.Component.InferredFrom == "stack" {
				got = strings.SplitN(strings.SplitN(f.Component.Reason, " created at ", 2)[1], " ", 2)[0]
			}
		}
		if got != want {
			t.Errorf("%s: blamed %q, want %q", file, got, want)
		}
	}
}
