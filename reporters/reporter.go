// Package reporters writes engine reports in the formats people and tools
// read: one Reporter per format behind one small interface.
package reporters

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// Reporter writes a report. The caller owns w. Reporters read neither the
// clock nor the environment: what they print is in the report and options,
// so the same report always gives the same bytes.
type Reporter interface {
	Write(w io.Writer, r *engine.Report) error
}

// Options tune reporters.
type Options struct {
	// Color turns on ANSI colour in the text report (the caller decides:
	// a terminal, and no NO_COLOR).
	Color bool
	// FailOn is the least severity that fails a run (info, warning, error
	// or never); the JUnit report marks those findings as failures.
	FailOn severity.FailOn
	// Quiet leaves the text report's summary, notes and batch totals out:
	// findings and failures only (--quiet).
	Quiet bool
	// Version is leakdiag's version as people read it, for the HTML
	// footer; VersionNumber the same as a semantic version, for tools
	// that compare versions (SARIF's driver.version must start with a
	// number). An empty VersionNumber falls back to Version.
	Version       string
	VersionNumber string
	// Time is when the analysis ran and Command the command line that ran
	// it, for the HTML report's footer (a vendor asks both); the caller
	// gives them, as reporters read no clock. Zero and "" leave them out.
	Time    time.Time
	Command string
}

// BatchWriter is a Reporter that can also write the reports of several
// captures analysed one by one (analyze with several captures).
type BatchWriter interface {
	Reporter
	WriteBatch(w io.Writer, b *engine.Batch) error
}

// readAccount says how much of the captures was read: "141,640 lines
// read, 0 unrecognized" for text, "3,402,112 bytes read (1,024 parsed,
// 3,392,000 skipped, 9,088 other)" for binary captures, both when a run
// had both; a snapshot collect took from /proc has neither.
func readAccount(s *engine.Summary) string {
	t := s.Totals()
	var parts []string
	if t.Live {
		parts = append(parts, "read from /proc by leakdiag collect")
	}
	if t.Text || !t.Binary && !t.Live {
		parts = append(parts, fmt.Sprintf("%s read, %s unrecognized", facts.Plural(int(t.Lines.Total), "line"), facts.FormatCount(t.Lines.Unrecognized)))
	}
	if b := t.Bytes; b != nil {
		parts = append(parts, fmt.Sprintf("%s read (%s parsed, %s skipped, %s other)", facts.Plural(int(b.Total), "byte"),
			facts.FormatCount(b.Parsed), facts.FormatCount(b.Skipped), facts.FormatCount(b.Other)))
	}
	return strings.Join(parts, ", ")
}

// seriesLine says what a series run compared.
func seriesLine(sr *engine.Series) string {
	first, last := sr.Points[0], sr.Points[len(sr.Points)-1]
	span := "their times unknown: growth is per capture"
	if sr.Hours > 0 {
		span = fmt.Sprintf("%s to %s, %s", first.Time, last.Time, facts.SpanText(sr.Hours))
	}
	return fmt.Sprintf("series of %d captures (%s); the findings are on the last, with each process's growth", len(sr.Points), span)
}

// seriesWhy says why the captures were read as one machine over time, ""
// when the user compared them.
func seriesWhy(sr *engine.Series) string {
	if sr.Reason == "" {
		return ""
	}
	return "captures read as one machine over time: " + sr.Reason
}

// skippedLine says that a file found in a directory was skipped, and why:
// "notes/README.md: skipped: not a capture (...)".
func skippedLine(f engine.SkippedFile) string {
	return f.Path + ": skipped: " + f.Reason
}
