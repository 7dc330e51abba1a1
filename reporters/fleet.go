package reporters

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// fleetHeadline is a group as a vendor reads it: "Contoso Telemetry Hook
// (Contoso): LD0010 on 37 of 400 hosts".
func fleetHeadline(g engine.FleetGroup, hosts int) string {
	who := g.Component
	if who == "" {
		who = "(no component)"
	}
	if g.Vendor != "" && !strings.EqualFold(g.Vendor, g.Component) {
		who += " (" + g.Vendor + ")"
	}
	return fmt.Sprintf("%s: %s on %d of %s", who, g.RuleID, g.Hosts, facts.Plural(hosts, "host"))
}

// fleetDetail is the rest of a group's line: its title, image, captures,
// worst score and when it was seen.
func fleetDetail(g engine.FleetGroup) string {
	parts := []string{g.Title}
	if g.Image != "" {
		parts = append(parts, "image "+g.Image)
	}
	parts = append(parts, facts.Plural(g.Captures, "capture"), "worst score "+strconv.FormatFloat(g.WorstScore, 'f', -1, 64))
	if g.FirstSeen != "" {
		if g.FirstSeen == g.LastSeen {
			parts = append(parts, "seen "+g.FirstSeen)
		} else {
			parts = append(parts, "seen "+g.FirstSeen+" to "+g.LastSeen)
		}
	}
	return strings.Join(parts, ", ")
}

// fleetCaptures names the captures behind a group, and how many more.
func fleetCaptures(g engine.FleetGroup) string {
	s := strings.Join(g.CaptureList, ", ")
	if g.MoreCaptures > 0 {
		s += fmt.Sprintf(" and %d more", g.MoreCaptures)
	}
	return s
}

// fleetHeader says what was merged: "12 captures of 6 hosts, from 4
// reports (4 of 4 shards); leakdiag v0.2.0, rules sha256:...".
func fleetHeader(f *engine.Fleet) string {
	s := fmt.Sprintf("%s of %s, from %s", facts.Plural(f.Captures, "capture"), facts.Plural(f.Hosts, "host"), facts.Plural(f.Reports, "report"))
	if f.Shards != "" {
		s += " (" + f.Shards + ")"
	}
	var v []string
	if len(f.Leakdiag) > 0 {
		v = append(v, "leakdiag "+strings.Join(f.Leakdiag, " and "))
	}
	if len(f.Rules) > 0 {
		v = append(v, "rules "+strings.Join(f.Rules, " and "))
	}
	if len(v) > 0 {
		s += "; " + strings.Join(v, ", ")
	}
	return s
}

// fleet writes the fleet summary of a merge for a terminal: a line per
// group, most hosts first, the captures behind it, then the problems of
// the inputs.
func (t *Text) fleet(w io.Writer, f *engine.Fleet) error {
	bw := bufio.NewWriter(w)
	termf(bw, "%s %s\n", t.paint(ansiBold, "Fleet:"), fleetHeader(f))
	if len(f.Groups) == 0 {
		termf(bw, "  no findings on any host\n")
	}
	for _, g := range f.Groups {
		termf(bw, "  %s %s\n    %s\n    captures: %s\n", t.severity(g.Severity), t.paint(ansiBold, fleetHeadline(g, f.Hosts)), fleetDetail(g), fleetCaptures(g))
	}
	for _, p := range f.Problems {
		termf(bw, "  %s %s\n", t.paint(ansiBold+ansiYellow, "input problem:"), p)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// mdFleet writes the fleet summary of a merge as a Markdown section: a
// table of the groups, most hosts first, then the problems of the inputs.
func mdFleet(bw *bufio.Writer, f *engine.Fleet) {
	fmt.Fprintf(bw, "## Fleet\n\n%s.\n\n", mdEscape(fleetHeader(f)))
	if len(f.Groups) > 0 {
		bw.WriteString("| component, rule and hosts | finding | captures | image | worst score | seen | captures behind it |\n|---|---|---|---|---|---|---|\n")
		for _, g := range f.Groups {
			seen := g.FirstSeen
			if g.LastSeen != g.FirstSeen {
				seen += " to " + g.LastSeen
			}
			fmt.Fprintf(bw, "| %s | %s %s | %d | %s | %s | %s | %s |\n", mdEscape(fleetHeadline(g, f.Hosts)),
				mdEscape(strings.ToUpper(string(g.Severity))), mdEscape(g.Title), g.Captures,
				mdEscape(g.Image), strconv.FormatFloat(g.WorstScore, 'f', -1, 64), mdEscape(seen), mdEscape(fleetCaptures(g)))
		}
		bw.WriteString("\n")
	} else {
		bw.WriteString("No findings on any host.\n\n")
	}
	if len(f.Problems) > 0 {
		bw.WriteString("Problems with the inputs:\n\n")
		for _, p := range f.Problems {
			fmt.Fprintf(bw, "- %s\n", mdEscape(p))
		}
		bw.WriteString("\n")
	}
}
