package kd

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestGalleryPreamble: the preamble WinDbg prints while it sets up its
// Debugger Extensions Gallery, before its banner, is the debugger's (its
// arrows taken for a markdown quote's or not, its last line cut short),
// a paste cut after it is still sniffed as kd, and a setting's shape
// outside the preamble is not taken for one.
func TestGalleryPreamble(t *testing.T) {
	const preamble = "************* Preparing the environment for Debugger Extensions Gallery repositories **************\n" +
		"   ExtensionRepository : Implicit\n" +
		"   UseExperimentalFeatureForNugetShare : true\n" +
		"   EnableRedirectToV8JsProvider : false\n" +
		"\n" +
		"   -- Configuring repositories\n" +
		"      ----> Repository : LocalInstalled, Enabled: true\n" +
		"\n" +
		">>>>>>>>>>>>> Preparing the environment for Debugger Extensions Gallery repositories completed, duration 0.016 seconds\n" +
		"\n" +
		"************* Waiting for Debugger Extensions Gallery to Initialize **************\n" +
		"\n" +
		">>>>>>>>>>>>> Waiting for Debugger Extensions Gallery to Initialize completed, duration 0.015 seconds\n" +
		"   ----> Repository : UserExtensions, Enabled: true, Packages count: 0\n"
	tests := []struct {
		name, capture string
		want          facts.LineCounts
	}{
		{"the whole preamble", preamble, facts.LineCounts{Total: 14, Parsed: 2, Ignored: 12}},
		{"cut in its first step", "```shell\n" + preamble[:strings.Index(preamble, "repositories completed")] + "\n",
			facts.LineCounts{Total: 10, Parsed: 1, Ignored: 9}},
		{"a setting's shape elsewhere", "   ExtensionRepository : Implicit\n", facts.LineCounts{Total: 1, Unrecognized: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := readString(t, tc.capture)
			if got := snap.Sources[0].Lines; got != tc.want {
				t.Errorf("lines %+v, want %+v: %+v", got, tc.want, snap.Diagnostics)
			}
			if tc.want.Parsed > 0 && !Sniff([]byte(tc.capture), false) {
				t.Errorf("Sniff = false, want the preamble known for the debugger's")
			}
		})
	}

	// The session that follows is read.
	snap := readString(t, preamble+"\nMicrosoft (R) Windows Debugger Version 10.0.26100.1742 AMD64\n"+
		"kd> !process 0 0 contoso.exe\nPROCESS ffffb20a4c5d6080\n    SessionId: 1  Cid: 1a2c    Peb: 00a3c000  ParentCid: 0f00\n"+
		"    DirBase: 1a2b3000  ObjectTable: ffffc001a2b3c4d0  HandleCount: 212.\n    Image: contoso.exe\n")
	if len(snap.Processes) != 1 || snap.Processes[0].HandleCount == nil || *snap.Processes[0].HandleCount != 212 {
		t.Errorf("processes %+v, want contoso.exe with 212 handles", snap.Processes)
	}
	if n := snap.Sources[0].Lines.Unrecognized; n != 0 {
		t.Errorf("%d lines unrecognized: %+v", n, snap.Diagnostics)
	}
}
