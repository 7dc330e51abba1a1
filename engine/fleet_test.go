package engine

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/severity"
)

// TestFleetGroups: findings group by component, vendor, rule and image;
// hosts count once (case ignored), a capture without a host as a host of
// its own; the captures named are the first in path order whatever order
// they come in; the group of most hosts comes first.
func TestFleetGroups(t *testing.T) {
	leak := []FleetFinding{{RuleID: "LD0010", Title: "t", Severity: severity.Error, Score: 5, Component: "Hook", Vendor: "Contoso", Image: "a.exe"}}
	other := []FleetFinding{{RuleID: "LD0001", Title: "u", Severity: severity.Warning, Score: 9, Component: "Svc", Image: "b.exe"}}
	build := func(order []int) *Fleet {
		b := NewFleetBuilder()
		for _, i := range order {
			c := FleetCapture{Name: fmt.Sprintf("c%02d.txt", i), Host: fmt.Sprintf("HOST-%d", i%5), CapturedAt: fmt.Sprintf("2026-12-%02dT10:00:00Z", i+1)}
			if i%2 == 0 {
				c.Host = fmt.Sprintf("host-%d", i%5)
			}
			switch {
			case i < 24:
				b.Add(c, leak)
			case i == 24:
				c.Host = ""
				b.Add(c, other)
			default:
				b.Add(c, nil)
			}
		}
		return b.Fleet()
	}
	var fwd, back []int
	for i := range 26 {
		fwd = append(fwd, i)
		back = append(back, 25-i)
	}
	f := build(fwd)
	if diff := cmp.Diff(f, build(back)); diff != "" {
		t.Errorf("the order captures come in changes the fleet (-forward +backward):\n%s", diff)
	}
	if f.Captures != 26 || f.Hosts != 6 || len(f.Groups) != 2 {
		t.Fatalf("fleet: %d captures, %d hosts, %d groups; want 26, 6 (5 named, one capture without), 2", f.Captures, f.Hosts, len(f.Groups))
	}
	g := f.Groups[0]
	if g.Component != "Hook" || g.Hosts != 5 || g.Captures != 24 || g.FirstSeen != "2026-12-01T10:00:00Z" || g.LastSeen != "2026-12-24T10:00:00Z" ||
		len(g.CaptureList) != FleetCaptureLimit || g.CaptureList[0] != "c00.txt" || g.CaptureList[FleetCaptureLimit-1] != "c19.txt" || g.MoreCaptures != 4 {
		t.Errorf("first group %+v", g)
	}
	if g := f.Groups[1]; g.Component != "Svc" || g.Hosts != 1 || g.FirstSeen != "2026-12-25T10:00:00Z" {
		t.Errorf("second group %+v", g)
	}
}
