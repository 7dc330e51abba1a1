package wmic

import (
	"bytes"
	"io"
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/proctable"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// Name names the format read: wmic's process lists.
const Name = "wmic"

// vocab names the properties of Win32_Process wmic prints, and the Node
// column of its CSV format.
var vocab = func() proctable.Vocab {
	v := proctable.Vocab{
		"handlecount": proctable.Handles, "processid": proctable.PID,
		"name": proctable.Image, "sessionid": proctable.Session,
		"creationdate": proctable.Created, "executablepath": proctable.Path,
		"threadcount": proctable.Threads, "node": proctable.Host,
		"csname": proctable.Host, "commandline": proctable.Cmdline,
		// The nonpaged pool charged to the process, in KB (as
		// PageFileUsage is: 1792 where PrivatePageCount is 1835008).
		"quotanonpagedpoolusage": proctable.NonPagedKB,
	}
	for _, p := range []string{
		"Caption", "CreationClassName", "CSCreationClassName",
		"Description", "ExecutionState", "Handle", "InstallDate", "KernelModeTime",
		"MaximumWorkingSetSize", "MinimumWorkingSetSize", "OSCreationClassName", "OSName",
		"OtherOperationCount", "OtherTransferCount", "PageFaults", "PageFileUsage",
		"ParentProcessId", "PeakPageFileUsage", "PeakVirtualSize", "PeakWorkingSetSize",
		"Priority", "PrivatePageCount", "QuotaPagedPoolUsage",
		"QuotaPeakNonPagedPoolUsage", "QuotaPeakPagedPoolUsage", "ReadOperationCount",
		"ReadTransferCount", "Status", "TerminationDate", "UserModeTime", "VirtualSize",
		"WindowsVersion", "WorkingSetSize", "WriteOperationCount", "WriteTransferCount",
	} {
		v[strings.ToLower(p)] = proctable.Other
	}
	return v
}()

// tool is what the shared process-list reader needs to know of wmic.
var tool = proctable.Tool{
	Vocab:    vocab,
	Table:    isTable,
	Delims:   []byte{',', '\t'},
	ListSep:  '=',
	ListKeys: 2,
	Noise:    noise,
	Command:  isCommand,
}

// isTable takes a header of wmic's process tables: ProcessId with
// HandleCount or Name, every column a property of Win32_Process (wmic
// prints nothing else); a CSV header starts with Node.
func isTable(h *proctable.Header) bool {
	switch {
	case h.Has(proctable.PID) && (h.Has(proctable.Handles) || h.Has(proctable.Image)):
	case h.Has(proctable.Handles) && h.Has(proctable.Image):
		// Rows without pids, accounted for but not read (proctable).
	default:
		return false
	}
	if h.Sep != 0 && (len(h.Cols) == 0 || h.Cols[0].Name != "Node") {
		return false
	}
	return h.Known() == len(h.Cols)
}

// Read reads wmic output from r into b, accounting every line in log.
// The caller decodes the text (wmic writes UTF-16 when redirected) and
// hands log to b.AddSource afterwards.
func Read(b *facts.Builder, log *facts.SourceLog, r io.Reader) error {
	log.Lacks = []string{facts.LacksTypes, facts.LacksNames, facts.LacksStacks}
	return proctable.NewReader(tool, b, log).Read(r)
}

// noise accounts for wmic's own messages and the markers of the text
// around its output: a Checkmk agent's section header (<<<ps>>>) and
// the [wmic process] ... [wmic process end] markers inside it.
func noise(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "<<<") && bytes.HasSuffix(line, []byte(">>>")):
		return scan.Ignored, true
	case scan.HasPrefixFold(line, "[wmic ") && line[len(line)-1] == ']':
		return scan.Ignored, true
	case scan.HasPrefixFold(line, "No Instance(s) Available"):
		return scan.Ignored, true
	case scan.HasPrefix(line, "Node - "), scan.HasPrefix(line, "ERROR:"), scan.HasPrefix(line, "Description = "):
		// wmic's error for a node it could not query.
		return scan.Ignored, true
	}
	return 0, false
}

// isCommand tells a wmic command line: Mine when it lists processes
// (wmic process ..., wmic path win32_process ...), Foreign for other
// wmic aliases (wmic startup).
func isCommand(cmd []byte) proctable.CommandKind {
	if !scan.HasPrefixFold(cmd, "wmic ") && !scan.HasPrefixFold(cmd, "wmic.exe ") {
		return proctable.NotCommand
	}
	lower := bytes.ToLower(cmd)
	f := bytes.Fields(lower)
	for i := 1; i < len(f); i++ {
		if f[i][0] == '/' {
			continue // a global switch: /node:X, /output:Y
		}
		if string(f[i]) == "process" || (string(f[i]) == "path" && i+1 < len(f) && string(f[i+1]) == "win32_process") {
			return proctable.Mine
		}
		break
	}
	return proctable.Foreign
}
