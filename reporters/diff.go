package reporters

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
)

// diffShown is how many processes and types a diff lists in text and
// Markdown; JSON has them all.
const diffShown = 20

// WriteDiff writes a diff in format, one of DiffFormats.
func WriteDiff(w io.Writer, d *engine.Diff, format string) error {
	if f, ok := Lookup(format); ok && f.diff != nil {
		return f.diff(w, d)
	}
	return fmt.Errorf("unknown diff format %q (known: %s)", format, strings.Join(DiffFormats, ", "))
}

// diffJSON writes the diff as one indented JSON document.
func diffJSON(w io.Writer, d *engine.Diff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

func pointLine(p engine.DiffPoint) string {
	when := "time unknown"
	if p.Time != "" {
		when = p.Time
		if p.TimeFrom == facts.TimeFromGiven {
			when += " (given)"
		}
	}
	unknown := ""
	if p.UnknownCounts > 0 {
		unknown = fmt.Sprintf(" (%d of them without a count)", p.UnknownCounts)
	}
	system := ""
	switch {
	case p.SystemHandles == engine.UnknownCount:
		system = "; a system-wide type summary cut short, its total unknown"
	case p.SystemHandles > 0:
		system = fmt.Sprintf("; %s in its system-wide type summary", facts.Plural(int(p.SystemHandles), "handle"))
	}
	return fmt.Sprintf("%s, %s: %s over %s%s%s", p.Name, when, facts.Plural(int(p.Handles), "handle"), facts.Plural(p.Processes, "process"), unknown, system)
}

// count writes a count of a diff, "?" where the capture does not give it.
func count(n int64) string {
	if n == engine.UnknownCount {
		return "?"
	}
	return facts.FormatCount(n)
}

// change writes a change, "unknown" where a count is.
func change(old, new, delta int64) string {
	if old == engine.UnknownCount || new == engine.UnknownCount {
		return "unknown"
	}
	return signed(delta)
}

func signed(n int64) string {
	if n > 0 {
		return "+" + facts.FormatCount(n)
	}
	return facts.FormatCount(n)
}

// perHour is a process's rate of change in the span's unit (rateText),
// as " (+2,500/h)".
func perHour(c engine.ProcessChange, hours float64) string {
	if c.PerHour == 0 {
		return ""
	}
	return " (" + rateText(c.Delta, hours) + ")"
}

func diffText(w io.Writer, d *engine.Diff) error {
	bw := bufio.NewWriter(w)
	termf(bw, "old: %s\nnew: %s\n", pointLine(d.Old), pointLine(d.New))
	if d.Hours > 0 {
		termf(bw, "%s apart\n", facts.SpanText(d.Hours))
	}
	bw.WriteString("\nprocesses, most grown first:\n")
	shown := 0
	for _, c := range d.Processes {
		if c.Status == engine.Unchanged {
			continue
		}
		if shown == diffShown {
			termf(bw, "  ... and %d more changed (--format json lists all)\n", changed(d)-shown)
			break
		}
		shown++
		termf(bw, "  %-9s %-28s pid %-6d %s -> %s  %s%s\n", c.Status, c.Image, c.PID,
			count(c.Old), count(c.New), change(c.Old, c.New, c.Delta), perHour(c, d.Hours))
		for i, t := range nonZero(c.Types) {
			if i == 3 {
				break
			}
			termf(bw, "            %-20s %s -> %s  %s\n", t.Type, count(t.Old), count(t.New), change(t.Old, t.New, t.Delta))
		}
		for i, n := range c.Names {
			if i == 2 {
				break
			}
			termf(bw, "            name %s %s: %s -> %s\n", n.Type, n.Name, facts.FormatCount(n.From), facts.FormatCount(n.To))
		}
	}
	if shown == 0 {
		bw.WriteString("  (no process changed)\n")
	}
	if n := len(d.Processes) - changed(d); n > 0 {
		termf(bw, "  %s unchanged\n", facts.Plural(n, "process"))
	}
	bw.WriteString("\ntypes, machine-wide:\n")
	for i, t := range nonZero(d.Types) {
		if i == diffShown {
			break
		}
		termf(bw, "  %-24s %s -> %s  %s\n", t.Type, count(t.Old), count(t.New), change(t.Old, t.New, t.Delta))
	}
	bw.WriteString("\nfindings on the new capture, growth known:\n")
	if len(d.Report.Findings) == 0 {
		bw.WriteString("  none\n")
	}
	for _, f := range d.Report.Findings {
		who := "(the capture)"
		if f.Process != nil {
			who = fmt.Sprintf("%s (pid %d)", f.Process.Image, f.Process.PID)
		}
		termf(bw, "  #%d %s %s %s: %s\n", f.Rank, strings.ToUpper(string(f.Severity)), f.RuleID, who, f.Message)
	}
	for _, e := range d.Report.Errors {
		termf(bw, "  rule %s failed for %s: %s\n", e.RuleID, e.Who(), termLines(e.Message, "    "))
		if e.More > 0 {
			termf(bw, "  rule %s failed %d more times\n", e.RuleID, e.More)
		}
	}
	return bw.Flush()
}

// nonZero keeps the types whose count changed, or may have: one capture
// does not give it.
func nonZero(ts []engine.TypeChange) []engine.TypeChange {
	var out []engine.TypeChange
	for _, t := range ts {
		if t.Delta != 0 || !t.Known() {
			out = append(out, t)
		}
	}
	return out
}

func changed(d *engine.Diff) int {
	n := 0
	for _, c := range d.Processes {
		if c.Status != engine.Unchanged {
			n++
		}
	}
	return n
}

func diffMarkdown(w io.Writer, d *engine.Diff) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# leakdiag diff\n\n")
	fmt.Fprintf(bw, "- old: %s\n- new: %s\n", mdEscape(pointLine(d.Old)), mdEscape(pointLine(d.New)))
	if d.Hours > 0 {
		fmt.Fprintf(bw, "- %s apart\n", facts.SpanText(d.Hours))
	}
	fmt.Fprintf(bw, "\n## Processes, most grown first\n\n| status | process | pid | old | new | change | %s | grew most |\n|---|---|---:|---:|---:|---:|---:|---|\n", rateHeader(d.Hours))
	shown := 0
	for _, c := range d.Processes {
		if c.Status == engine.Unchanged {
			continue
		}
		if shown == diffShown {
			break
		}
		shown++
		most := ""
		if len(c.Types) > 0 && c.Types[0].Delta > 0 {
			most = fmt.Sprintf("%s %s", mdEscape(c.Types[0].Type), signed(c.Types[0].Delta))
		}
		ph := ""
		if c.PerHour != 0 {
			n, _ := rate(c.Delta, d.Hours)
			ph = signed(n)
		}
		fmt.Fprintf(bw, "| %s | %s | %d | %s | %s | %s | %s | %s |\n", mdEscape(c.Status), mdEscape(c.Image), c.PID,
			count(c.Old), count(c.New), change(c.Old, c.New, c.Delta), ph, most)
	}
	if n := changed(d); n > shown {
		fmt.Fprintf(bw, "\n%d more changed processes are in the JSON form.\n", n-shown)
	}
	bw.WriteString("\n## Types, machine-wide\n\n| type | old | new | change |\n|---|---:|---:|---:|\n")
	for i, t := range nonZero(d.Types) {
		if i == diffShown {
			break
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", mdEscape(t.Type), count(t.Old), count(t.New), change(t.Old, t.New, t.Delta))
	}
	bw.WriteString("\n## Findings on the new capture, growth known\n\n")
	if len(d.Report.Findings) == 0 {
		bw.WriteString("None.\n")
	}
	for _, f := range d.Report.Findings {
		who := "(the capture)"
		if f.Process != nil {
			who = fmt.Sprintf("%s (pid %d)", f.Process.Image, f.Process.PID)
		}
		fmt.Fprintf(bw, "- **%s** %s %s: %s\n", mdEscape(strings.ToUpper(string(f.Severity))), mdEscape(f.RuleID), mdEscape(who), mdEscape(f.Message))
	}
	for _, e := range d.Report.Errors {
		fmt.Fprintf(bw, "- rule %s failed for %s: %s\n", mdEscape(e.RuleID), mdEscape(e.Who()), mdEscape(e.Message))
		if e.More > 0 {
			fmt.Fprintf(bw, "- rule %s failed %d more times\n", mdEscape(e.RuleID), e.More)
		}
	}
	return bw.Flush()
}
