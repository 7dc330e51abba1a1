package engine

import (
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestGrowthEvidenceRates: growth is given per hour, per minute or per
// capture as the captures' span allows, never +612,528/h for captures
// seconds apart; a count with no handle listed is explained.
func TestGrowthEvidenceRates(t *testing.T) {
	tests := []struct {
		hours float64
		want  string
	}{
		{2, "+800 handles over 2.0 hours (+400/h, rising at every capture)"},
		{0.25, "+800 handles over 15 minutes (+53/min, rising at every capture)"},
		{10.0 / 3600, "+800 handles over 10 seconds (+400/capture, rising at every capture)"},
	}
	for _, tc := range tests {
		pf := &facts.ProcessFacts{HandleCountKnown: true, HandleCount: 2000, GrowthPoints: 3, GrowthTimed: true,
			GrowthHours: tc.hours, HandleGrowth: 800, GrowthPerHour: 800 / tc.hours, GrowthMonotonic: true}
		ev, _ := evidence(pf, &facts.Process{})
		got := map[string]string{}
		for _, e := range ev {
			got[e.Name] = e.Value
		}
		if got["growth"] != tc.want {
			t.Errorf("%v hours: growth %q, want %q", tc.hours, got["growth"], tc.want)
		}
		if want := "0: the capture lists none of them, only their count"; got["handles shown"] != want {
			t.Errorf("handles shown %q, want %q", got["handles shown"], want)
		}
	}
}

// TestEvidenceNamesWhereTheProcessIs: a kd process is quoted as its
// PROCESS block, a minidump's as its record, and a process list's row
// (no kernel address, no handles, no traces) as its line.
func TestEvidenceNamesWhereTheProcessIs(t *testing.T) {
	pos := facts.Position{Path: "c.txt", Line: 5}
	tests := []struct {
		p    facts.Process
		want string
	}{
		{facts.Process{Image: "a.exe", Address: "ffffe0012a3b4080", Source: pos}, "PROCESS block of a.exe"},
		// Handles but no kd PROCESS block (lsof, Handle, a user-mode
		// !handle): the first line that names the process.
		{facts.Process{Image: "a.exe", HandlesParsed: 3, Source: pos}, "first line of a.exe"},
		{facts.Process{Image: "a.exe", Source: facts.Position{Path: "a.dmp", Offset: 196}}, "process record of a.exe"},
		{facts.Process{Image: "spoolsv.exe", Source: pos}, "the line of spoolsv.exe"},
	}
	for _, tc := range tests {
		_, locs := evidence(&facts.ProcessFacts{}, &tc.p)
		if len(locs) == 0 || locs[0].What != tc.want {
			t.Errorf("%+v: locations %+v, want first %q", tc.p, locs, tc.want)
		}
	}
}

// TestEstimateEvidence: a process past the name table's limit says which
// figures are estimates and their bounds; an exact one says nothing of it.
func TestEstimateEvidence(t *testing.T) {
	for _, tc := range []struct {
		p                 facts.Process
		wantTop, wantDist string
	}{
		{facts.Process{DistinctNames: 3, TopNames: []facts.NameCount{{Name: "n", Type: "File", Count: 40}}},
			"File x40: n", ""},
		{facts.Process{DistinctNames: 48210, DistinctNamesEstimated: true, TopNames: []facts.NameCount{{Name: "n", Type: "File", Count: 45000, Error: 122}}},
			"File at least 45,000 (estimate, up to 45,122): n", "about 48,210 (estimate, ±3.3%)"},
	} {
		ev, _ := evidence(&facts.ProcessFacts{}, &tc.p)
		got := map[string]string{}
		for _, e := range ev {
			got[e.Name] = e.Value
		}
		if got["top name 1"] != tc.wantTop || got["distinct names"] != tc.wantDist {
			t.Errorf("top name %q, distinct names %q; want %q, %q", got["top name 1"], got["distinct names"], tc.wantTop, tc.wantDist)
		}
	}
}

// TestEvidenceCountsInWords: a count of one is said in the singular, and
// a count the capture does not give is said to be not given.
func TestEvidenceCountsInWords(t *testing.T) {
	p := facts.Process{Image: "a.exe", OpenStacks: []facts.Stack{
		{Count: 1, Type: "File", Frames: []string{"a!Open"}},
		{Count: 2, Frames: []string{"a!Open2"}},
	}}
	ev, _ := evidence(&facts.ProcessFacts{OpenSinceSnapshot: 1}, &p)
	got := map[string]string{}
	for _, e := range ev {
		got[e.Name] = e.Value
	}
	for label, want := range map[string]string{
		"handle count":        "not given in the capture",
		"open stack 1":        "1 open File handle: a!Open",
		"open stack 2":        "2 open handles: a!Open2",
		"open since snapshot": "1 handle !htrace -diff lists as opened since its snapshot and still open",
	} {
		if got[label] != want {
			t.Errorf("%s: %q, want %q", label, got[label], want)
		}
	}
}
