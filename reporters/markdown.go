package reporters

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// Markdown writes the report for a ticket or a CI job summary (GitHub's
// $GITHUB_STEP_SUMMARY, a GitLab or Jenkins page): the verdict first, then
// a table of findings and a section per finding. It reads as plain text
// too: text from the capture is escaped only where it could become markup
// (mdEscape), and a process's evidence is given once, with its first
// finding.
type Markdown struct{}

// Write implements Reporter.
func (Markdown) Write(w io.Writer, r *engine.Report) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# leakdiag report\n\n")
	mdReport(bw, r, "##")
	return bw.Flush()
}

// mdReport writes one capture's report; h is the level of its findings'
// headings ("##" alone, "###" in a batch).
func mdReport(bw *bufio.Writer, r *engine.Report, h string) {
	u := unitOf(r.Summary.Sources)
	mdCapture(bw, &r.Summary)
	if len(r.Findings) == 0 {
		bw.WriteString("No findings.\n\n")
	} else {
		f := r.Findings[0]
		suspect := "the capture as a whole"
		if f.Process != nil {
			suspect = fmt.Sprintf("**%s** (%s)", mdEscape(facts.ImageName(f.Process.Image)), pidText(f.Process))
		}
		fmt.Fprintf(bw, "**Verdict:** %s, component **%s**: %s\n\n", suspect, mdEscape(componentWho(f.Component)), mdEscape(f.Message))
		fmt.Fprintf(bw, "_How the component was named (%s):_ %s\n\n", f.Component.InferredFrom, mdEscape(f.Component.Reason))
		mdFindingsTable(bw, r.Findings)
		bw.WriteString("\n")
	}
	if sr := r.Summary.Series; sr != nil && len(sr.Growth) > 0 {
		mdGrowth(bw, sr, u, h)
	}
	shownAt := map[string]int{}
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s %d. %s: %s\n\n%s\n\n", h, f.Rank, mdEscape(f.RuleID), mdEscape(f.Title), mdBlock(f.Message))
		if rank, seen := shownAt[processKey(f.Process)]; seen {
			fmt.Fprintf(bw, "_The numbers and capture lines of this process are under finding %d._\n", rank)
		} else {
			if f.Process != nil {
				shownAt[processKey(f.Process)] = f.Rank
			}
			mdEvidence(bw, f)
		}
		if f.Remediation != "" {
			fmt.Fprintf(bw, "\n**Next:** %s\n", mdEscape(f.Remediation))
		}
		bw.WriteString("\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(bw, "- rule %s failed for %s: %s\n", mdEscape(e.RuleID), mdEscape(e.Who()), mdEscape(e.Message))
		if e.More > 0 {
			fmt.Fprintf(bw, "- rule %s failed %d more times\n", mdEscape(e.RuleID), e.More)
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "---\n%s over %s, %s; %s, %s.\n",
		facts.Plural(s.RulesRun, "rule"), facts.Plural(int(s.Processes), "process"), u.Count(s.TotalHandles),
		readAccount(&s), facts.Plural(len(s.Diagnostics), "diagnostic"))
	if s.Series != nil {
		fmt.Fprintf(bw, "\n%s.\n", mdEscape(seriesLine(s.Series)))
		if why := seriesWhy(s.Series); why != "" {
			fmt.Fprintf(bw, "\n%s.\n", mdEscape(why))
		}
	}
	if len(s.Skipped) > 0 {
		bw.WriteString("\nSkipped, not captures:\n\n")
		for _, f := range s.Skipped {
			fmt.Fprintf(bw, "- %s: %s\n", mdEscape(f.Path), mdEscape(f.Reason))
		}
	}
	if s.Baselined > 0 || s.Suppressed > 0 {
		fmt.Fprintf(bw, "\nLeft out: %d already in the baseline, %d suppressed.\n", s.Baselined, s.Suppressed)
	}
	for _, sup := range r.Suppressions {
		if sup.Status != "active" {
			fmt.Fprintf(bw, "\n- `%s`: suppression %s (%s)\n", codeSpan(sup.Defined), mdEscape(sup.Status), mdEscape(sup.Reason))
		}
	}
}

// mdCapture names the capture: its files, where they came from, and the
// machine and time it says it was taken on.
func mdCapture(bw *bufio.Writer, s *engine.Summary) {
	if len(s.Sources) == 0 {
		return
	}
	var paths []string
	for _, src := range s.Sources {
		paths = append(paths, "`"+codeSpan(src.Path)+"`")
	}
	fmt.Fprintf(bw, "Capture: %s (%s)", strings.Join(paths, ", "), sourceKinds(s.Sources))
	var machine []string
	if s.Host != "" {
		machine = append(machine, "host "+mdEscape(s.Host))
	}
	if s.OSVersion != "" {
		machine = append(machine, mdEscape(s.OSVersion))
	}
	if s.CapturedAt != "" {
		machine = append(machine, "captured "+mdEscape(s.CapturedAt))
	}
	if len(machine) > 0 {
		fmt.Fprintf(bw, "; %s", strings.Join(machine, ", "))
	}
	bw.WriteString(".\n\n")
}

func mdFindingsTable(bw *bufio.Writer, findings []engine.Finding) {
	bw.WriteString("| # | severity | rule | process | component | score |\n|---|---|---|---|---|---|\n")
	for _, f := range findings {
		fmt.Fprintf(bw, "| %d | %s | %s %s | %s | %s | %s |\n", f.Rank, mdEscape(string(f.Severity)), mdEscape(f.RuleID), mdEscape(f.Title),
			mdProcess(f.Process), mdEscape(f.Component.Name), facts.FormatCount(int64(f.Score)))
	}
}

// mdEvidence writes a finding's numbers and the capture lines they come
// from.
func mdEvidence(bw *bufio.Writer, f engine.Finding) {
	for _, e := range f.Evidence {
		fmt.Fprintf(bw, "- %s: %s\n", mdEscape(e.Name), mdEscape(e.Value))
	}
	if len(f.Locations) > 0 {
		bw.WriteString("\nIn the capture:\n\n```\n")
		for _, l := range f.Locations {
			fmt.Fprintf(bw, "%s: %s\n", fence(l.Where()), fence(l.What))
			if l.Text != "" {
				fmt.Fprintf(bw, "    %s\n", fence(l.Text))
			}
		}
		bw.WriteString("```\n")
	}
}

// mdProcess names a finding's process in a table cell.
func mdProcess(p *engine.ProcessRef) string {
	if p == nil {
		return "(capture)"
	}
	return fmt.Sprintf("%s (%d)", mdEscape(facts.ImageName(p.Image)), p.PID)
}

// componentWho is a component and its vendor, when the name does not
// already start with it.
func componentWho(c engine.Component) string {
	if c.Vendor != "" && !strings.HasPrefix(c.Name, c.Vendor) {
		return c.Name + " (" + c.Vendor + ")"
	}
	return c.Name
}

// processKey tells processes apart for evidence shown once per process;
// "" for a finding about the capture.
func processKey(p *engine.ProcessRef) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%d\x00%s\x00%s", p.PID, p.Image, p.Address)
}
