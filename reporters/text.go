package reporters

import (
	"github.com/leakdiag/leakdiag/internal/inert"
	"github.com/leakdiag/leakdiag/severity"

	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// Text writes the report for a terminal: the top suspect first, one block
// per finding with its evidence, and a summary line. Control characters
// in what the report holds (an image name with an escape sequence in it)
// are shown as escapes, never sent to the terminal.
type Text struct {
	Color bool
	// Quiet writes findings and rule failures only: no summary, series,
	// skipped files or suppression notes; in a batch, only the captures
	// with findings or failures, and no totals.
	Quiet bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// paint colours s, escaped (termEscape), when colour is on.
func (t *Text) paint(code, s string) safe {
	if !t.Color {
		return safe(inert.Text(s))
	}
	return safe(code + inert.Text(s) + ansiReset)
}

func (t *Text) severity(s severity.Level) safe {
	label := strings.ToUpper(string(s))
	switch s {
	case "error":
		return t.paint(ansiBold+ansiRed, label)
	case "warning":
		return t.paint(ansiBold+ansiYellow, label)
	}
	return t.paint(ansiCyan, label)
}

// Write implements Reporter. Every string from the report is escaped
// (termEscape), so a capture cannot drive the terminal.
func (t *Text) Write(w io.Writer, r *engine.Report) error {
	bw := bufio.NewWriter(w)
	// A process that several rules flag gets its evidence once, with the
	// first (best-ranked) of its findings.
	shownAt := map[string]int{}
	for i, f := range r.Findings {
		if i > 0 {
			bw.WriteString("\n")
		}
		termf(bw, "#%d %s %s %s\n", f.Rank, t.severity(f.Severity), t.paint(ansiBold, f.RuleID), f.Title)
		if f.Process != nil {
			path := ""
			if f.Process.Path != "" {
				path = ", " + f.Process.Path
			}
			termf(bw, "   suspect:   %s (%s%s) at %s\n", t.paint(ansiBold, facts.ImageName(f.Process.Image)), pidText(f.Process), path, f.Process.Source)
		}
		c := f.Component
		who := c.Name
		if c.Vendor != "" && c.Vendor != c.Name && !strings.HasPrefix(c.Name, c.Vendor) {
			who += " (" + c.Vendor + ")"
		}
		if c.Contact != "" {
			who += ", contact " + c.Contact
		}
		termf(bw, "   component: %s\n", t.paint(ansiBold, who))
		termf(bw, "              %s\n", t.paint(ansiDim, "from "+string(c.InferredFrom)+": "+c.Reason))
		termf(bw, "   %s\n", f.Message)
		key := ""
		if f.Process != nil {
			key = fmt.Sprintf("%d\x00%s\x00%s", f.Process.PID, f.Process.Image, f.Process.Address)
		}
		if rank, seen := shownAt[key]; seen && key != "" {
			termf(bw, "     %s\n", t.paint(ansiDim, fmt.Sprintf("(evidence as in #%d)", rank)))
		} else {
			shownAt[key] = f.Rank
			for _, e := range f.Evidence {
				termf(bw, "     %-22s %s\n", e.Name+":", e.Value)
			}
			for _, l := range f.Locations {
				termf(bw, "     %s\n", t.paint(ansiDim, fmt.Sprintf("%s: %s", l.Where(), l.What)))
				if l.Text != "" {
					termf(bw, "       | %s\n", l.Text)
				}
			}
		}
		if f.Remediation != "" {
			termf(bw, "   next: %s\n", f.Remediation)
		}
	}
	if len(r.Findings) > 0 && len(r.Errors) > 0 {
		bw.WriteString("\n")
	}
	for _, e := range r.Errors {
		// An expression library's error can end in a caret under the
		// spot, on lines of its own.
		termf(bw, "rule %s failed for %s: %s\n", e.RuleID, e.Who(), termLines(e.Message, "  "))
		if e.More > 0 {
			termf(bw, "rule %s failed %d more times\n", e.RuleID, e.More)
		}
	}
	if t.Quiet {
		return bw.Flush()
	}
	if len(r.Findings) > 0 || len(r.Errors) > 0 {
		bw.WriteString("\n")
	}
	s := r.Summary
	counts := r.BySeverity()
	shown := ""
	if s.FindingsTotal > len(r.Findings) {
		shown = fmt.Sprintf(" (top %d of %d)", len(r.Findings), s.FindingsTotal)
	}
	termf(bw, "%s%s: %d error, %d warning, %d info; %s over %s, %s; %s, %s\n",
		facts.Plural(len(r.Findings), "finding"), shown, counts["error"], counts["warning"], counts["info"],
		facts.Plural(s.RulesRun, "rule"), facts.Plural(int(s.Processes), "process"), unitOf(s.Sources).Count(s.TotalHandles),
		readAccount(&s), facts.Plural(len(s.Diagnostics), "diagnostic"))
	if s.Series != nil {
		termf(bw, "%s\n", seriesLine(s.Series))
		if why := seriesWhy(s.Series); why != "" {
			termf(bw, "%s\n", why)
		}
	}
	for _, f := range s.Skipped {
		termf(bw, "%s\n", skippedLine(f))
	}
	if s.Baselined > 0 || s.Suppressed > 0 {
		termf(bw, "left out: %d already in the baseline, %d suppressed\n", s.Baselined, s.Suppressed)
	}
	for _, sup := range r.Suppressions {
		switch sup.Status {
		case "expired":
			termf(bw, "%s: suppression expired on %s; its findings are reported again (%s)\n", sup.Defined, sup.Expires, sup.Reason)
		case "unused":
			termf(bw, "%s: suppression matched no finding; remove it if the leak is gone (%s)\n", sup.Defined, sup.Reason)
		}
	}
	return bw.Flush()
}
