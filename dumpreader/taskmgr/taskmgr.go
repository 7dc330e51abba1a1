package taskmgr

import (
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: a copy of Task Manager's Details tab.
const Name = "taskmgr"

// tool is what the shared process-list reader needs to know of Task
// Manager.
var tool = proctable.Tool{
	Vocab:   vocab,
	Table:   isTable,
	Delims:  []byte{'\t'},
	Noise:   func([]byte) (scan.LineKind, bool) { return 0, false },
	Command: func([]byte) proctable.CommandKind { return proctable.NotCommand },
	NoHandles: "Task Manager shows none by default: right-click a column heading of the Details tab, " +
		"Select columns, tick Handles, and copy again",
}

// isTable takes a header of the Details tab: its PID, name and Handles
// columns (under their translated names), a column of Task Manager's
// own, most of the columns known.
// PowerShell names the pid Id or ProcessId, wmic ProcessId, so neither's
// tables are taken.
//
// Without Handles (the Details tab's default columns have none) it takes
// only a copy, tab-separated, with a column of the Details tab's default
// view: the copy is read, and says it gives no handle counts.
func isTable(h *proctable.Header) bool {
	if !h.Has(proctable.PID) || !h.Has(proctable.Image) || 2*h.Known() < len(h.Cols) {
		return false
	}
	for _, c := range h.Cols {
		if servicesTab[strings.ToLower(c.Name)] {
			return false
		}
	}
	mine := own
	if !h.Has(proctable.Handles) {
		if h.Sep != '\t' {
			return false
		}
		mine = details
	}
	for _, c := range h.Cols {
		if mine[strings.ToLower(c.Name)] {
			return true
		}
	}
	return false
}

// servicesTab are the columns of the Services tab that the Details tab
// has not (Group): a copy of the Services tab has Name, PID, Description
// and Status too, but its names are services', and a stopped service's
// PID is empty.
var servicesTab = map[string]bool{"group": true, "组": true}

// details are the columns of the Details tab's default view that no
// other tool's process list has (Status, the private working set).
var details = map[string]bool{
	"status": true, "statut": true, "estado": true,
	"memory (active private working set)": true, "arbeitsspeicher (aktiver privater arbeitssatz)": true,
	"mémoire (plage de travail privée active)": true, "memoria (espacio de trabajo privado activo)": true,
	"memória (conjunto de trabalho privado ativo)": true,
	"状态": true, "内存(专用工作集)": true, "内存(活动的专用工作集)": true,
}

// own are the columns only Task Manager shows, one of which its default
// view has (Status, a Memory column): other tools' process lists (System
// Informer's, Process Explorer's) also name Name, PID and Handles.
var own = map[string]bool{
	"status": true, "statut": true, "estado": true,
	"memory (active private working set)": true, "memory (private working set)": true,
	"arbeitsspeicher (aktiver privater arbeitssatz)": true, "mémoire (plage de travail privée active)": true,
	"memoria (espacio de trabajo privado activo)": true, "memória (conjunto de trabalho privado ativo)": true,
	"memory - private working set": true, "mem usage": true, "image name": true,
	"uac virtualization": true,
	"状态":                 true, "内存(专用工作集)": true, "内存(活动的专用工作集)": true,
}

// Read reads a Task Manager copy from r into b, accounting every line
// in log. The caller decodes the text and hands log to b.AddSource
// afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	return proctable.NewReader(tool, b, log).Read(r)
}

// Sniff reports whether text, the first bytes of a capture decoded to
// UTF-8 (up to 64 KiB is enough), is a copy of Task Manager's Details
// tab: a header with its PID, name and Handles columns and a row under
// it. When text fills the 64 KiB, its last line may be cut and is not
// read.
func Sniff(text []byte) bool {
	return proctable.Sniff(tool, Name, text, proctable.HasRows)
}
