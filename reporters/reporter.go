// Package reporters writes engine reports in the formats people and tools
// read: one Reporter per format behind one small interface.
package reporters

import (
	"fmt"
	"io"
	"sort"

	"github.com/leakdiag/leakdiag/engine"
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
	FailOn string
	// Version is leakdiag's version, for reports that name their tool.
	Version string
}

// New returns the reporter for format.
func New(format string, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return &Text{Color: opts.Color}, nil
	case "json":
		return JSON{}, nil
	case "markdown":
		return Markdown{}, nil
	case "html":
		return HTML{}, nil
	case "sarif":
		return SARIF{Version: opts.Version}, nil
	case "jsonl":
		return JSONL{}, nil
	case "junit":
		return JUnit{FailOn: opts.FailOn}, nil
	}
	return nil, fmt.Errorf("unknown format %q (known: %v)", format, Formats())
}

// Formats lists the formats New knows.
func Formats() []string {
	f := []string{"text", "json", "markdown", "html", "sarif", "junit", "jsonl"}
	sort.Strings(f)
	return f
}

// BatchWriter is a Reporter that can also write the reports of several
// captures analysed one by one (analyze with several captures).
type BatchWriter interface {
	Reporter
	WriteBatch(w io.Writer, b *engine.Batch) error
}
