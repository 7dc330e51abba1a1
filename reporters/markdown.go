package reporters

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// Markdown writes the report for a ticket or a CI job summary: the verdict
// first, then a table of findings and a section per finding. Text from the
// capture is escaped so it cannot turn into markup.
type Markdown struct{}

// Write implements Reporter.
func (Markdown) Write(w io.Writer, r *engine.Report) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# leakdiag report\n\n")
	if len(r.Findings) == 0 {
		bw.WriteString("No findings.\n\n")
	} else {
		f := r.Findings[0]
		who := mdEscape(f.Component.Name)
		if f.Component.Vendor != "" && !strings.HasPrefix(f.Component.Name, f.Component.Vendor) {
			who += " (" + mdEscape(f.Component.Vendor) + ")"
		}
		suspect := "the capture as a whole"
		if f.Process != nil {
			suspect = fmt.Sprintf("**%s** (pid %d)", mdEscape(orUnknown(f.Process.Image)), f.Process.PID)
		}
		fmt.Fprintf(bw, "**Verdict:** %s, component **%s**: %s\n\n", suspect, who, mdEscape(f.Message))
		fmt.Fprintf(bw, "_How the component was named (%s):_ %s\n\n", f.Component.InferredFrom, mdEscape(f.Component.Reason))
		bw.WriteString("| # | severity | rule | process | component | score |\n|---|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			proc := "(capture)"
			if f.Process != nil {
				proc = fmt.Sprintf("%s (%d)", mdEscape(orUnknown(f.Process.Image)), f.Process.PID)
			}
			fmt.Fprintf(bw, "| %d | %s | %s %s | %s | %s | %s |\n", f.Rank, mdEscape(f.Severity), mdEscape(f.RuleID), mdEscape(f.Title),
				proc, mdEscape(f.Component.Name), facts.FormatCount(int64(f.Score)))
		}
		bw.WriteString("\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "## %d. %s: %s\n\n%s\n\n", f.Rank, mdEscape(f.RuleID), mdEscape(f.Title), mdEscape(f.Message))
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
	fmt.Fprintf(bw, "---\n%s over %s, %s handles; %s, %s.\n",
		plural(s.RulesRun, "rule"), plural(int(s.Processes), "process"), facts.FormatCount(s.TotalHandles),
		readAccount(s.Sources), plural(len(s.Diagnostics), "diagnostic"))
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
	return bw.Flush()
}

// mdEscape keeps text from a capture from becoming markup: markdown's
// punctuation is escaped (| among it, which would end a table cell), HTML's
// angle brackets and ampersands become entities (an object name can be
// "<script>"), a newline becomes a space (it would end a table row), and
// other control characters become visible escapes, as termEscape writes
// them (ESC is \x1b).
func mdEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case strings.ContainsRune("\\`*_[]|#!", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteByte(' ')
		case needsEscape(r, w):
			b.WriteByte('\\') // so that the escape's own backslash shows
			writeEscape(&b, r, s[i])
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// fence keeps a line from closing a code fence, and from driving a
// terminal that shows the file (termEscape; inside a fence a backslash is
// a backslash).
func fence(s string) string {
	return termEscape(strings.ReplaceAll(strings.ReplaceAll(s, "```", "'''"), "\n", " "))
}

// codeSpan is text for a `code span`: it cannot end the span (a backtick
// becomes a quote) nor break the line, and control characters show as
// escapes (inside a span a backslash is a backslash).
func codeSpan(s string) string {
	return termEscape(strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "\n", " "))
}
