package reporters

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
)

// Format is one row of the table of report formats: its name, how to
// build its reporter, whether that reporter also writes a batch (several
// captures analysed one by one) as one report, and how the format writes
// a diff of two captures (leakdiag diff), if it does.
type Format struct {
	Name string
	// Batch says the reporter is a BatchWriter; analyze refuses a format
	// without it when given several captures.
	Batch bool
	new   func(Options) Reporter
	diff  func(io.Writer, *engine.Diff) error
}

// formats is the table New, Formats, Lookup and the CLI's --format help
// and completion all read, in the order the help lists them. Adding a
// format is adding a row.
var formats = []Format{
	{"text", true, func(o Options) Reporter { return &Text{Color: o.Color, Quiet: o.Quiet} }, diffText},
	{"json", true, func(Options) Reporter { return JSON{} }, diffJSON},
	{"jsonl", true, func(Options) Reporter { return JSONL{} }, nil},
	{"markdown", true, func(Options) Reporter { return Markdown{} }, diffMarkdown},
	{"html", true, func(o Options) Reporter { return HTML{Version: o.Version, Time: o.Time, Command: o.Command} }, nil},
	{"sarif", true, func(o Options) Reporter {
		v := o.VersionNumber
		if v == "" {
			v = o.Version
		}
		return SARIF{Version: v}
	}, nil},
	{"junit", true, func(o Options) Reporter { return JUnit{FailOn: o.FailOn} }, nil},
}

// DiffFormats are the formats `leakdiag diff` writes: the rows with a
// diff writer, in the table's order.
var DiffFormats = func() []string {
	var names []string
	for _, f := range formats {
		if f.diff != nil {
			names = append(names, f.Name)
		}
	}
	return names
}()

// Every reporter writes a report and a batch: checked here, at compile
// time, and against the table's Batch column in TestFormatTable.
var (
	_ BatchWriter = (*Text)(nil)
	_ BatchWriter = JSON{}
	_ BatchWriter = JSONL{}
	_ BatchWriter = Markdown{}
	_ BatchWriter = HTML{}
	_ BatchWriter = SARIF{}
	_ BatchWriter = JUnit{}
)

// New returns the reporter for format.
func New(format string, opts Options) (Reporter, error) {
	f, ok := Lookup(format)
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %v)", format, Formats())
	}
	return f.new(opts), nil
}

// Lookup returns the row of the table for the format named name.
func Lookup(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Formats lists the formats New knows, sorted by name.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	sort.Strings(names)
	return names
}

// FormatsText lists the formats in the table's order as a sentence does:
// "text, json, ... or junit", for help text.
func FormatsText() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
