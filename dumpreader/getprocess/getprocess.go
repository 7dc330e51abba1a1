package getprocess

import (
	"bytes"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: PowerShell's Get-Process family (and
// Get-CimInstance Win32_Process) as tables, lists and CSV.
const Name = "getprocess"

// tool is what the shared process-list reader needs to know of
// PowerShell.
var tool = proctable.Tool{
	Vocab: vocab,
	Table: isTable,
	// Export-Csv -UseCulture writes ';' where the list separator is one
	// (German, French...); a table copied through a spreadsheet has tabs.
	Delims:   []byte{',', ';', '\t'},
	ListSep:  ':',
	ListKeys: 2,
	Noise:    noise,
	Command:  isCommand,
	// Notes paste the script with its output.
	HereStrings: true,
}

// isTable takes a header for one of PowerShell's process tables: a pid
// column (Id, ProcessId) with a handle count or a process name (or a
// name and a count without pids, whose rows are not read), and most
// columns names of process properties (a Select-Object table may add
// others). A CSV whose first column is Node is wmic's.
func isTable(h *proctable.Header) bool {
	switch {
	case h.Has(proctable.PID) && (h.Has(proctable.Handles) || h.Has(proctable.ImageNoExt)):
	case h.Has(proctable.Handles) && h.Has(proctable.ImageNoExt) && h.Known() == len(h.Cols):
		// Rows without pids, accounted for but not read (proctable);
		// every column a process property, since other tools' lists
		// (Task Manager's) name a name and handles too.
	default:
		return false
	}
	if h.Sep != 0 && len(h.Cols) > 0 && h.Cols[0].Name == "Node" {
		return false
	}
	return 2*h.Known() >= len(h.Cols)
}

// Read reads PowerShell output from r into b, accounting every line in
// log. The caller decodes the text and hands log to b.AddSource
// afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	return proctable.NewReader(tool, b, log).Read(r)
}

// measureKeys are the properties of Measure-Object's result.
var measureKeys = map[string]bool{
	"Count": true, "Average": true, "Sum": true, "Maximum": true, "Minimum": true,
	"StandardDeviation": true, "Property": true,
}

// pagerLines are what Out-More, more and PowerShell's paging print
// between pages.
var pagerLines = []string{"[M]ore [A]ll [N]ext [Q]uit", "<SPACE> next page", "-- More --"}

// noise accounts for PowerShell's own lines around its tables: the
// #TYPE line of Export-Csv, pager prompts, and the lines of an error
// record.
func noise(line []byte) (scan.LineKind, bool) {
	switch {
	case len(line) > 1 && line[0] == '$' && (scan.IsAlnum(line[1]) || line[1] == '_') && isCommand(line) == proctable.NotCommand:
		// A script's statement ($names = ..., $list | sort): no row of
		// output starts with a variable. One that runs Get-Process is
		// the command of the output that follows.
		return scan.Ignored, true
	case scan.HasPrefixFold(line, "#TYPE "):
		return scan.Parsed, true
	case scan.HasPrefixFold(line, "Get-Process :"), scan.HasPrefix(line, "+ CategoryInfo"),
		scan.HasPrefix(line, "+ FullyQualifiedErrorId"), scan.HasPrefix(line, "+ ~"):
		return scan.Ignored, true
	}
	if k, _, ok := proctable.KeyValue(line, ':'); ok && measureKeys[string(k)] {
		// Measure-Object's result (Get-Process | Measure-Object Handles
		// -Sum): a total, no process.
		return scan.Ignored, true
	}
	for _, p := range pagerLines {
		if scan.HasPrefixFold(line, p) {
			return scan.Ignored, true
		}
	}
	return 0, false
}

// commands are the first words of the command lines that print
// processes.
var commands = []string{"get-process", "gps", "ps", "get-ciminstance", "gcim", "get-wmiobject", "gwmi"}

// isCommand tells whether cmd runs one of the commands that print
// processes, first or in a pipeline. Other command lines are told only
// after a prompt.
func isCommand(cmd []byte) proctable.CommandKind {
	first := cmd
	if i := bytes.IndexAny(first, " \t|"); i >= 0 {
		first = first[:i]
	}
	for _, c := range commands {
		if bytes.EqualFold(first, []byte(c)) {
			return proctable.Mine
		}
	}
	if scan.ContainsFold(cmd, "get-process") || scan.ContainsFold(cmd, "win32_process") {
		return proctable.Mine
	}
	if shownVariable(cmd) {
		return proctable.Shown
	}
	return proctable.NotCommand
}

// formatters are the cmdlets (and their aliases) that show what they
// are given as it is, in another layout or order, or fewer of it.
var formatters = map[string]bool{
	"format-list": true, "fl": true, "format-table": true, "ft": true,
	"select-object": true, "select": true, "sort-object": true, "sort": true,
	"out-string": true, "out-host": true,
}

// shownVariable tells a command line that shows a variable's value
// ($procs, $Select | Format-List *) and runs nothing else: in notes it
// often shows the processes a Get-Process before it kept, and a list
// of a process in its output is read as a table of processes was (an
// assignment, $x = ..., is no such line).
func shownVariable(cmd []byte) bool {
	stages := bytes.Split(cmd, []byte("|"))
	v := scan.TrimSpace(stages[0])
	if len(v) < 2 || v[0] != '$' {
		return false
	}
	for _, c := range v[1:] {
		if !scan.IsAlnum(c) && c != '_' {
			return false
		}
	}
	for _, st := range stages[1:] {
		f := bytes.Fields(st)
		if len(f) == 0 || !formatters[strings.ToLower(string(f[0]))] {
			return false
		}
	}
	return true
}
