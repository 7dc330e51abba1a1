package engine_test

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// knownGood is the list of modules a stack walk passes over, as the
// default rules give it (a subset: what these cases need).
const knownGood = `
lists:
  known_good_modules: [ntdll, kernelbase, kernel32, ucrtbase, msvcrt, msvcp*, vcruntime*, libwinpthread*, libstdc++*, libgcc*, verifier, vfbasics, vfprint, vrfcore]
`

// TestStackAttributionSkipsRuntimesVerifierAndUnresolved walks stacks whose
// top frames are Windows, the C and C++ runtimes, Application Verifier's
// layers and addresses without a module: none of them is blamed.
func TestStackAttributionSkipsRuntimesVerifierAndUnresolved(t *testing.T) {
	for _, tc := range []struct {
		name      string
		frames    []string
		component string
		from      string
		reasonHas string
		reasonNot string
	}{
		{"verifier layers and the runtime above the application",
			[]string{"ntdll!NtCreateEvent+0x14", "verifier!AVrfpNtCreateEvent+0x81", "KERNELBASE!CreateEventW+0x65",
				"vfbasics!AVrfpCreateEventW+0x79", "ucrtbase!_beginthreadex+0x3a", "Fabrikam!Session::Open+0x80"},
			"Fabrikam", "stack", "Fabrikam!Session::Open+0x80", unresolvedWords},
		{"an unresolved frame is skipped, not blamed",
			[]string{"ntdll!NtCreateFile+0x14", "+0x5e1c8322", "0x7ff6a1b2c3d4", "libstdc++-6!std::basic_filebuf::open+0x20", "Contoso!Log::Reopen+0x1c"},
			"Contoso", "stack", "Contoso!Log::Reopen+0x1c", unresolvedWords},
		{"nothing resolved outside the known-good modules: the finding says so",
			[]string{"ntdll!NtCreateEvent+0x14", "KERNELBASE!CreateEventW+0x65", "+0x5e1c8322", "msvcrt!_threadstartex+0x70"},
			"agent.exe", "image", unresolvedWords, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := facts.NewBuilder()
			p := b.Process("fffffa8001234560", facts.Position{Path: capture, Line: 1})
			p.P.PID, p.P.Image = 4242, "agent.exe"
			for i := 0; i < 3; i++ {
				p.AddTrace(&facts.Trace{Handle: uint64(4 * (i + 1)), Kind: "OPEN", SinceSnapshot: true, Frames: tc.frames})
			}
			rep := run(t, load(t, allRule, knownGood), b.Snapshot(), engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			c := rep.Findings[0].Component
			if c.Name != tc.component || string(c.InferredFrom) != tc.from {
				t.Errorf("component %q from %q, want %q from %q (%s)", c.Name, c.InferredFrom, tc.component, tc.from, c.Reason)
			}
			if !strings.Contains(c.Reason, tc.reasonHas) {
				t.Errorf("reason %q does not say %q", c.Reason, tc.reasonHas)
			}
			if tc.reasonNot != "" && strings.Contains(c.Reason, tc.reasonNot) {
				t.Errorf("reason %q says %q", c.Reason, tc.reasonNot)
			}
			// The blamed frame is a field, the one the reason names, with
			// the frames below it as callers.
			switch {
			case c.InferredFrom.FromStacks() && c.Frame != tc.reasonHas:
				t.Errorf("frame %q, want %q", c.Frame, tc.reasonHas)
			case c.InferredFrom.FromStacks() && len(c.Callers) != 0:
				t.Errorf("callers %q of the bottom frame, want none", c.Callers)
			case !c.InferredFrom.FromStacks() && (c.Frame != "" || c.Callers != nil):
				t.Errorf("frame %q and callers %q without stacks", c.Frame, c.Callers)
			}
		})
	}
}

const unresolvedWords = "stacks have no resolved frame"

// TestVerifierStopAttribution: a process whose handles have no !htrace
// stacks is attributed from its Application Verifier stops: the stack a
// dps of the stop's stack trace shows (walked past the verifier's own
// layers), else the DLL the stop names as the handle's owner, else the
// stack of the stop's break-in a k shows, else, with none of them or only
// known-good modules, the image.
func TestVerifierStopAttribution(t *testing.T) {
	const owners = `#name: owners.yaml
owners:
  - match: {module: contosohook}
    component: Contoso Telemetry Hook
    vendor: Contoso Ltd.
`
	for _, tc := range []struct {
		name      string
		owners    string
		stops     []facts.VerifierStop
		component string
		from      string
		reasonHas string
	}{
		{"the stop's stack past the verifier", "", []facts.VerifierStop{{Code: "a001", Handle: 0x40,
			Frames: []string{"vfPrint!CItemTracker::Init+0x6a", "vfbasics!AVrfpHook+0x20", "PRINTUI!VDataNotify::svNotifyStart+0x23", "PRINTUI!VDataNotify::vRefresh+0x41"}}},
			"PRINTUI", "stack", "1 of 1 leaked handles Application Verifier stopped on were created at PRINTUI!VDataNotify::svNotifyStart+0x23"},
		{"the stack beats the owner DLL", "", []facts.VerifierStop{{Code: "901", Handle: 0x108, Owner: "other.dll",
			Frames: []string{"vfbasics!AVrfpCreateEventW+0x5c", "contosohook!TelemetryQueue::Open+0x3a"}}},
			"contosohook", "stack", "contosohook!TelemetryQueue::Open+0x3a"},
		{"the owner DLL without a stack", "", []facts.VerifierStop{{Code: "901", Handle: 0x108, Owner: "contosohook.dll"}},
			"contosohook.dll", "verifier:owner_dll", "stop 901 names contosohook.dll as the owner of leaked handle 0x108"},
		{"the owner DLL an owner entry assigns", owners, []facts.VerifierStop{{Code: "901", Handle: 0x108, Owner: "ContosoHook.dll"}},
			"Contoso Telemetry Hook", "verifier+owner:module", "(module contosohook) assigns it"},
		{"the stop's break-in stack (a k) past the verifier, without another stack", "", []facts.VerifierStop{{Code: "a00b", Open: 1001,
			BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x4bd", "vfprint!AVrfpOpenPrinterW+0x71", "FabrikamLabels!LabelSpool::OpenQueue+0x9e", "FabrikamLabels!LabelSpool::PrintBatch+0x60"}}},
			"FabrikamLabels", "stack", "1 of 1 Application Verifier stops broke in under FabrikamLabels!LabelSpool::OpenQueue+0x9e"},
		{"the stack of the handle's opening beats the break-in's", "", []facts.VerifierStop{{Code: "901", Handle: 0x108,
			Frames:      []string{"vfbasics!AVrfpCreateEventW+0x5c", "contosohook!TelemetryQueue::Open+0x3a"},
			BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x7b1", "Contoso!Host::Stop+0x44"}}},
			"contosohook", "stack", "leaked handles Application Verifier stopped on were created at contosohook!TelemetryQueue::Open+0x3a"},
		{"the owner DLL beats the break-in's stack (the DLL's unloader)", "", []facts.VerifierStop{{Code: "901", Handle: 0x108, Owner: "contosohook.dll",
			BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x7b1", "vfbasics!AVrfpCheckHandleLeaks+0x12d", "Contoso!Host::Stop+0x44"}}},
			"contosohook.dll", "verifier:owner_dll", "stop 901 names contosohook.dll"},
		{"a leak stop's break-in stack without an owner DLL", "", []facts.VerifierStop{{Code: "901", Handle: 0x108,
			BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x7b1", "vfbasics!AVrfpCheckHandleLeaks+0x12d", "Contoso!Host::Stop+0x44"}}},
			"Contoso", "stack", "broke in under Contoso!Host::Stop+0x44"},
		{"a break-in in known-good modules only names nobody", "", []facts.VerifierStop{{Code: "a00b", Open: 1001,
			BreakFrames: []string{"vrfcore!VerifierStopMessageEx+0x4bd", "ntdll!RtlUserThreadStart+0x21"}}},
			"agent.exe", "image", "the process image is the suspect"},
		{"a known-good owner names nobody", "", []facts.VerifierStop{{Code: "901", Handle: 0x108, Owner: "KERNELBASE.dll",
			Frames: []string{"vfbasics!AVrfpCreateEventW+0x5c", "ntdll!LdrpCall+0x1"}}},
			"agent.exe", "image", "the process image is the suspect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := facts.NewBuilder()
			p := b.Process("fffffa8001234560", facts.Position{Path: capture, Line: 1})
			p.P.PID, p.P.Image = 4242, "agent.exe"
			for _, s := range tc.stops {
				p.AddVerifierStop(s)
			}
			srcs := []string{allRule, knownGood}
			if tc.owners != "" {
				srcs = append(srcs, tc.owners)
			}
			rep := run(t, load(t, srcs...), b.Snapshot(), engine.Options{})
			if len(rep.Findings) != 1 {
				t.Fatalf("%d findings, want 1", len(rep.Findings))
			}
			c := rep.Findings[0].Component
			if c.Name != tc.component || string(c.InferredFrom) != tc.from || !strings.Contains(c.Reason, tc.reasonHas) {
				t.Errorf("component %q from %q (%s), want %q from %q saying %q", c.Name, c.InferredFrom, c.Reason, tc.component, tc.from, tc.reasonHas)
			}
		})
	}
}
